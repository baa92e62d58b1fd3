package io.omni.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A data source whose connection "drops" at the k-th round trip after {@link #failAt(int)}: that
 * execute (or commit) throws an {@link SQLException} of SQLState {@code 08006} (connection failure)
 * without reaching the database, as a server gone or a network cut would. One failure per arming.
 * {@link #count()} tells how many round trips were made since the last arming or {@link #reset()}.
 * Or, after {@link #failRandomly}, any round trip may fail, as a flaky network would.
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
