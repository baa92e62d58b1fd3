package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Model-based: random writes, checkouts and syncs on 3 to 5 replicas whose clocks are skewed by up
 * to ±30 s, then a full exchange. Every replica must end in the one state a sequential reference
 * predicts: all writes applied one after another in stamp order to a plain map, a checkout
 * emptying it.
 */
final class CartConvergenceTest {
  private static final List<LineKey> KEYS = List.of(
      LineKey.of("SKU-1"), LineKey.of("SKU-2"), LineKey.of("SKU-1", "red"), LineKey.of("SKU-4").with("giftWrap", "yes"));

  /** One step: {@code kind} 0–5 write, 6 checkout, 7–9 sync; the rest picks replicas, keys, amounts. */
  record Op(int kind, int replica, int other, int key, int quantity, int elapsedMillis) {}

  @Property(tries = 200)
  void replicas_with_skewed_clocks_converge_to_the_sequential_reference(
      @ForAll @IntRange(min = 3, max = 5) int replicaCount, @ForAll("skews") List<Integer> skews,
      @ForAll("ops") List<Op> ops) {
    TestClock world = TestClock.at("2026-11-22T10:00:00Z");
    List<HybridClock> clocks = new ArrayList<>();
    List<CartState> states = new ArrayList<>();
    for (int r = 0; r < replicaCount; r++) {
      clocks.add(HybridClock.of(skewed(world, skews.get(r)), "r" + r, Duration.ofMinutes(1)));
      states.add(CartState.empty());
    }
    List<CartLine> writes = new ArrayList<>();
    List<Stamp> checkouts = new ArrayList<>();

    for (Op op : ops) {
      world.advance(Duration.ofMillis(op.elapsedMillis()));
      int r = op.replica() % replicaCount;
      HybridClock hlc = clocks.get(r);
      CartState mine = states.get(r);
      LineKey key = KEYS.get(op.key() % KEYS.size());
      if (op.kind() <= 1) { // setQuantity
        CartLine w = CartLine.of(key, op.quantity(), "c" + r, hlc.now());
        writes.add(w);
        states.set(r, mine.with(w));
      } else if (op.kind() <= 3) { // add: reads and sets
        CartLine w = CartLine.of(key, mine.quantity(key) + 1 + op.quantity(), "c" + r, hlc.now());
        writes.add(w);
        states.set(r, mine.with(w));
      } else if (op.kind() <= 5) { // remove
        CartLine w = CartLine.of(key, 0, "c" + r, hlc.now());
        writes.add(w);
        states.set(r, mine.with(w));
      } else if (op.kind() == 6) { // checkout
        Stamp clear = hlc.now();
        checkouts.add(clear);
        states.set(r, mine.cleared(clear));
      } else { // replica `other` sends its state to r
        int from = op.other() % replicaCount;
        sync(clocks, states, from, r);
      }
    }
    // full exchange: everyone to 0, then 0 to everyone
    for (int r = 1; r < replicaCount; r++) {
      sync(clocks, states, r, 0);
    }
    for (int r = 1; r < replicaCount; r++) {
      sync(clocks, states, 0, r);
    }

    CartState expected = reference(writes, checkouts);
    for (CartState state : states) {
      assertThat(state).isEqualTo(expected);
      for (LineKey key : KEYS) {
        assertThat(state.quantity(key)).isEqualTo(expected.quantity(key));
      }
    }
  }

  private static void sync(List<HybridClock> clocks, List<CartState> states, int from, int to) {
    CartState remote = states.get(from);
    remote.latest().ifPresent(clocks.get(to)::update);
    states.set(to, states.get(to).merge(remote));
  }

  /** The sequential reference: every event in stamp order on a plain sorted map. */
  private static CartState reference(List<CartLine> writes, List<Stamp> checkouts) {
    record Event(Stamp stamp, CartLine write) {}
    List<Event> events = new ArrayList<>();
    writes.forEach(w -> events.add(new Event(w.stamp(), w)));
    checkouts.forEach(s -> events.add(new Event(s, null)));
    events.sort(Comparator.comparing(Event::stamp));
    Map<LineKey, CartLine> map = new TreeMap<>(CartState.KEY_ORDER);
    Stamp clear = null;
    for (Event e : events) {
      if (e.write() == null) {
        map.clear();
        clear = e.stamp();
      } else {
        map.put(e.write().key(), e.write());
      }
    }
    return clear == null ? CartState.of(map.values()) : CartState.of(map.values(), clear);
  }

  private static Clock skewed(TestClock world, int skewMillis) {
    return new Clock() {
      @Override
      public Instant instant() {
        return world.instant().plusMillis(skewMillis);
      }

      @Override
      public ZoneId getZone() {
        return world.getZone();
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
  }

  @Provide
  Arbitrary<List<Integer>> skews() {
    return Arbitraries.integers().between(-30_000, 30_000).list().ofSize(5);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> small = Arbitraries.integers().between(0, 9);
    return net.jqwik.api.Combinators.combine(
            small, small, small, small, Arbitraries.integers().between(0, 3),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)), net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 5)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(100, 40_000))))
        .as(Op::new)
        .list().ofMaxSize(60);
  }
}
