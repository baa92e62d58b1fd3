package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

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

  /**
   * {@code = ANY(?)} over one array parameter: an {@code IN} list of a few hundred parameters is
   * a new statement text for every length, and was seen to plan as a scan of every identifier of
   * the type (70 ms a lookup at 10⁵ rows).
   */
  @Override
  public String in(String column, int n) {
    return column + " = ANY(?)";
  }

  @Override
  public int bindIn(PreparedStatement statement, int index, List<?> values, String sqlType) throws SQLException {
    statement.setArray(index, statement.getConnection().createArrayOf(sqlType, values.toArray()));
    return index + 1;
  }

  @Override
  public boolean bindsArrays() {
    return true;
  }

  @Override
  public int inChunk() {
    return 10_000;
  }

  /**
   * Locks the rows it picks and skips rows another claim holds (PostgreSQL), so that instances
   * claiming at once take different rows without waiting for each other.
   */
  @Override
  public String claimable(String select) {
    return select + " LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  /** {@code UPDATE … RETURNING}: one round trip. */
  @Override
  public long takeChangePositions(Connection connection, int count) throws SQLException {
    try (PreparedStatement take = connection.prepareStatement(
        "UPDATE omni_change_head SET seq = seq + ? WHERE id = 1 RETURNING seq")) {
      take.setLong(1, count);
      return singleLong(take);
    }
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // 40P01 deadlock detected, 55P03 lock not available
    return super.isTransient(e) || "40P01".equals(state) || "55P03".equals(state);
  }
}
