package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MariaDB and MySQL: {@code ON DUPLICATE KEY UPDATE} as a no-op (not {@code INSERT IGNORE}, which
 * would also swallow foreign-key and truncation errors), and InnoDB's deadlock and lock-wait codes.
 */
final class MariaDbDialect extends SqlDialect {
  private static final int LOCK_WAIT_TIMEOUT = 1205;
  private static final int DEADLOCK = 1213;
  private static final int DUPLICATE_KEY_NAME = 1061;
  private static final int DUPLICATE_FIELD_NAME = 1060;

  @Override
  public Dialect dialect() {
    return Dialect.MARIADB;
  }

  @Override
  public String schemaFolder() {
    return "mariadb";
  }

  /**
   * {@code LAST_INSERT_ID(expr)} makes the update report the new value in its OK packet, which the
   * driver hands back as the generated key: one round trip (MariaDB has no {@code UPDATE …
   * RETURNING}).
   */
  @Override
  public long takeChangePositions(Connection connection, int count) throws SQLException {
    try (PreparedStatement take = connection.prepareStatement(
        "UPDATE omni_change_head SET seq = LAST_INSERT_ID(seq + ?) WHERE id = 1", Statement.RETURN_GENERATED_KEYS)) {
      take.setLong(1, count);
      if (take.executeUpdate() == 0) {
        return 0;
      }
      try (ResultSet keys = take.getGeneratedKeys()) {
        return keys.next() ? keys.getLong(1) : 0;
      }
    }
  }

  @Override
  public String insertIfAbsent(String table, String... columns) {
    return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES (" + placeholders(columns.length)
        + ") ON DUPLICATE KEY UPDATE " + columns[0] + " = " + columns[0];
  }

  /**
   * {@code DELETE … LIMIT}: MariaDB and MySQL refuse {@code LIMIT} in an {@code IN} subquery, and
   * a subquery on the table being deleted from.
   */
  @Override
  public String deleteAtMost(String table, String key, String condition, int limit) {
    return "DELETE FROM " + table + " WHERE (" + condition + ") LIMIT " + limit;
  }

  /**
   * An index (error 1061) or a column (error 1060) of that name exists: MySQL 8 has no {@code
   * CREATE INDEX IF NOT EXISTS} nor {@code ADD COLUMN IF NOT EXISTS}, so the MariaDB scripts create
   * both plainly and a re-run goes past them.
   */
  @Override
  public boolean existsAlready(SQLException e) {
    return e.getErrorCode() == DUPLICATE_KEY_NAME || e.getErrorCode() == DUPLICATE_FIELD_NAME;
  }

  /**
   * Locks the rows it picks and skips rows another claim holds (MariaDB 10.6+ and MySQL 8), so that instances
   * claiming at once take different rows without waiting for each other.
   */
  @Override
  public String claimable(String select) {
    return select + " LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  @Override
  public boolean isTransient(SQLException e) {
    // InnoDB reports a lock wait timeout with the generic SQLState HY000: only its code names it
    return super.isTransient(e) || e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT;
  }
}
