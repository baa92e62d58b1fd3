package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.SQLException;

/** MariaDB and MySQL: {@code INSERT IGNORE}, and InnoDB's deadlock and lock-wait error codes. */
final class MariaDbDialect extends SqlDialect {
  private static final int LOCK_WAIT_TIMEOUT = 1205;
  private static final int DEADLOCK = 1213;

  @Override
  public Dialect dialect() {
    return Dialect.MARIADB;
  }

  @Override
  public String schemaFolder() {
    return "mariadb";
  }

  @Override
  public String insertIfAbsent(String table, String... columns) {
    return "INSERT IGNORE INTO " + table + " (" + columnList(columns) + ") VALUES ("
        + placeholders(columns.length) + ")";
  }

  @Override
  public boolean isTransient(SQLException e) {
    // InnoDB reports a lock wait timeout with the generic SQLState HY000: only its code names it
    return super.isTransient(e) || e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT;
  }
}
