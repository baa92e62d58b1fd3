package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
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
