package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidIdentifierException;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Characters one cannot see make two identifiers that look the same different ones: they are
 * refused, never stored and never silently dropped.
 */
final class InvisibleCharactersTest {
  /** Zero-width space, non-joiner, joiner, word joiner, BOM, bidi marks, embeddings and isolates, soft hyphen. */
  private static final List<Character> FORMAT_CHARACTERS = List.of('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF',
      '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
      '\u00AD');

  @Provide
  Arbitrary<Character> formatCharacters() {
    return Arbitraries.of(FORMAT_CHARACTERS);
  }

  @Provide
  Arbitrary<Function<String, Identifier>> factories() {
    return Arbitraries.of(List.<Function<String, Identifier>>of(Identifier::email, Identifier::phone, Identifier::account,
        Identifier::cookie, Identifier::device, Identifier::loyaltyCard,
        value -> Identifier.of(IdentifierType.of("telegram"), value)));
  }

  private static String validValueFor(Function<String, Identifier> factory) {
    for (String candidate : List.of("ann@example.com", "+79161234567")) {
      try {
        factory.apply(candidate);
        return candidate;
      } catch (InvalidIdentifierException e) {
        // not a value of this type
      }
    }
    throw new AssertionError("no valid value");
  }

  @Property(tries = 200)
  void a_format_character_anywhere_in_any_identifier_is_refused_naming_it(
      @ForAll("factories") Function<String, Identifier> factory, @ForAll("formatCharacters") char invisible,
      @ForAll @IntRange(min = 0, max = 100) int where) {
    String valid = validValueFor(factory);
    int at = where % (valid.length() + 1);
    String sneaky = valid.substring(0, at) + invisible + valid.substring(at);

    assertThatThrownBy(() -> factory.apply(sneaky))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.value()).isEqualTo(sneaky);
          assertThat(e.reason()).contains(String.format("U+%04X", (int) invisible)).contains("format character");
          assertThat(e.getMessage()).contains(String.format("\\u%04X", (int) invisible)).doesNotContain(
              String.valueOf(invisible));
        });
  }

  @Test
  void a_zero_width_space_makes_no_second_email_that_looks_the_same() {
    assertThat(Identifier.email("ann@example.com").value()).isEqualTo("ann@example.com");

    assertThatThrownBy(() -> Identifier.email("ann\u200B@example.com"))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessage("invalid email identifier 'ann\\u200B@example.com': holds the invisible format character "
            + "U+200B ZERO WIDTH SPACE at index 3; it would make a different identifier that looks the same");
  }

  @Test
  void a_byte_order_mark_pasted_before_an_email_is_refused_not_trimmed() {
    assertThatThrownBy(() -> Identifier.email("\uFEFFann@example.com"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.reason()).contains("U+FEFF ZERO WIDTH NO-BREAK SPACE").contains("index 0");
          assertThat(e.getMessage()).contains("'\\uFEFFann@example.com'");
        });
  }

  @Test
  void a_right_to_left_override_in_a_phone_is_refused() {
    assertThatThrownBy(() -> Identifier.phone("+7916\u202E1234567"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.type()).isEqualTo("phone");
          assertThat(e.reason()).contains("U+202E RIGHT-TO-LEFT OVERRIDE");
        });
  }

  @Test
  void a_format_character_outside_the_basic_plane_is_refused() {
    String tagged = "acc-1" + new String(Character.toChars(0xE0041)); // TAG LATIN CAPITAL LETTER A

    assertThatThrownBy(() -> Identifier.account(tagged))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.reason()).contains("U+E0041");
          assertThat(e.getMessage()).contains("acc-1\\uDB40\\uDC41");
        });
  }

  @Test
  void a_no_break_space_inside_an_email_is_refused_as_white_space() {
    assertThatThrownBy(() -> Identifier.email("ann\u00A0lee@example.com"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.reason()).contains("white space");
          assertThat(e.getMessage()).contains("ann\\u00A0lee@example.com");
        });
  }

  @Test
  void visible_non_ascii_text_is_kept_and_shown_as_is() {
    assertThat(Identifier.account("Анна-7").value()).isEqualTo("Анна-7");
    assertThat(Identifier.account("ann😀").value()).isEqualTo("ann😀");
    assertThatThrownBy(() -> Identifier.email("анна@"))
        .hasMessageContaining("'анна@'");
  }

  @Test
  void a_long_value_is_cut_short_in_the_message_but_kept_whole_in_the_exception() {
    String longAccount = "a".repeat(1000);

    assertThatThrownBy(() -> Identifier.account(longAccount))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.value()).isEqualTo(longAccount);
          assertThat(e.getMessage()).contains("…(1000 characters)").hasSizeLessThan(200);
        });
  }
}
