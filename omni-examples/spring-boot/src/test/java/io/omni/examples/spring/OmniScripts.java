package io.omni.examples.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The versions of Omni's PostgreSQL scripts that the omni-jdbc jar ships, in order: "001", "002", … */
final class OmniScripts {
  private OmniScripts() {}

  static List<String> versions() {
    try {
      List<String> versions = new ArrayList<>();
      for (Resource script : new PathMatchingResourcePatternResolver()
          .getResources("classpath*:io/omni/jdbc/schema/postgresql/V*__*.sql")) {
        String name = script.getFilename();
        versions.add(name.substring(1, name.indexOf("__")));
      }
      versions.sort(null);
      return versions;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
