package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The join laws of {@link CartState#merge}. The generators draw stamps from a tiny space on
 * purpose — equal times, equal replica ids, and different writes under one stamp — since ties are
 * where a join stops being one.
 */
final class CartStateLawsTest {

  @Property(tries = 400)
  void merge_is_commutative(@ForAll("states") CartState a, @ForAll("states") CartState b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  @Property(tries = 400)
  void merge_is_associative(
      @ForAll("states") CartState a, @ForAll("states") CartState b, @ForAll("states") CartState c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property(tries = 300)
  void merge_is_idempotent(@ForAll("states") CartState a, @ForAll("states") CartState b) {
    assertThat(a.merge(a)).isEqualTo(a);
    CartState ab = a.merge(b);
    assertThat(ab.merge(b)).isEqualTo(ab);
    assertThat(ab.merge(a)).isEqualTo(ab);
  }

  @Property(tries = 400)
  void merge_equals_the_state_built_from_both_sides_entries(@ForAll("states") CartState a, @ForAll("states") CartState b) {
    List<CartLine> both = new ArrayList<>(a.entries());
    both.addAll(b.entries());
    Stamp clear = Stream.of(a.clearStamp(), b.clearStamp()).flatMap(Optional::stream).max(Stamp::compareTo).orElse(null);
    CartState expected = clear == null ? CartState.of(both) : CartState.of(both, clear);
    assertThat(a.merge(b)).isEqualTo(expected);
    assertThat(b.merge(a)).isEqualTo(expected);
  }

  @Property(tries = 400)
  void dropping_old_tombstones_keeps_the_live_lines_and_is_an_inflation(
      @ForAll("states") CartState a, @ForAll("states") CartState b, @ForAll("horizons") long horizon) {
    CartState pruned = a.withoutTombstonesBefore(horizon);
    assertThat(pruned.lines()).isEqualTo(a.lines());
    // pruning is a join (with a raised clear stamp): merging the original back changes nothing, and
    // a write of another replica at or after the horizon fares in a merge as it did before
    assertThat(a.merge(pruned)).isEqualTo(pruned);
    CartState before = a.merge(b);
    CartState after = pruned.merge(b);
    for (CartLine line : before.lines()) {
      if (line.stamp().millis() >= horizon) {
        assertThat(after.quantity(line.key())).as("line %s", line).isEqualTo(line.quantity());
      }
    }
    for (CartLine entry : pruned.entries()) {
      assertThat(entry.quantity() > 0 || entry.stamp().millis() >= horizon
          || a.lines().stream().anyMatch(l -> l.stamp().compareTo(entry.stamp()) <= 0))
          .as("tombstone %s before the horizon %s outlived the pruning", entry, horizon).isTrue();
    }
  }

  @Provide
  Arbitrary<Long> horizons() {
    return Arbitraries.longs().between(0, 12);
  }

  @Property(tries = 300)
  void equal_states_hash_alike_whatever_order_writes_arrived_in(@ForAll("writes") List<CartLine> writes) {
    List<CartLine> reversed = new ArrayList<>(writes);
    java.util.Collections.reverse(reversed);
    CartState forward = CartState.empty();
    for (CartLine w : writes) {
      forward = forward.with(w);
    }
    CartState backward = CartState.of(reversed);
    assertThat(forward).isEqualTo(backward);
    assertThat(forward.hashCode()).isEqualTo(backward.hashCode());
  }

  @Property(tries = 300)
  void delta_merge_equals_full_merge(
      @ForAll("states") CartState sender, @ForAll("states") CartState receiverOwn,
      @ForAll("writes") List<CartLine> laterWrites, @ForAll boolean checkoutLater) {
    CartState receiver = receiverOwn.merge(sender); // the receiver has seen the sender up to `since`
    Stamp since = sender.latest().orElse(Stamp.of(0, 0, "a"));
    CartState moved = sender;
    for (CartLine w : laterWrites) { // the sender writes on, after everything it held
      Stamp after = Stamp.of(since.millis() + w.stamp().millis(), w.stamp().logical(), w.stamp().replica());
      moved = moved.with(CartLine.of(w.key(), w.quantity(), w.channel(), after));
    }
    if (checkoutLater) {
      moved = moved.cleared(Stamp.of(since.millis() + 2, 0, "b"));
    }
    assertThat(receiver.merge(moved.changesSince(since))).isEqualTo(receiver.merge(moved));
  }

  @Property(tries = 300)
  void nothing_at_or_under_the_clear_stamp_is_kept(@ForAll("states") CartState a, @ForAll("stamps") Stamp clear) {
    CartState cleared = a.cleared(clear);
    assertThat(cleared.entries()).allSatisfy(line -> assertThat(line.stamp()).isGreaterThan(clear));
    for (CartLine line : a.entries()) {
      if (line.stamp().compareTo(clear) > 0) {
        assertThat(cleared.line(line.key())).contains(line);
      }
    }
  }

  @Property(tries = 300)
  void quantity_is_the_last_write_or_zero(@ForAll("states") CartState a, @ForAll("keys") LineKey key) {
    int expected = a.entries().stream().filter(l -> l.key().equals(key)).mapToInt(CartLine::quantity).findFirst().orElse(0);
    assertThat(a.quantity(key)).isEqualTo(expected);
    assertThat(a.lines()).allSatisfy(l -> assertThat(l.quantity()).isPositive());
  }

  @Property(tries = 300)
  void the_carts_key_order_is_the_natural_order_of_line_keys(@ForAll("keys") LineKey a, @ForAll("keys") LineKey b) {
    assertThat(Integer.signum(CartState.compareKeys(a, b))).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 200)
  void entries_and_lines_are_listed_in_key_order_whatever_the_keys_hashes(@ForAll("states") CartState a) {
    assertThat(a.entries()).extracting(CartLine::key).isSorted();
    assertThat(a.lines()).extracting(CartLine::key).isSorted();
  }

  @Provide
  Arbitrary<LineKey> keys() {
    return Arbitraries.of(
        LineKey.of("SKU-1"), LineKey.of("SKU-2"), LineKey.of("SKU-1", "red"),
        LineKey.of("SKU-1").with("giftWrap", "yes"), LineKey.of("SKU-1").with("giftWrap", "no"),
        LineKey.of("SKU-3", "M").with("a", "b, c=d"), LineKey.of("SKU-3", "M").with("a", "b").with("c", "d"),
        LineKey.of("SKU-3", "M").with("a", "b"), // the attributes of the key before, cut short
        LineKey.of("Aa"), LineKey.of("BB")) // "Aa" and "BB": two keys with one hash
        // a fresh instance each time, as if read from the wire: equal keys must still be one line
        .map(k -> new LineKey(new String(k.sku()), new String(k.variant()), new java.util.HashMap<>(k.attributes())));
  }

  @Provide
  Arbitrary<Stamp> stamps() {
    return Combinators.combine(
            Arbitraries.longs().between(1, 4), Arbitraries.integers().between(0, 1), Arbitraries.of("a", "b", "c"))
        .as(Stamp::of);
  }

  @Provide
  Arbitrary<List<CartLine>> writes() {
    Arbitrary<CartLine> line = Combinators.combine(
            keys(), Arbitraries.integers().between(0, 3), Arbitraries.of("web", "app", "pos"), stamps())
        .as(CartLine::of);
    return line.list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<CartState> states() {
    return Combinators.combine(writes(), stamps().injectNull(0.6))
        .as((lines, clear) -> clear == null ? CartState.of(lines) : CartState.of(lines, clear));
  }
}
