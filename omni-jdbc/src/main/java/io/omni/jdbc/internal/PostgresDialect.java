package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.SQLException;

/** PostgreSQL: {@code ON CONFLICT DO NOTHING}, and its deadlock and lock-timeout SQLStates. */
final class PostgresDialect extends SqlDialect {

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  public String schemaFolder() {
    return "postgresql";
  }

  @Override
  public String insertIfAbsent(String table, String... columns) {
    return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES (" + placeholders(columns.length)
        + ") ON CONFLICT DO NOTHING";
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // 40P01 deadlock detected, 55P03 lock not available
    return super.isTransient(e) || "40P01".equals(state) || "55P03".equals(state);
  }
}
