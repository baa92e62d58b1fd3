package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** H2 2.x: {@code MERGE INTO … KEY}, and its lock-timeout and concurrent-update SQLStates. */
final class H2Dialect extends SqlDialect {

  @Override
  public Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  public String schemaFolder() {
    return "h2";
  }

  /** A select from the update's {@code FINAL TABLE}: one round trip. */
  @Override
  public long takeChangePositions(Connection connection, int count) throws SQLException {
    try (PreparedStatement take = connection.prepareStatement(
        "SELECT seq FROM FINAL TABLE (UPDATE omni_change_head SET seq = seq + ? WHERE id = 1)")) {
      take.setLong(1, count);
      return singleLong(take);
    }
  }

  @Override
  public String insertIfAbsent(String table, String... columns) {
    String list = columnList(columns);
    return "MERGE INTO " + table + " (" + list + ") KEY (" + list + ") VALUES (" + placeholders(columns.length) + ")";
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // HYT00 lock timeout, 90131 concurrent update of the same row
    return super.isTransient(e) || "HYT00".equals(state) || "90131".equals(state);
  }

  @Override
  public boolean joinsValueLists() {
    return true;
  }
}
