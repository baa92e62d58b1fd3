package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.IntConsumer;
import javax.sql.DataSource;

/**
 * A data source whose connection fails in one of two ways ({@link Fault}), as a hostile network
 * would, with an {@link SQLException} of SQLState {@code 08006} (connection failure):
 *
 * <ul>
 *   <li>{@link Fault#DROP}: after {@link #failAt(int)}, the k-th round trip (an execute or a
 *       commit) throws <em>without reaching the database</em>, as a server gone or a cut before the
 *       request would. {@link #count()} counts round trips.
 *   <li>{@link Fault#LOST_ACK}: after {@link #loseAckAt(int)}, the k-th commit that made writes —
 *       a {@code commit} of a transaction that ran anything but a {@code SELECT}, or such a
 *       statement run in auto-commit — <em>reaches the database and commits</em>, and then throws:
 *       the acknowledgement was lost on the way back. The caller (or a retry loop of Omni's own)
 *       then retries a write that already committed. {@link #count()} counts those commits only (a
 *       commit of reads lost after it reached the database is a read that failed, which a drop
 *       covers), so the loops over them stay short.
 * </ul>
 *
 * One failure per arming; {@link #count()} counts since the last arming or {@link #reset()}. Or,
 * after {@link #failRandomly}, any round trip may be dropped, as a flaky network would.
 * {@link #interruptEach} fails each round trip (or commit) of a write in turn.
 */
final class FailingDataSource {
  static final String LOST = "08006";

  /** How the connection fails. */
  enum Fault {
    /** A round trip never reaches the database. */
    DROP,
    /** A commit of writes reaches the database and commits; its acknowledgement is lost. */
    LOST_ACK;

    /** What one failure is, for messages. */
    String what() {
      return this == DROP ? "round trip" : "commit (acknowledgement lost)";
    }
  }

  final DataSource dataSource;
  private int failAt;
  private int count;
  private boolean fired;
  private java.util.Random random;
  private int oneIn;
  private int failures;
  private Fault fault = Fault.DROP;

  FailingDataSource(DataSource target) {
    CountingDataSource counting = new CountingDataSource(target);
    counting.beforeRoundTrip = this::roundTrip;
    counting.afterCommit = this::committed;
    this.dataSource = counting.dataSource;
  }

  /** Makes the k-th round trip from now fail before it reaches the database (k from 1); 0 for none. */
  synchronized void failAt(int k) {
    failAt(Fault.DROP, k);
  }

  /** Makes the k-th commit of writes from now commit, then fail (k from 1); 0 for none. */
  synchronized void loseAckAt(int k) {
    failAt(Fault.LOST_ACK, k);
  }

  /** Arms {@code fault} at the k-th round trip (or commit of writes, for a lost acknowledgement). */
  synchronized void failAt(Fault fault, int k) {
    this.fault = fault;
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

  /** {@link #interruptEach} with the round trips dropped. */
  int interruptEachRoundTrip(IntConsumer prepare, IntConsumer write, AfterRun after) {
    return interruptEach(Fault.DROP, prepare, write, after);
  }

  /**
   * Fails the k-th round trip of {@code write} (for a lost acknowledgement, its k-th commit of
   * writes), for k = 1, 2, … until the write makes fewer than k (that last run is unharmed). Before
   * each run, {@code prepare} (without faults); after it, {@code after}. A write that throws
   * although nothing failed fails the test.
   *
   * @return how many runs were interrupted
   */
  int interruptEach(Fault fault, IntConsumer prepare, IntConsumer write, AfterRun after) {
    for (int k = 1; ; k++) {
      prepare.accept(k);
      failAt(fault, k);
      RuntimeException thrown = null;
      try {
        write.accept(k);
      } catch (RuntimeException e) {
        assertThat(fired()).as("failed at %s %d, not by the injected fault: %s", fault.what(), k, e).isTrue();
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
    boolean dropping = fault == Fault.DROP;
    if (dropping) {
      count++;
    }
    if (random != null && random.nextInt(oneIn) == 0) {
      failures++;
      throw new SQLTransientConnectionException("injected: the connection dropped at random (" + what + ")", LOST);
    }
    if (dropping && failAt > 0 && count == failAt) {
      fired = true;
      throw new SQLTransientConnectionException("injected: the connection dropped at round trip " + count
          + " (" + what + ")", LOST);
    }
  }

  private synchronized void committed(java.util.List<String> writes) throws SQLException {
    if (fault != Fault.LOST_ACK) {
      return;
    }
    count++;
    if (failAt > 0 && count == failAt) {
      fired = true;
      throw new SQLTransientConnectionException("injected: commit " + count + " reached the database, its"
          + " acknowledgement was lost (" + String.join("; ", writes) + ")", LOST);
    }
  }
}
