package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases of {@link CartState#merge} that random states rarely reach. */
final class CartStateMergeTest {
  // "Aa" and "BB" have one String hash, so the two keys have one key hash
  private static final LineKey AA = LineKey.of("Aa");
  private static final LineKey BB = LineKey.of("BB");
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");

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

  @Test
  void a_state_that_already_holds_the_join_is_returned_itself() {
    CartState older = CartState.empty().set(SKU1, 1, "web", at(10, "web-1")).set(SKU2, 2, "web", at(11, "web-1"));
    CartState newer = older.set(SKU1, 3, "app", at(12, "app-1")).removed(SKU2, "app", at(13, "app-1"));
    CartState fewer = CartState.empty().set(SKU1, 1, "web", at(10, "web-1"));

    assertThat(newer.merge(older)).isSameAs(newer);
    assertThat(older.merge(newer)).isSameAs(newer);
    assertThat(older.merge(fewer)).isSameAs(older);
    assertThat(fewer.merge(older)).isSameAs(older);
    assertThat(newer.with(CartLine.of(SKU1, 9, "pos", at(5, "pos-1")))).isSameAs(newer); // a stale write
    assertThat(newer.merge(CartState.of(newer.entries()))).isSameAs(newer); // an equal copy
    CartState checkedOut = newer.cleared(at(14, "web-1")).set(SKU2, 1, "web", at(16, "web-1"));
    CartState sameCheckoutReadBack = CartState.of(List.of(), at(14, "web-1")) // an equal, separate clear stamp
        .set(SKU1, 4, "app", at(15, "app-1")).set(SKU2, 1, "web", at(16, "web-1"));
    assertThat(checkedOut.merge(sameCheckoutReadBack)).isSameAs(sameCheckoutReadBack);
  }

  @Test
  void only_a_state_holding_every_winning_write_and_the_clear_stamp_is_returned_itself() {
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(10, "web-1")).set(SKU2, 2, "web", at(11, "web-1"));
    CartState checkedOut = CartState.of(List.of(), at(10, "web-1")); // clears SKU-1 only
    CartState rewritten = CartState.empty().set(SKU2, 2, "app", at(11, "web-1")); // same stamp, other channel

    CartState afterCheckout = cart.merge(checkedOut);
    assertThat(afterCheckout).isNotSameAs(cart);
    assertThat(afterCheckout.quantity(SKU1)).isZero();
    assertThat(afterCheckout.quantity(SKU2)).isEqualTo(2);
    assertThat(afterCheckout.clearStamp()).contains(at(10, "web-1"));
    assertThat(checkedOut.merge(cart)).isEqualTo(afterCheckout);

    CartState tie = cart.merge(rewritten); // "web" > "app": cart's write wins the tie, and cart holds the join
    assertThat(tie).isSameAs(cart);
    assertThat(rewritten.merge(cart)).isSameAs(cart);
    CartState more = cart.set(LineKey.of("SKU-3"), 1, "app", at(12, "app-1"));
    assertThat(cart.merge(more)).isSameAs(more);
    assertThat(more.merge(cart)).isSameAs(more);
  }
}
