package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

final class LineKeyTest {

  @Test
  void keys_whose_attributes_print_alike_are_still_different_and_ordered_apart() {
    LineKey a = new LineKey("SKU-1", "", Map.of("a", "1, b=2"));
    LineKey b = new LineKey("SKU-1", "", Map.of("a", "1", "b", "2"));
    assertThat(a.attributes().toString()).isEqualTo(b.attributes().toString());
    assertThat(a).isNotEqualTo(b);
    assertThat(a.compareTo(b)).isNotZero();
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
  }

  @Property(tries = 300)
  void compare_to_is_zero_exactly_when_equal(
      @ForAll @AlphaChars @StringLength(min = 1, max = 2) String n1, @ForAll @Chars({'a', '1', ',', '=', ' '}) @StringLength(max = 3) String v1,
      @ForAll @AlphaChars @StringLength(min = 1, max = 2) String n2, @ForAll @Chars({'a', '1', ',', '=', ' '}) @StringLength(max = 3) String v2) {
    LineKey a = LineKey.of("S").with(n1, v1);
    LineKey b = LineKey.of("S").with(n2, v2);
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
  }

  @Test
  void bad_parts_are_refused_naming_the_field() {
    assertThatThrownBy(() -> LineKey.of(" ")).hasMessageContaining("sku");
    assertThatThrownBy(() -> LineKey.of("S").with("", "x")).hasMessageContaining("attribute name");
    assertThatThrownBy(() -> LineKey.of("S", "x".repeat(200))).hasMessageContaining("variant");
  }
}
