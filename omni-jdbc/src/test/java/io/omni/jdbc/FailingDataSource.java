package io.omni.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A data source whose connection "drops" at the k-th round trip after {@link #failAt(int)}: that
 * execute (or commit) throws an {@link SQLException} of SQLState {@code 08006} (connection failure)
 * without reaching the database, as a server gone or a network cut would. One failure per arming.
 * {@link #count()} tells how many round trips were made since the last arming or {@link #reset()}.
 */
final class FailingDataSource {
  static final String LOST = "08006";

  final DataSource dataSource;
  private int failAt;
  private int count;
  private boolean fired;

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

  /** Counts from zero again and fails nothing. */
  synchronized void reset() {
    failAt(0);
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
    if (failAt > 0 && count == failAt) {
      fired = true;
      throw new SQLTransientConnectionException("injected: the connection dropped at round trip " + count
          + " (" + what + ")", LOST);
    }
  }
}
