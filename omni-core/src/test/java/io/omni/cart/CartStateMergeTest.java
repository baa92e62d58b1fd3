package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cases of {@link CartState#merge} that random states rarely reach, and the value-type contract. */
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
  void a_tombstone_stamped_at_the_horizon_stays_and_one_a_millisecond_before_it_goes() {
    LineKey gone = LineKey.of("SKU-GONE");
    LineKey kept = LineKey.of("SKU-KEPT");
    CartState state = CartState.empty()
        .removed(gone, "web", Stamp.of(99, 0, "web-1"))
        .removed(kept, "web", Stamp.of(100, 0, "web-1"));
    CartState pruned = state.withoutTombstonesBefore(100);
    assertThat(pruned.line(gone)).isEmpty();
    assertThat(pruned.line(kept)).isPresent();
    assertThat(pruned.clearStamp()).contains(Stamp.of(99, 0, "web-1"));
    assertThat(state.withoutTombstonesBefore(99)).isSameAs(state);
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

  @Test
  void two_keys_differing_only_in_an_attribute_value_with_one_hash_stay_two_lines() {
    // the attribute maps {giftWrap=Aa} and {giftWrap=BB} hash alike, so the keys do too: only the
    // attribute-by-attribute comparison tells them apart
    LineKey wrapAa = SKU1.with("giftWrap", "Aa");
    LineKey wrapBb = SKU1.with("giftWrap", "BB");
    assertThat(CartState.keyHash(wrapAa)).isEqualTo(CartState.keyHash(wrapBb));
    CartState web = CartState.empty().set(wrapAa, 1, "web", at(10, "web-1"));
    CartState app = CartState.empty().set(wrapBb, 2, "app", at(11, "app-1"));

    for (CartState merged : new CartState[] {web.merge(app), app.merge(web)}) {
      assertThat(merged.entries()).extracting(CartLine::key).containsExactly(wrapAa, wrapBb);
      assertThat(merged.quantity(wrapAa)).isEqualTo(1);
      assertThat(merged.quantity(wrapBb)).isEqualTo(2);
    }
  }

  @Test
  void merge_of_equal_times_from_different_replicas_keeps_the_higher_replica() {
    CartState web = CartState.empty().set(SKU1, 1, "web", Stamp.of(10, 0, "web-1"));
    CartState pos = CartState.empty().set(SKU1, 5, "pos", Stamp.of(10, 0, "pos-7"));

    assertThat(web.merge(pos).quantity(SKU1)).isEqualTo(1); // "web-1" sorts after "pos-7"
    assertThat(pos.merge(web).quantity(SKU1)).isEqualTo(1);
  }

  @Test
  void merge_of_equal_stamps_on_one_line_keeps_the_larger_quantity_then_the_later_channel() {
    Stamp same = at(10, "web-1"); // two writes that claim one stamp: only a misbehaving replica does this
    CartState two = CartState.empty().set(SKU1, 2, "web", same);
    CartState three = CartState.empty().set(SKU1, 3, "app", same);
    CartState threeByPos = CartState.empty().set(SKU1, 3, "pos", same);

    assertThat(two.merge(three).quantity(SKU1)).isEqualTo(3);
    assertThat(three.merge(two).quantity(SKU1)).isEqualTo(3);
    assertThat(three.merge(threeByPos).line(SKU1).orElseThrow().channel()).isEqualTo("pos");
    assertThat(threeByPos.merge(three).line(SKU1).orElseThrow().channel()).isEqualTo("pos");
  }

  @Test
  void merge_of_equal_clear_stamps_keeps_that_checkout_once() {
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(10, "web-1")).set(SKU2, 1, "web", at(12, "web-1"));
    CartState here = cart.cleared(at(11, "pos-1"));
    CartState there = CartState.of(List.of(), at(11, "pos-1"));

    assertThat(here.merge(there)).isEqualTo(here);
    assertThat(there.merge(here)).isEqualTo(here);
    assertThat(here.merge(there).clearStamp()).contains(at(11, "pos-1"));
    assertThat(there.merge(CartState.empty())).isSameAs(there);
    assertThat(CartState.empty().merge(there)).isSameAs(there);
  }

  @Test
  void a_checkout_in_an_otherwise_empty_state_still_clears_the_lines_under_it() {
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(10, "web-1")).set(SKU2, 1, "web", at(12, "web-1"));
    CartState checkout = CartState.of(List.of(), at(11, "pos-1"));
    CartState older = CartState.of(List.of(), at(9, "pos-1"));

    assertThat(cart.merge(checkout).lines()).extracting(CartLine::key).containsExactly(SKU2);
    assertThat(checkout.merge(cart)).isEqualTo(cart.merge(checkout));
    assertThat(cart.merge(checkout).merge(older).clearStamp()).contains(at(11, "pos-1"));
    assertThat(older.merge(cart.merge(checkout)).clearStamp()).contains(at(11, "pos-1"));
  }

  @Test
  void the_latest_stamp_is_the_greatest_of_lines_tombstones_and_the_checkout() {
    assertThat(CartState.empty().latest()).isEmpty();
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(12, "web-1")).set(SKU2, 1, "web", at(10, "web-1"));
    assertThat(cart.latest()).contains(at(12, "web-1"));
    assertThat(cart.removed(SKU2, "app", at(13, "app-1")).latest()).contains(at(13, "app-1"));
    CartState checkedOut = CartState.of(List.of(CartLine.of(SKU1, 1, "web", at(12, "web-1"))), at(14, "pos-1"));
    assertThat(checkedOut.latest()).contains(at(14, "pos-1"));
    CartState addedAfter = checkedOut.set(SKU2, 1, "web", at(15, "web-1"));
    assertThat(addedAfter.latest()).contains(at(15, "web-1"));
  }

  @Test
  void a_delta_since_a_stamp_holds_only_the_writes_after_it() {
    Stamp first = at(10, "web-1");
    Stamp second = at(11, "web-1");
    CartState cart = CartState.empty().set(SKU1, 1, "web", first).set(SKU2, 1, "web", second);

    assertThat(cart.changesSince(cart.latest().orElseThrow())).isEqualTo(CartState.empty());
    assertThat(cart.changesSince(first).entries()).extracting(CartLine::key).containsExactly(SKU2);
    assertThat(cart.changesSince(at(9, "web-1"))).isEqualTo(cart);
    CartState checkedOut = cart.cleared(first);
    assertThat(checkedOut.changesSince(second).clearStamp()).contains(first); // the checkout always travels
  }

  @Test
  void lines_and_entries_are_listed_by_sku_variant_then_attributes_whatever_their_hashes() {
    List<LineKey> inKeyOrder = List.of(
        LineKey.of("SKU-1"), LineKey.of("SKU-1").with("giftWrap", "no"), LineKey.of("SKU-1").with("giftWrap", "yes"),
        LineKey.of("SKU-1").with("giftWrap", "yes").with("store", "7"), LineKey.of("SKU-1", "red"),
        LineKey.of("SKU-10"), LineKey.of("SKU-2")); // by text: "SKU-10" before "SKU-2"
    CartState cart = CartState.empty();
    for (int k = inKeyOrder.size() - 1; k >= 0; k--) {
      cart = cart.set(inKeyOrder.get(k), k + 1, "web", at(10 + k, "web-1"));
    }
    cart = cart.removed(LineKey.of("SKU-2"), "app", at(20, "app-1"));

    assertThat(cart.entries()).extracting(CartLine::key).containsExactlyElementsOf(inKeyOrder);
    assertThat(cart.lines()).extracting(CartLine::key)
        .containsExactlyElementsOf(inKeyOrder.stream().filter(k -> !k.sku().equals("SKU-2")).toList());
  }

  @Test
  void a_cart_equals_only_a_cart_with_the_same_entries_and_checkout() {
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(10, "web-1"));
    assertThat(cart).isEqualTo(CartState.of(List.of(CartLine.of(SKU1, 1, "web", at(10, "web-1")))));
    assertThat(cart).isNotEqualTo(cart.entries());
    assertThat(cart).isNotEqualTo(null);
    assertThat(cart).isNotEqualTo(cart.set(SKU1, 2, "web", at(11, "web-1")));
    assertThat(cart).isNotEqualTo(cart.cleared(at(9, "pos-1")));
    assertThat(cart).isNotEqualTo(cart.removed(SKU2, "web", at(11, "web-1")));
  }

  @Test
  void different_carts_hash_apart_so_a_set_of_carts_stays_a_hash_table() {
    Set<Integer> hashes = new HashSet<>();
    CartState cart = CartState.empty();
    for (int k = 0; k < 100; k++) {
      cart = cart.set(LineKey.of("SKU-" + k % 7), k % 5, "web", at(10 + k, "web-1"));
      hashes.add(cart.hashCode());
      hashes.add(cart.cleared(at(10 + k, "pos-1")).hashCode());
    }
    assertThat(hashes).hasSizeGreaterThan(190);
  }

  @Test
  void to_string_lists_entries_in_key_order_with_the_checkout() {
    CartState cart = CartState.of(List.of(
            CartLine.of(SKU2, 1, "web", Stamp.of(12, 0, "web-1")), CartLine.of(SKU1, 0, "app", Stamp.of(11, 2, "app-1"))),
        Stamp.of(10, 0, "pos-1"));
    assertThat(cart).hasToString(
        "CartState[SKU-1=0@11.2@app-1 by app, SKU-2=1@12.0@web-1 by web, clear=10.0@pos-1]");
    assertThat(CartState.empty()).hasToString("CartState[clear=null]");
  }

  @Test
  void an_addition_at_the_horizon_stays_an_addition_and_one_a_millisecond_before_it_is_folded() {
    CartState cart = CartState.empty().set(SKU1, 1, "web", at(5, "web-1"))
        .added(SKU1, 2, "pos", at(9, "ev-1")).added(SKU1, 3, "app", at(10, "ev-2"));
    CartState folded = cart.withoutTombstonesBefore(10);
    assertThat(folded.additions()).containsExactly(CartLine.of(SKU1, 3, "app", at(10, "ev-2")));
    assertThat(folded.entries()).containsExactly(CartLine.of(SKU1, 3, "pos", at(9, "ev-1")));
    assertThat(folded.quantity(SKU1)).isEqualTo(6);
    assertThat(cart.withoutTombstonesBefore(9)).isSameAs(cart); // nothing before the horizon: not even a copy
    assertThat(cart.withoutTombstonesBefore(11).additions()).isEmpty();
    assertThat(cart.withoutTombstonesBefore(11).line(SKU1)).contains(CartLine.of(SKU1, 6, "app", at(10, "ev-2")));
  }

  @Test
  void a_delta_holds_the_additions_after_its_stamp_and_none_at_it() {
    CartState cart = CartState.empty().added(SKU1, 2, "pos", at(9, "ev-1")).added(SKU2, 1, "app", at(10, "ev-2"))
        .added(SKU1, 1, "app", at(11, "ev-3"));
    assertThat(cart.changesSince(at(10, "ev-2")).additions()).containsExactly(CartLine.of(SKU1, 1, "app", at(11, "ev-3")));
    assertThat(cart.changesSince(at(9, "ev-1")).additions()).extracting(CartLine::stamp)
        .containsExactly(at(11, "ev-3"), at(10, "ev-2"));
  }

  @Test
  void a_cart_of_additions_only_has_the_latest_addition_as_its_version_and_is_not_empty() {
    CartState cart = CartState.empty().added(SKU2, 1, "app", at(12, "ev-2")).added(SKU1, 2, "pos", at(9, "ev-1"));
    assertThat(cart.latest()).contains(at(12, "ev-2"));
    assertThat(cart.isEmpty()).isFalse();
    assertThat(CartState.empty().added(SKU1, 2, "pos", at(9, "ev-1")).latest()).contains(at(9, "ev-1"));
    assertThat(cart.cleared(at(12, "ev-2")).isEmpty()).isTrue();
  }

  @Test
  void an_addition_of_less_than_one_is_refused_naming_the_line() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CartState.empty().added(SKU1, 0, "pos", at(9, "ev-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SKU-1").hasMessageContaining("at least 1");
  }
}
