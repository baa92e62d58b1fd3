package io.omni.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: on a class path without it (this test's, less Micrometer's jars, in a
 * class loader of its own) Omni loads, links, ingests, sends and forgets as usual.
 */
final class WithoutMicrometerTest {

  @Test
  void omni_works_with_micrometer_absent_from_the_class_path() throws Exception {
    List<URL> urls = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.replace('\\', '/').contains("/io/micrometer/")) {
        dropped.add(entry);
      } else {
        urls.add(url(entry));
      }
    }
    assertThat(dropped).as("Micrometer's jars, on this test's class path").isNotEmpty();

    try (URLClassLoader withoutMicrometer = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, withoutMicrometer))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> story = Class.forName(StoryWithoutMetrics.class.getName(), true, withoutMicrometer);
      assertThat(story.getClassLoader()).isSameAs(withoutMicrometer);
      Object printed = story.getMethod("run").invoke(null);
      assertThat(printed).isEqualTo("p-1 CONVERTED 1 sent, forgot true");
    }
  }

  private static URL url(String entry) {
    try {
      return new File(entry).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(entry, e);
    }
  }
}
