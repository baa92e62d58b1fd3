package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The one canonical form of a profile id, issued and parsed in core. */
final class ProfileIdTest {

  @Property
  void a_number_round_trips_through_its_canonical_id(@ForAll @LongRange(min = 1, max = 999_999_999_999_999_999L) long n) {
    ProfileId id = ProfileId.ofNumber(n);
    assertThat(id.value()).isEqualTo("p-" + n);
    assertThat(id.number()).isEqualTo(n);
    assertThat(ProfileId.of("p-" + n).number()).isEqualTo(n);
  }

  @Test
  void any_other_form_names_no_number() {
    for (String text : new String[] {"p-01", "p-0", "p-", " p-1", "p-1 ", "P-1", "p-+1", "p--1", "p-1.0", "p-\u0661",
        "p-1234567890123456789", "q-1", "p-1a", "p-a1", "p-/", "p-:"}) {
      assertThat(ProfileId.of(text).number()).as(text).isZero();
    }
    assertThat(ProfileId.of("p-123456789012345678").number()).isEqualTo(123_456_789_012_345_678L);
    assertThat(ProfileId.of("p-9").number()).isEqualTo(9);
    assertThat(ProfileId.of("p-10").number()).isEqualTo(10);
  }

  @Test
  void only_positive_numbers_are_issued() {
    assertThatThrownBy(() -> ProfileId.ofNumber(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> ProfileId.ofNumber(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ProfileId.ofNumber(1)).isEqualTo(ProfileId.of("p-1"));
  }
}
