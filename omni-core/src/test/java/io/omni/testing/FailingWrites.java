package io.omni.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Wraps stores in proxies that count the calls of some write methods on all of them together and
 * fail the k-th once, with an {@link IllegalStateException} whose message starts with {@code
 * "injected"}: how a test fails one step of a merge's carrying after another.
 */
public final class FailingWrites {
  private final Set<String> writes;
  private int failAt;
  private int count;
  private boolean fired;

  /** @param writes the names of the methods that count as writes */
  public FailingWrites(Set<String> writes) {
    this.writes = Set.copyOf(writes);
  }

  /** Fails the k-th write from now (k from 1); 0 for none. */
  public void failAt(int k) {
    failAt = k;
    count = 0;
    fired = false;
  }

  /** Whether the armed failure happened. */
  public boolean fired() {
    return fired;
  }

  /** The store behind a proxy that counts its writes. */
  @SuppressWarnings("unchecked")
  public <T> T wrap(Class<T> type, T target) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (writes.contains(method.getName()) && ++count == failAt) {
        fired = true;
        throw new IllegalStateException("injected: write " + count + " (" + method.getName() + ") failed");
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
