package io.omni.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot code (fenced {@code ```java spring-boot}; omni-examples'
 * ReadmeSnippetsTest takes the plain {@code ```java} blocks) is this module's code, character for
 * character up to indentation, so that it compiles and the tests above run it.
 */
class ReadmeSpringSnippetTest {

  @Test
  void every_spring_boot_snippet_of_the_readme_is_code_of_this_example() throws IOException {
    String source = normalize(Files.readString(Path.of("src/main/java/io/omni/examples/spring/OmniConfiguration.java"))
        + "\n" + Files.readString(Path.of("src/main/java/io/omni/examples/spring/CampaignScheduler.java")));
    String properties = normalize(Files.readString(Path.of("src/main/resources/application.properties")));
    String readme = Files.readString(Path.of("../../README.md"));

    Matcher java = Pattern.compile("```java spring-boot\n(.*?)```", Pattern.DOTALL).matcher(readme);
    int snippets = 0;
    while (java.find()) {
      assertThat(source).as("Spring Boot snippet %d of README.md", snippets + 1).contains(normalize(java.group(1)));
      snippets++;
    }
    assertThat(snippets).isGreaterThanOrEqualTo(1);
    Matcher props = Pattern.compile("```properties spring-boot\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (props.find()) {
      assertThat(properties).as("Spring Boot properties of README.md").contains(normalize(props.group(1)));
    }
  }

  private static String normalize(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
