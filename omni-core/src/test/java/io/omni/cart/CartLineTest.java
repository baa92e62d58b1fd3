package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A cart line's fields and their bounds. */
final class CartLineTest {
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final Stamp AT = Stamp.of(10, 0, "web-1");

  @Test
  void a_line_of_quantity_zero_is_a_removal() {
    assertThat(CartLine.of(SKU1, 0, "web", AT).removed()).isTrue();
    assertThat(CartLine.of(SKU1, 1, "web", AT).removed()).isFalse();
    assertThatThrownBy(() -> CartLine.of(SKU1, -1, "web", AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cart line SKU-1 quantity must not be negative, was -1");
  }

  @Test
  void a_channel_is_1_to_64_characters_not_blank() {
    assertThat(CartLine.of(SKU1, 1, "c".repeat(64), AT).channel()).hasSize(64);
    assertThat(CartLine.of(SKU1, 1, "c", AT).channel()).isEqualTo("c");
    for (String bad : new String[] {"", "  ", "c".repeat(65)}) {
      assertThatThrownBy(() -> CartLine.of(SKU1, 1, bad, AT))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("cart line channel must be 1 to 64 characters, not blank, was '"
              + bad.substring(0, Math.min(bad.length(), 32)));
    }
  }
}
