package io.omni.benchmarks;

import com.jgalgo.internal.ds.UnionFindArray;
import io.omni.internal.UnionFind;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The union-find core on its own: Omni's internal {@code int[]} union-find against JGraphT's
 * {@code UnionFind<Integer>} and JGAlgo's {@code UnionFindArray}, at 10⁴, 10⁶ and 10⁷ elements.
 *
 * <p>The workload is one fixed-seed array of {@value #OPS} operations over elements drawn
 * uniformly from {@code 0..size-1}: half are {@code union(a, b)}, half {@code find(a)}. Each
 * invocation applies the next {@value #BATCH} operations; once the array is used up the structure
 * is rebuilt from singletons (outside the measurement), so every implementation runs exactly the
 * same sequence of states. JGraphT needs boxed elements: they are boxed once in setup, so the
 * loop measures the structure and not boxing. The score is operations per second.
 *
 * <pre>{@code
 * java -jar omni-benchmarks/target/benchmarks.jar UnionFindBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s \
 *     -rf json -rff target/jmh-union-find.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx12g", "-XX:+AlwaysPreTouch"})
public class UnionFindBenchmark {
  static final int OPS = 1 << 22;
  static final int BATCH = 1 << 10;
  private static final long SEED = 0x5EED_0F_0A11L;

  /** The implementations compared, each behind the {@link Sets} facade. */
  public enum Impl {
    OMNI {
      @Override
      Sets create(int size) {
        UnionFind uf = new UnionFind(size);
        for (int i = 0; i < size; i++) {
          uf.add();
        }
        return new Sets() {
          @Override
          public int find(int x) {
            return uf.find(x);
          }

          @Override
          public int union(int a, int b) {
            return uf.union(a, b);
          }
        };
      }
    },
    JGRAPHT {
      private Integer[] boxed;

      @Override
      Sets create(int size) {
        if (boxed == null || boxed.length != size) {
          boxed = new Integer[size];
          for (int i = 0; i < size; i++) {
            boxed[i] = i; // beyond the Integer cache: one object per element, as a user would hold
          }
        }
        Integer[] elements = boxed;
        org.jgrapht.alg.util.UnionFind<Integer> uf =
            new org.jgrapht.alg.util.UnionFind<>(java.util.Set.of());
        for (Integer e : elements) {
          uf.addElement(e);
        }
        return new Sets() {
          @Override
          public int find(int x) {
            return uf.find(elements[x]);
          }

          @Override
          public int union(int a, int b) {
            uf.union(elements[a], elements[b]);
            return a;
          }
        };
      }
    },
    JGALGO {
      @Override
      Sets create(int size) {
        UnionFindArray uf = new UnionFindArray();
        uf.makeMany(size);
        return new Sets() {
          @Override
          public int find(int x) {
            return uf.find(x);
          }

          @Override
          public int union(int a, int b) {
            return uf.union(a, b);
          }
        };
      }
    };

    abstract Sets create(int size);
  }

  /** The facade: what union-find offers, over dense int elements. */
  interface Sets {
    int find(int x);

    int union(int a, int b);
  }

  @Param({"10000", "1000000", "10000000"})
  int size;

  @Param
  Impl impl;

  private int[] first;
  private int[] second; // -1: the operation is find(first)
  private Sets sets;
  private int cursor;

  @Setup(Level.Trial)
  public void operations() {
    SplittableRandom random = new SplittableRandom(SEED);
    first = new int[OPS];
    second = new int[OPS];
    for (int k = 0; k < OPS; k++) {
      first[k] = random.nextInt(size);
      second[k] = random.nextBoolean() ? random.nextInt(size) : -1;
    }
    sets = impl.create(size);
    cursor = 0;
  }

  @Setup(Level.Invocation)
  public void nextBatch() {
    if (cursor + BATCH > OPS) {
      sets = null;
      sets = impl.create(size);
      cursor = 0;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int ops() {
    Sets s = sets;
    int[] a = first;
    int[] b = second;
    int sink = 0;
    int end = cursor + BATCH;
    for (int k = cursor; k < end; k++) {
      sink += b[k] < 0 ? s.find(a[k]) : s.union(a[k], b[k]);
    }
    cursor = end;
    return sink;
  }
}
