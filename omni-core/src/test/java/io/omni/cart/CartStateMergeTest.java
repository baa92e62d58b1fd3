package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cases of {@link CartState#merge} that random states rarely reach. */
final class CartStateMergeTest {
  // "Aa" and "BB" have one String hash, so the two keys have one key hash
  private static final LineKey AA = LineKey.of("Aa");
  private static final LineKey BB = LineKey.of("BB");

  private static Stamp at(long millis, String replica) {
    return Stamp.of(millis, 0, replica);
  }

  @Test
  void two_keys_with_one_hash_stay_two_lines_whichever_side_holds_them() {
    assertThat(CartState.keyHash(AA)).isEqualTo(CartState.keyHash(BB));
    CartState web = CartState.empty().set(AA, 1, "web", at(10, "web-1")).set(BB, 2, "web", at(11, "web-1"));
    CartState app = CartState.empty().set(BB, 5, "app", at(12, "app-1"));
    CartState onlyAa = CartState.empty().set(AA, 3, "app", at(13, "app-1"));

    for (CartState merged : new CartState[] {web.merge(app), app.merge(web)}) {
      assertThat(merged.quantity(AA)).isEqualTo(1);
      assertThat(merged.quantity(BB)).isEqualTo(5);
      assertThat(merged.entries()).hasSize(2);
    }
    assertThat(app.merge(onlyAa)).isEqualTo(onlyAa.merge(app));
    assertThat(app.merge(onlyAa).quantity(AA)).isEqualTo(3);
    assertThat(app.merge(onlyAa).quantity(BB)).isEqualTo(5);
  }
}
