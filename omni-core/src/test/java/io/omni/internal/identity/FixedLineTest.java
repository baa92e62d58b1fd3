package io.omni.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How libphonenumber tells a fixed line from a mobile, for the regions Omni's examples use. */
final class FixedLineTest {

  @Test
  void landlines_are_fixed_lines_and_mobiles_toll_free_and_undecidable_numbers_are_not() {
    assertThat(Normalizer.isFixedLine("+74951234567")).isTrue();  // Moscow
    assertThat(Normalizer.isFixedLine("+78123456789")).isTrue();  // Saint Petersburg
    assertThat(Normalizer.isFixedLine("+442079460000")).isTrue(); // London
    assertThat(Normalizer.isFixedLine("+4930123456")).isTrue();   // Berlin
    assertThat(Normalizer.isFixedLine("+79101000000")).isFalse(); // Russian mobile
    assertThat(Normalizer.isFixedLine("+491701234567")).isFalse(); // German mobile
    assertThat(Normalizer.isFixedLine("+78001234567")).isFalse(); // toll-free
    assertThat(Normalizer.isFixedLine("+12015550123")).isFalse(); // FIXED_LINE_OR_MOBILE
  }

  @Test
  void remembered_answers_are_libphonenumbers() {
    for (String number : new String[] {"+74951234567", "+79101000000", "+12015550123", "not a number"}) {
      assertThat(FixedLines.isFixedLine(number)).as(number).isEqualTo(Normalizer.isFixedLine(number));
      assertThat(FixedLines.isFixedLine(number)).as(number + ", asked again").isEqualTo(Normalizer.isFixedLine(number));
    }
  }

  @Test
  void a_value_libphonenumber_cannot_parse_is_no_fixed_line() {
    assertThat(Normalizer.isFixedLine("not a number")).isFalse();
  }
}
