package io.omni.benchmarks;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one link against the size of the cluster it lands in: one profile holds an account
 * and {@code size} identifiers of a custom type ({@code b2b_seat}) whose limit is unbounded, and
 * each link joins the account with one of its seats again, picked at random among the first
 * {@value #HOT} (all of them when there are fewer) — the link finds the cluster, reads its type
 * counts, checks the rules and appends its evidence, and the cluster stays {@code size} members so
 * that every iteration measures the same size. The links touch the same few identifiers at every
 * size so that what changes is the size of the cluster, not how many identifiers miss the cache:
 * random links over 10⁶ identifiers cost cache misses on any layout, which {@link
 * IdentityLinkBenchmark} measures.
 *
 * <p>Before type counts were kept exactly and incrementally, a profile holding more than 255
 * identifiers of a type (or a type past the seventh) was counted by walking its members on every
 * link, so this cost grew in proportion to {@code size}. The goal: the largest size costs at most
 * 2× the smallest (the rest is cache misses on a bigger heap, not work).
 *
 * <pre>{@code
 * java -jar omni-benchmarks/target/benchmarks.jar ClusterSizeLinkBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class ClusterSizeLinkBenchmark {
  static final int BATCH = 1_000;
  static final int HOT = 1_024;
  static final IdentifierType SEAT = IdentifierType.of("b2b_seat");

  /** Identifiers of one type in the cluster each link lands in. */
  @Param({"10", "1000", "100000", "1000000"})
  int size;

  private Identities ids;
  private Identifier account;
  private Identifier[] seats;
  private int[] picks;
  private int cursor;

  @Setup
  public void cluster() {
    IdentityRules rules = IdentityRules.defaults().limit(SEAT, Integer.MAX_VALUE);
    ids = Omni.builder().identityRules(rules).build().identities();
    account = Identifier.account("acct-1");
    seats = new Identifier[size];
    for (int k = 0; k < size; k++) {
      seats[k] = Identifier.of(SEAT, "seat-" + k);
      ids.link("setup", account, seats[k]);
    }
    SplittableRandom random = new SplittableRandom(42);
    picks = new int[1 << 16];
    for (int k = 0; k < picks.length; k++) {
      picks[k] = random.nextInt(Math.min(size, HOT));
    }
  }

  @TearDown
  public void check() {
    int held = ids.profile(ids.resolve(account).orElseThrow()).identifiers().size();
    if (held != size + 1) {
      throw new IllegalStateException("the cluster holds " + held + " identifiers, expected " + (size + 1));
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void link() {
    Identities i = ids;
    int c = cursor;
    for (int k = 0; k < BATCH; k++) {
      i.link("web", account, seats[picks[c]]);
      c = (c + 1) & (picks.length - 1);
    }
    cursor = c;
  }
}
