package io.omni.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
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

  @Test
  void the_screen_answers_for_the_regions_that_cannot_have_fixed_lines_and_asks_for_the_others() {
    assertThat(FixedLines.mayBeFixedLine("+12125550123")).as("New York: US, no fixed-line pattern").isFalse();
    assertThat(FixedLines.mayBeFixedLine("+14165550123")).as("Toronto: CA").isFalse();
    assertThat(FixedLines.mayBeFixedLine("+12684601234")).as("Antigua: its own fixed lines").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+11234567890")).as("+1 then the national prefix 1").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+74951234567")).as("Russia: asked").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+4930123456")).as("Germany: one region, asked").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+80012345678")).as("international freephone").isFalse();
    assertThat(FixedLines.mayBeFixedLine("not a number")).isTrue();
    assertThat(FixedLines.mayBeFixedLine("+")).isTrue();
    assertThat(FixedLines.mayBeFixedLine("+1-212")).isTrue();
    assertThat(FixedLines.mayBeFixedLine("+999")).as("no calling code").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+0")).as("no calling code").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+1")).as("a code and nothing after it: too short to screen").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+1212")).as("three digits: screened").isFalse();
    assertThat(FixedLines.mayBeFixedLine("+121")).as("too short to screen").isTrue();
    assertThat(FixedLines.mayBeFixedLine("+1:2125550123")).isTrue();
    assertThat(FixedLines.mayBeFixedLine("+1/2125550123")).isTrue();
    assertThat(FixedLines.mayBeFixedLine("12125550123")).as("no plus").isTrue();
    assertThat(FixedLines.isFixedLine("+12125550123")).isFalse();
    assertThat(FixedLines.isFixedLine("+12684601234")).isEqualTo(Normalizer.isFixedLine("+12684601234"));
  }

  /**
   * The screen never answers {@code false} for a number libphonenumber calls a fixed line: every
   * region's example number of every type, and random numbers after each of its calling codes.
   */
  @Test
  void the_screen_never_hides_a_fixed_line_from_any_region() {
    PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    List<String> numbers = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(13);
    for (String region : phones.getSupportedRegions()) {
      for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
        PhoneNumber example = phones.getExampleNumberForType(region, type);
        if (example != null) {
          numbers.add(phones.format(example, PhoneNumberUtil.PhoneNumberFormat.E164));
        }
      }
    }
    for (int code : phones.getSupportedCallingCodes()) {
      for (int k = 0; k < 40; k++) {
        numbers.add("+" + code + Long.toString(random.nextLong(1_000_000L, 100_000_000_000L)));
      }
    }
    int fixed = 0;
    for (String number : numbers) {
      boolean isFixed = Normalizer.isFixedLine(number);
      fixed += isFixed ? 1 : 0;
      assertThat(FixedLines.mayBeFixedLine(number) || !isFixed).as(number).isTrue();
      assertThat(FixedLines.isFixedLine(number)).as(number).isEqualTo(isFixed);
    }
    assertThat(fixed).as("fixed lines among the examples").isGreaterThan(200);
  }

  /** Every North American area code, three lines each: the screen hides no fixed line. */
  @Test
  void the_screen_hides_no_fixed_line_of_any_north_american_area_code() {
    int screened = 0;
    for (int area = 100; area <= 999; area++) {
      for (String line : new String[] {"2345678", "5550123", "9876543"}) {
        String number = "+1" + area + line;
        boolean isFixed = Normalizer.isFixedLine(number);
        assertThat(FixedLines.mayBeFixedLine(number) || !isFixed).as(number).isTrue();
        screened += FixedLines.mayBeFixedLine(number) ? 0 : 1;
      }
    }
    assertThat(screened).as("numbers answered without libphonenumber").isGreaterThan(2000);
  }

  /** North American numbers, where most of the screen's work is: it agrees with libphonenumber. */
  @Property(tries = 2000)
  void the_screen_agrees_with_libphonenumber_on_north_american_numbers(
      @ForAll @IntRange(min = 100, max = 999) int area, @ForAll @LongRange(min = 0, max = 9_999_999L) long line) {
    String number = "+1" + area + String.format("%07d", line);
    boolean isFixed = Normalizer.isFixedLine(number);
    assertThat(FixedLines.mayBeFixedLine(number) || !isFixed).as(number).isTrue();
    assertThat(FixedLines.isFixedLine(number)).as(number).isEqualTo(isFixed);
  }
}
