package io.omni.benchmarks;

import io.omni.cart.CartLine;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cart CRDT's join: Omni's {@link CartState#merge} against Pekko's {@code LWWMap.merge} (from
 * {@code pekko-distributed-data}, the usual JVM choice for a replicated map of last-writer-wins
 * registers), two replicas' carts of {@code size} lines each, merged into one.
 *
 * <p>Both implementations are built from one {@link Workload}: the same keys, quantities, times and
 * writing replicas, replayed through each one's own write API. The two replicas share a history
 * (4/5 of each cart's lines were written on replica A and synced to B), then each edited on its own:
 * A rewrote some shared lines, B rewrote others and removed every fifth, both rewrote every third
 * shared line in the same millisecond (a concurrent write, settled by the replica order), and each
 * added 1/5 of its lines the other has never seen. So each replica holds {@code size} lines and the
 * merge yields {@code 6/5 size}: at 50, 40 shared lines (all with differing writes) and 10 on each
 * side only. A removal is a write of quantity 0 on both sides (Omni's tombstone; in the {@code
 * LWWMap} the same register set to 0), so both merges hold and compare the same entries. Setup
 * checks that both merges give the same quantity for every line.
 *
 * <p>Pekko's replicas are two {@code SelfUniqueAddress} values; no actor system is started. Each
 * state has its delta reset, as a state received from another node would. Omni's replica B gets its
 * keys as fresh {@code LineKey} and {@code String} instances, as if read from the wire. The merge
 * is pure on both sides, so each invocation redoes the same join; the result is returned (and so
 * blackholed by JMH). The score is nanoseconds per merge.
 *
 * <p>Implementations sit behind the {@link ReplicaPair} facade and the {@link CartType} enum,
 * selected by the {@code impl} parameter ({@code OMNI} is the reference for {@link Ratios}). Run it
 * from the project root:
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl omni-core,omni-benchmarks -am
 * java -jar omni-benchmarks/target/benchmarks.jar CartMergeBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s \
 *     -rf json -rff omni-benchmarks/target/jmh-cart-merge.json
 * java -jar omni-benchmarks/target/benchmarks.jar CartMergeBenchmark -p impl=OMNI -p size=200 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CartMergeBenchmark {

  /** Lines in each replica's cart (the merged cart holds 6/5 as many). */
  @Param({"10", "50", "200"})
  public int size;

  /** Which implementation merges. */
  @Param
  public CartType impl;

  private ReplicaPair pair;

  /** Builds both replicas once per trial and checks the implementations agree on the merge. */
  @Setup
  public void setUp() {
    Workload workload = new Workload(size);
    pair = impl.replicas(workload);
    Map<String, Integer> expected = CartType.OMNI.replicas(workload).quantities();
    Map<String, Integer> actual = pair.quantities();
    if (!expected.equals(actual)) {
      throw new IllegalStateException(impl + " merges to " + actual + ", Omni to " + expected);
    }
  }

  /** Joins replica B's cart into replica A's. */
  @Benchmark
  public Object merge() {
    return pair.merge();
  }

  /** Two replicas' carts, ready to merge: the facade over each implementation. */
  public interface ReplicaPair {
    /** Merges the second replica's cart into the first's and returns the result. */
    Object merge();

    /** The merged cart's entries, SKU to quantity (0 for a removed line): to check agreement. */
    Map<String, Integer> quantities();
  }

  /** One write: a line's absolute quantity (0 removes it) at a time, by replica A or B. */
  public record Write(String sku, int quantity, long millis, boolean byB) {}

  /**
   * What the two replicas did, independent of any implementation. Replica A writes {@code shared}
   * (the synced history both hold), then A's own edits go to {@code onlyA}, B's to {@code onlyB}.
   */
  public static final class Workload {
    /** Written on A and synced to B before the replicas went apart. */
    public final List<Write> shared = new ArrayList<>();
    /** A's writes after that. */
    public final List<Write> onlyA = new ArrayList<>();
    /** B's writes after that. */
    public final List<Write> onlyB = new ArrayList<>();

    Workload(int size) {
      long base = 1_732_320_000_000L;
      int common = size * 4 / 5;
      int own = size - common;
      for (int i = 0; i < common; i++) {
        shared.add(new Write(sku(i), 1 + i % 3, base + i, false));
      }
      long later = base + 10_000;
      for (int i = 0; i < common; i++) {
        if (i % 3 == 0) { // concurrent: both rewrite it in the same millisecond
          onlyA.add(new Write(sku(i), 2 + i % 4, later + i, false));
          onlyB.add(new Write(sku(i), 5 + i % 2, later + i, true));
        } else if (i % 5 == 0) { // B removed it after A's last change
          onlyA.add(new Write(sku(i), 4, later + i, false));
          onlyB.add(new Write(sku(i), 0, later + i + 3, true));
        } else if (i % 2 == 0) { // A changed it last
          onlyB.add(new Write(sku(i), 3 + i % 2, later + i, true));
          onlyA.add(new Write(sku(i), 1 + i % 5, later + i + 2, false));
        } else { // B changed it last
          onlyA.add(new Write(sku(i), 2 + i % 5, later + i, false));
          onlyB.add(new Write(sku(i), 1 + i % 4, later + i + 1, true));
        }
      }
      for (int i = 0; i < own; i++) {
        onlyA.add(new Write(sku(common + 2 * i), 1 + i % 3, later + common + i, false));
        onlyB.add(new Write(sku(common + 2 * i + 1), 1 + i % 2, later + common + i, true));
      }
    }

    private static String sku(int i) {
      return "SKU-" + (100_000 + i);
    }
  }

  /** The implementations compared. */
  public enum CartType {
    /** Omni's {@link CartState}: sorted flat arrays of interned keys, one linear merge. */
    OMNI {
      @Override
      ReplicaPair replicas(Workload w) {
        CartState history = CartState.empty();
        for (Write x : w.shared) {
          history = write(history, x, false);
        }
        CartState a = history;
        for (Write x : w.onlyA) {
          a = write(a, x, false);
        }
        CartState b = history;
        for (Write x : w.onlyB) {
          b = write(b, x, true); // fresh keys and strings, as if read from the wire
        }
        CartState left = a;
        CartState right = b;
        return new ReplicaPair() {
          @Override
          public Object merge() {
            return left.merge(right);
          }

          @Override
          public Map<String, Integer> quantities() {
            Map<String, Integer> q = new TreeMap<>();
            for (CartLine line : left.merge(right).entries()) {
              q.put(line.key().sku(), line.quantity());
            }
            return q;
          }
        };
      }

      private CartState write(CartState cart, Write x, boolean fresh) {
        LineKey key = LineKey.of(fresh ? new String(x.sku()) : x.sku());
        String replica = x.byB() ? "pos-7" : "eu-1";
        return cart.set(key, x.quantity(), x.byB() ? "app" : "web",
            Stamp.of(x.millis(), 0, fresh ? new String(replica) : replica));
      }
    },

    /** Pekko's {@code LWWMap<String, Integer>}: an {@code ORMap} of {@code LWWRegister}s. */
    PEKKO {
      // On equal timestamps an LWWRegister keeps the lower node's write (address: host, then
      // port), Omni the greater replica id's: B ("pos-7" > "eu-1") gets the lower port so both
      // settle ties alike.
      private final SelfUniqueAddress nodeA =
          SelfUniqueAddress.apply(UniqueAddress.apply(new Address("pekko", "shop", "10.0.0.1", 2552), 1L));
      private final SelfUniqueAddress nodeB =
          SelfUniqueAddress.apply(UniqueAddress.apply(new Address("pekko", "shop", "10.0.0.1", 2551), 2L));

      @Override
      ReplicaPair replicas(Workload w) {
        LWWMap<String, Integer> history = LWWMap.empty();
        for (Write x : w.shared) {
          history = write(history, x, false);
        }
        history = history.resetDelta();
        LWWMap<String, Integer> a = history;
        for (Write x : w.onlyA) {
          a = write(a, x, false);
        }
        LWWMap<String, Integer> b = history;
        for (Write x : w.onlyB) {
          b = write(b, x, true);
        }
        LWWMap<String, Integer> left = a.resetDelta();
        LWWMap<String, Integer> right = b.resetDelta();
        return new ReplicaPair() {
          @Override
          public Object merge() {
            return left.merge(right);
          }

          @Override
          public Map<String, Integer> quantities() {
            return new TreeMap<>(left.merge(right).getEntries());
          }
        };
      }

      private LWWMap<String, Integer> write(LWWMap<String, Integer> map, Write x, boolean fresh) {
        long millis = x.millis();
        LWWRegister.Clock<Integer> at = (current, value) -> millis;
        return map.put(x.byB() ? nodeB : nodeA, fresh ? new String(x.sku()) : x.sku(),
            Integer.valueOf(x.quantity()), at);
      }
    };

    abstract ReplicaPair replicas(Workload workload);
  }
}
