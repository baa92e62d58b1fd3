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
    List<CartLine> added = new ArrayList<>(a.additions());
    added.addAll(b.additions());
    Stamp clear = Stream.of(a.clearStamp(), b.clearStamp()).flatMap(Optional::stream).max(Stamp::compareTo).orElse(null);
    CartState expected = CartState.of(both, added, clear);
    if (added.isEmpty()) {
      assertThat(clear == null ? CartState.of(both) : CartState.of(both, clear)).isEqualTo(expected);
    }
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
      // the horizon's promise: what the other replica wrote before it may be lost
      boolean otherOld = java.util.stream.Stream.concat(b.entries().stream(), b.additions().stream())
          .anyMatch(l -> l.key().equals(line.key()) && l.stamp().millis() < horizon)
          || b.clearStamp().filter(c -> c.millis() < horizon).isPresent();
      if (line.stamp().millis() >= horizon && !otherOld) {
        assertThat(after.quantity(line.key())).as("line %s", line).isEqualTo(line.quantity());
      }
    }
    assertThat(pruned.additions()).allSatisfy(l -> assertThat(l.stamp().millis()).isGreaterThanOrEqualTo(horizon));
    for (CartLine entry : pruned.entries()) {
      assertThat(entry.quantity() > 0 || entry.stamp().millis() >= horizon
          || a.entries().stream().anyMatch(l -> l.quantity() > 0 && l.stamp().compareTo(entry.stamp()) <= 0)
          || a.additions().stream().anyMatch(l -> l.stamp().compareTo(entry.stamp()) <= 0))
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
    assertThat(cleared.additions()).allSatisfy(line -> assertThat(line.stamp()).isGreaterThan(clear));
    for (CartLine line : a.entries()) {
      if (line.stamp().compareTo(clear) > 0) {
        assertThat(cleared.entries()).contains(line);
      }
    }
    for (CartLine line : a.additions()) {
      if (line.stamp().compareTo(clear) > 0) {
        assertThat(cleared.additions()).contains(line);
      }
    }
  }

  @Property(tries = 300)
  void quantity_is_the_last_write_plus_the_additions_after_it(@ForAll("states") CartState a, @ForAll("keys") LineKey key) {
    int expected = a.entries().stream().filter(l -> l.key().equals(key)).mapToInt(CartLine::quantity).findFirst().orElse(0)
        + a.additions().stream().filter(l -> l.key().equals(key)).mapToInt(CartLine::quantity).sum();
    assertThat(a.quantity(key)).isEqualTo(expected);
    assertThat(a.lines()).allSatisfy(l -> assertThat(l.quantity()).isPositive());
    assertThat(a.lines()).allSatisfy(l -> assertThat(a.line(l.key())).contains(l));
    assertThat(a.isEmpty()).isEqualTo(a.lines().isEmpty());
  }

  /**
   * Against a model that keeps every operation: a line is its last write that the clear stamp
   * leaves (or nothing), plus every addition after that write and the clear stamp — one per stamp,
   * the greatest quantity (then channel) where two additions share a stamp — and any permutation
   * of the operations builds that cart.
   */
  @Property(tries = 500)
  void a_cart_is_its_last_write_plus_later_additions_in_any_delivery_order(
      @ForAll("operations") List<Object[]> ops, @ForAll java.util.Random random) {
    CartState inOrder = apply(CartState.empty(), ops);
    List<Object[]> shuffled = new ArrayList<>(ops);
    java.util.Collections.shuffle(shuffled, random);
    assertThat(apply(CartState.empty(), shuffled)).isEqualTo(inOrder);
    Stamp clear = null;
    for (Object[] op : ops) {
      if (op[0].equals("clear") && (clear == null || ((Stamp) op[1]).isAfter(clear))) {
        clear = (Stamp) op[1];
      }
    }
    for (LineKey key : ops.stream().filter(op -> !op[0].equals("clear")).map(op -> ((CartLine) op[1]).key()).distinct().toList()) {
      CartLine last = null;
      java.util.Map<Stamp, CartLine> adds = new java.util.HashMap<>();
      for (Object[] op : ops) {
        if (op[0].equals("clear") || !((CartLine) op[1]).key().equals(key)) {
          continue;
        }
        CartLine w = (CartLine) op[1];
        if (op[0].equals("set") && (last == null || beats(w, last))) {
          last = w;
        } else if (op[0].equals("add")) {
          adds.merge(w.stamp(), w, (x, y) -> beats(x, y) ? x : y);
        }
      }
      Stamp floor = last == null ? clear : clear == null || last.stamp().isAfter(clear) ? last.stamp() : clear;
      int expected = last == null || clear != null && !last.stamp().isAfter(clear) ? 0 : last.quantity();
      for (CartLine add : adds.values()) {
        if (floor == null || add.stamp().isAfter(floor)) {
          expected += add.quantity();
        }
      }
      assertThat(inOrder.quantity(key)).as("line %s of %s", key, inOrder).isEqualTo(expected);
    }
  }

  private static boolean beats(CartLine x, CartLine y) {
    int c = x.stamp().compareTo(y.stamp());
    if (c == 0) {
      c = Integer.compare(x.quantity(), y.quantity());
    }
    if (c == 0) {
      c = x.channel().compareTo(y.channel());
    }
    return c > 0;
  }

  private static CartState apply(CartState state, List<Object[]> ops) {
    for (Object[] op : ops) {
      state = switch ((String) op[0]) {
        case "set" -> state.with((CartLine) op[1]);
        case "add" -> {
          CartLine w = (CartLine) op[1];
          yield state.added(w.key(), w.quantity(), w.channel(), w.stamp());
        }
        default -> state.cleared((Stamp) op[1]);
      };
    }
    return state;
  }

  @Provide
  Arbitrary<List<Object[]>> operations() {
    Arbitrary<Object[]> set = writes().map(w -> w.isEmpty() ? new Object[] {"clear", Stamp.of(1, 0, "a")}
        : new Object[] {"set", w.get(0)});
    Arbitrary<Object[]> add = additions().map(w -> w.isEmpty() ? new Object[] {"clear", Stamp.of(1, 0, "a")}
        : new Object[] {"add", w.get(0)});
    Arbitrary<Object[]> clear = stamps().map(s -> new Object[] {"clear", s});
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, set), net.jqwik.api.Tuple.of(4, add), net.jqwik.api.Tuple.of(1, clear))
        .list().ofMaxSize(12);
  }

  @Property(tries = 300)
  void the_carts_key_order_is_the_natural_order_of_line_keys(@ForAll("keys") LineKey a, @ForAll("keys") LineKey b) {
    assertThat(Integer.signum(CartState.compareKeys(a, b))).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 200)
  void entries_and_lines_are_listed_in_key_order_whatever_the_keys_hashes(@ForAll("states") CartState a) {
    assertThat(a.entries()).extracting(CartLine::key).isSorted();
    assertThat(a.additions()).isSortedAccordingTo(
        java.util.Comparator.comparing(CartLine::key).thenComparing(CartLine::stamp));
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
  Arbitrary<List<CartLine>> additions() {
    Arbitrary<CartLine> line = Combinators.combine(
            keys(), Arbitraries.integers().between(1, 3), Arbitraries.of("web", "app", "pos"), stamps())
        .as(CartLine::of);
    return line.list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<CartState> states() {
    return Combinators.combine(writes(), additions(), stamps().injectNull(0.6))
        .as((lines, added, clear) -> CartState.of(lines, added, clear));
  }
}
