package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * A data source whose connection "drops" at the k-th round trip after {@link #failAt(int)}: that
 * execute (or commit) throws an {@link SQLException} of SQLState {@code 08006} (connection failure)
 * without reaching the database, as a server gone or a network cut would. One failure per arming.
 * {@link #count()} tells how many round trips were made since the last arming or {@link #reset()}.
 * Or, after {@link #failRandomly}, any round trip may fail, as a flaky network would.
 * {@link #interruptEachRoundTrip} drops each round trip of a write in turn.
 */
final class FailingDataSource {
  static final String LOST = "08006";

  final DataSource dataSource;
  private int failAt;
  private int count;
  private boolean fired;
  private java.util.Random random;
  private int oneIn;
  private int failures;

  FailingDataSource(DataSource target) {
    CountingDataSource counting = new CountingDataSource(target);
    counting.beforeRoundTrip = this::roundTrip;
    this.dataSource = counting.dataSource;
  }

  /** Makes the k-th round trip from now fail (k from 1); 0 for none. */
  synchronized void failAt(int k) {
    failAt = k;
    count = 0;
    fired = false;
  }

  /**
   * From now on, each round trip fails with probability {@code 1/oneIn}, drawn from a generator
   * seeded with {@code seed}; {@link #failures()} counts them.
   */
  synchronized void failRandomly(long seed, int oneIn) {
    this.random = new java.util.Random(seed);
    this.oneIn = oneIn;
  }

  /** How many round trips failed at random. */
  synchronized int failures() {
    return failures;
  }

  /** Counts from zero again and fails nothing. */
  synchronized void reset() {
    failAt(0);
    random = null;
  }

  synchronized int count() {
    return count;
  }

  /** Whether the armed failure happened. */
  synchronized boolean fired() {
    return fired;
  }

  /** What a test checks (and retries) after one run of the write under test. */
  @FunctionalInterface
  interface AfterRun {
    /**
     * @param k the round trip that was to fail
     * @param interrupted whether it failed: false when the write made fewer than k round trips
     * @param thrown what the write threw, or null (a write may swallow a failure)
     */
    void after(int k, boolean interrupted, RuntimeException thrown);
  }

  /**
   * Drops the k-th round trip of {@code write}, for k = 1, 2, … until the write makes fewer than k
   * round trips (that last run is unharmed). Before each run, {@code prepare} (without faults); after
   * it, {@code after}. A write that throws although nothing was dropped fails the test.
   *
   * @return how many runs were interrupted
   */
  int interruptEachRoundTrip(IntConsumer prepare, IntConsumer write, AfterRun after) {
    for (int k = 1; ; k++) {
      prepare.accept(k);
      failAt(k);
      RuntimeException thrown = null;
      try {
        write.accept(k);
      } catch (RuntimeException e) {
        assertThat(fired()).as("failed at round trip %d, not by the injected fault: %s", k, e).isTrue();
        thrown = e;
      }
      boolean interrupted = fired();
      reset();
      after.after(k, interrupted, thrown);
      if (!interrupted) {
        return k - 1;
      }
    }
  }

  private synchronized void roundTrip(String what) throws SQLException {
    count++;
    if (random != null && random.nextInt(oneIn) == 0) {
      failures++;
      throw new SQLTransientConnectionException("injected: the connection dropped at random (" + what + ")", LOST);
    }
    if (failAt > 0 && count == failAt) {
      fired = true;
      throw new SQLTransientConnectionException("injected: the connection dropped at round trip " + count
          + " (" + what + ")", LOST);
    }
  }
}
