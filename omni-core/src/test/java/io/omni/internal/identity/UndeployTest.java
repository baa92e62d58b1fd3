package io.omni.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An application server keeps its request threads when it undeploys an application, and a value
 * one of those threads holds for the application (a {@code ThreadLocal} of one of its classes)
 * keeps the application's class loader alive, with every class it loaded. Here Omni is loaded by a
 * class loader of its own, as a web application's would be; a thread that outlives it links
 * through it; then the application is dropped while the thread lives on. The class loader must be
 * collectable. With the link's working arrays in a static {@code ThreadLocal}, it was not.
 */
final class UndeployTest {

  @Test
  void a_thread_that_linked_keeps_nothing_of_omni_once_the_application_is_dropped() throws Exception {
    CountDownLatch linked = new CountDownLatch(1);
    CountDownLatch undeployed = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<WeakReference<ClassLoader>> application = new AtomicReference<>();
    Thread serverThread = new Thread(() -> {
      try {
        application.set(new WeakReference<>(linkThroughOwnLoader()));
      } catch (Throwable t) {
        failure.set(t);
      } finally {
        linked.countDown();
      }
      try {
        undeployed.await(); // the server's thread lives on, idle, after the application is gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "server-request-thread");
    serverThread.start();
    try {
      linked.await();
      assertThat(failure.get()).isNull();
      WeakReference<ClassLoader> loader = application.get();
      for (int i = 0; i < 50 && loader.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertThat(loader.get()).as("the application's class loader, after it was dropped").isNull();
    } finally {
      undeployed.countDown();
      serverThread.join();
    }
  }

  /**
   * Loads Omni in a class loader of its own, links a few identifiers once by one and once as a
   * batch on the current thread, and answers the loader, closed: nothing else refers to it.
   */
  private static ClassLoader linkThroughOwnLoader() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    URLClassLoader loader = new URLClassLoader("application", urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader());
    Class<?> omniClass = loader.loadClass("io.omni.Omni");
    assertThat(omniClass.getClassLoader()).isSameAs(loader);
    Class<?> identifier = loader.loadClass("io.omni.identity.Identifier");
    Object omni = omniClass.getMethod("inMemory").invoke(null);
    Object identities = omniClass.getMethod("identities").invoke(omni);
    Method link = identities.getClass().getMethod("link", String.class, identifier.arrayType());
    link.setAccessible(true);
    for (int i = 0; i < 3; i++) {
      Object ids = Array.newInstance(identifier, 2);
      Array.set(ids, 0, identifier.getMethod("email", String.class).invoke(null, "ann" + i + "@example.com"));
      Array.set(ids, 1, identifier.getMethod("phone", String.class).invoke(null, "+7916123456" + i));
      assertThat(link.invoke(identities, "web", ids)).isNotNull();
    }
    omniClass.getMethod("close").invoke(omni);
    loader.close();
    return loader;
  }
}
