package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cheap tests in front of the built-in junk patterns only skip values the patterns refuse:
 * {@code isBlocked} answers exactly as the bare regular expressions do.
 */
final class BuiltInJunkPrefilterTest {
  // the built-in patterns as written in IdentityRules, without the cheap tests in front
  private static final List<Pattern> BARE = List.of(
      Pattern.compile("null|undefined|none|nil|nan|n/a|na|unknown|anonymous|guest|test|-1|0|\\[object object\\]",
          Pattern.CASE_INSENSITIVE),
      Pattern.compile("[+]?[0\\-]+"),
      Pattern.compile("[+]?(\\w)(\\1|-)+"),
      Pattern.compile("(test|example|email|none|noemail|no-email|nobody|asdf|qwerty|a)@(test|example|email|none|noemail|asdf|qwerty|a)\\.(com|org|net|ru)",
          Pattern.CASE_INSENSITIVE),
      Pattern.compile("no-?reply@.*", Pattern.CASE_INSENSITIVE));

  private static final IdentifierType HANDLE = IdentifierType.of("handle");

  private static boolean bare(String value) {
    return BARE.stream().anyMatch(p -> p.matcher(value).matches());
  }

  @Test
  void junk_and_real_values_are_judged_as_by_the_bare_patterns() {
    List<String> values = new ArrayList<>(List.of(
        "null", "NULL", "Undefined", "none", "nil", "NaN", "n/a", "na", "unknown", "anonymous", "Guest",
        "test", "-1", "0", "[object Object]", "00000000-0000-0000-0000-000000000000", "0000000000", "+0000",
        "---", "1111111", "xxxxxx", "ffffffff-ffff-ffff", "+79999999999", "test@test.com", "A@A.RU",
        "no-email@noemail.com", "nobody@example.org", "noreply@shop.com", "No-Reply@x", "NOREPLY@",
        "customer.17@mail3.example.net", "+12122000000", "c-81", "ck-5e1f-2a", "ann@example.com",
        "3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f", "nobody", "noreply", "aa", "a-", "+a-", "++", "x",
        "0f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f", "00000000-0000-0000-0000-000000000001", "ffe0", "+0-0-", "-",
        "+-", "+", "+1 212 200 0000", "+1111", "+11112", "__", "é-é"));
    SplittableRandom random = new SplittableRandom(17);
    String alphabet = "nNoOuUaAtTgGrReEpPlLyYmM-+0@.[]/ 1xX_";
    for (int k = 0; k < 200_000; k++) {
      int length = 1 + random.nextInt(24);
      StringBuilder b = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = b.toString().strip();
      if (!value.isEmpty()) {
        values.add(value);
      }
    }
    IdentityRules rules = IdentityRules.defaults();
    int blocked = 0;
    for (String value : values) {
      boolean expected = bare(value);
      assertThat(rules.isBlocked(Identifier.of(HANDLE, value))).as("isBlocked(%s)", value).isEqualTo(expected);
      blocked += expected ? 1 : 0;
    }
    assertThat(blocked).as("the corpus holds junk").isGreaterThan(30);
  }
}
