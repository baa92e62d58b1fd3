package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  @Test
  void a_key_holds_up_to_32_attributes_and_no_more() {
    java.util.Map<String, String> attributes = new java.util.HashMap<>();
    for (int i = 0; i < 32; i++) {
      attributes.put("a" + i, "v");
    }
    assertThat(new LineKey("SKU-1", "", attributes).attributes()).hasSize(32);
    attributes.put("a32", "v");
    assertThatThrownBy(() -> new LineKey("SKU-1", "", attributes))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33 attributes, at most 32");
  }

  @Test
  void parts_may_be_as_long_as_their_limits_and_no_longer() {
    LineKey longest = new LineKey("s".repeat(128), "v".repeat(128), Map.of("n".repeat(64), "x".repeat(256)));
    assertThat(longest.sku()).hasSize(128);
    assertThat(LineKey.of("S").sku()).isEqualTo("S");
    assertThatThrownBy(() -> LineKey.of("s".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line key sku must be 1 to 128 characters, not blank, was 'sss");
    assertThatThrownBy(() -> LineKey.of("S", "v".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line key variant must be 0 to 128 characters, was 'vvv");
    assertThatThrownBy(() -> LineKey.of("S").with("n".repeat(65), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line key attribute name must be 1 to 64 characters, not blank, was 'nnn");
    assertThatThrownBy(() -> LineKey.of("S").with("gift", "x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line key attribute gift must be 0 to 256 characters, was 'xxx");
  }

  @Test
  void blank_and_control_characters_are_refused_with_the_rule_they_break() {
    assertThatThrownBy(() -> LineKey.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line key sku must be 1 to 128 characters, not blank, was ' '");
    assertThat(LineKey.of("S", " ").variant()).isEqualTo(" "); // a variant may be blank: it is only a label
    assertThatThrownBy(() -> LineKey.of("SKU\u00071"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line key sku holds a control character at index 3");
    assertThatThrownBy(() -> new LineKey(null, "", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line key sku is null");
  }

  @Test
  void keys_sort_by_sku_then_variant_then_attributes_a_shorter_prefix_first() {
    List<LineKey> ordered = List.of(
        LineKey.of("SKU-1", "z"), // the SKU decides before the variant
        LineKey.of("SKU-2"),
        LineKey.of("SKU-2").with("b", "1"), // no attributes sort before some
        LineKey.of("SKU-2").with("b", "1").with("c", "0"), // a prefix sorts before the longer map
        LineKey.of("SKU-2").with("b", "2"),
        LineKey.of("SKU-2", "a").with("a", "0")); // the variant decides before the attributes
    List<LineKey> shuffled = new ArrayList<>(ordered);
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(ordered);
    for (int i = 0; i < ordered.size(); i++) {
      for (int j = 0; j < ordered.size(); j++) {
        assertThat(Integer.signum(ordered.get(i).compareTo(ordered.get(j)))).isEqualTo(Integer.compare(i, j));
      }
    }
  }

  @Test
  void to_string_shows_sku_variant_and_attributes() {
    assertThat(LineKey.of("SKU-1")).hasToString("SKU-1");
    assertThat(LineKey.of("TSHIRT-9", "red-M")).hasToString("TSHIRT-9/red-M");
    assertThat(LineKey.of("TSHIRT-9").with("giftWrap", "yes")).hasToString("TSHIRT-9{giftWrap=yes}");
    assertThat(LineKey.of("TSHIRT-9", "red-M").with("giftWrap", "yes")).hasToString("TSHIRT-9/red-M{giftWrap=yes}");
  }
}
