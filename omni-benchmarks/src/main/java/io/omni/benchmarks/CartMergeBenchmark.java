package io.omni.benchmarks;

import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import java.util.concurrent.TimeUnit;
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
 * The cart CRDT's join: two replicas' carts of {@code lines} lines each, three quarters of their
 * keys shared, with concurrent edits on both sides (quantities changed, lines removed, lines only
 * one side has, one side checked out once), merged into one.
 *
 * <p>Implementations sit behind {@link CartType} and {@link ReplicaPair}, one enum constant each,
 * so that a peer (Pekko's {@code LWWMap}, say) is added as one more constant building the same two
 * replicas from the same {@link Workload}.
 *
 * <p>Run it from the project root:
 *
 * <pre>{@code
 * mvn -B -q package -pl omni-core,omni-benchmarks -DskipTests
 * java -jar omni-benchmarks/target/benchmarks.jar CartMerge -f 1 -wi 3 -i 3 -w 1s -r 1s
 * java -jar omni-benchmarks/target/benchmarks.jar CartMerge -rf json -rff cart-merge.json   # full run, JSON results
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CartMergeBenchmark {

  /** Lines per replica's cart. */
  @Param({"10", "50", "200"})
  public int lines;

  /** Which implementation merges. */
  @Param({"OMNI"})
  public CartType type;

  private ReplicaPair pair;

  /** Builds both replicas once per trial; the merge is pure, so each invocation redoes the same join. */
  @Setup
  public void setUp() {
    pair = type.replicas(new Workload(lines));
  }

  /** Joins replica B into replica A. */
  @Benchmark
  public Object merge() {
    return pair.merge();
  }

  /** Two replicas' carts, ready to merge. */
  public interface ReplicaPair {
    /** Merges the second replica's cart into the first's and returns the result. */
    Object merge();
  }

  /**
   * What the two replicas did, independent of any implementation: each line of each replica as
   * (sku, quantity, replica, time, logical). Replica A holds {@code sku-0 … sku-(n-1)}; replica B
   * holds {@code sku-(n/4) … sku-(n+n/4-1)}, so three quarters overlap; on the overlap B wrote later
   * on even lines and earlier on odd ones, and removed every fifth line.
   */
  public static final class Workload {
    /** The SKUs, quantities and stamps of replica A's lines. */
    public final String[] skusA;
    /** Quantity per line of A. */
    public final int[] quantitiesA;
    /** Physical time per line of A. */
    public final long[] timesA;
    /** The SKUs of replica B's lines. */
    public final String[] skusB;
    /** Quantity per line of B; 0 is a removal. */
    public final int[] quantitiesB;
    /** Physical time per line of B. */
    public final long[] timesB;
    /** When replica A was checked out once, before most of its writes. */
    public final long clearA;

    Workload(int n) {
      long base = 1_732_320_000_000L;
      skusA = new String[n];
      quantitiesA = new int[n];
      timesA = new long[n];
      skusB = new String[n];
      quantitiesB = new int[n];
      timesB = new long[n];
      for (int i = 0; i < n; i++) {
        skusA[i] = "SKU-" + (100_000 + i);
        quantitiesA[i] = 1 + i % 3;
        timesA[i] = base + 10 + i;
        int k = i + n / 4;
        skusB[i] = "SKU-" + (100_000 + k);
        quantitiesB[i] = k % 5 == 0 ? 0 : 1 + k % 4;
        timesB[i] = base + 10 + k + (k % 2 == 0 ? 7 : -3);
      }
      clearA = base + 5;
    }
  }

  /** The implementations compared. */
  public enum CartType {
    /** Omni's {@link CartState}: sorted arrays, one linear merge. */
    OMNI {
      @Override
      ReplicaPair replicas(Workload w) {
        CartState a = CartState.empty().cleared(Stamp.of(w.clearA, 0, "eu-1"));
        for (int i = 0; i < w.skusA.length; i++) {
          a = a.set(LineKey.of(w.skusA[i]), w.quantitiesA[i], "web", Stamp.of(w.timesA[i], 0, "eu-1"));
        }
        CartState b = CartState.empty();
        for (int i = 0; i < w.skusB.length; i++) {
          // fresh LineKey and String instances, as if read from the wire
          LineKey key = LineKey.of(new String(w.skusB[i]));
          b = b.set(key, w.quantitiesB[i], "app", Stamp.of(w.timesB[i], 1, new String("pos-7")));
        }
        CartState left = a;
        CartState right = b;
        return () -> left.merge(right);
      }
    };

    abstract ReplicaPair replicas(Workload workload);
  }
}
