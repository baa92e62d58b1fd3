package io.omni.jdbc.internal;

import io.omni.identity.Identifier;
import io.omni.jdbc.Dialect;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** H2 2.x: {@code MERGE INTO … KEY}, and its lock-timeout and concurrent-update SQLStates. */
final class H2Dialect extends SqlDialect {
  private static final String FIND_VALUES_JOIN_HEAD = """
      SELECT i.id, i.id_value, i.profile, i.conflicts, i.shared, i.id_type FROM (VALUES""";
  private static final String FIND_VALUES_JOIN_TAIL = """
      ) AS v (t, val) JOIN omni_identifier i ON i.id_type = v.t AND i.id_value = v.val""";

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

  /** {@code MERGE … KEY (merged)}: the row of a merged profile, whatever its other columns hold. */
  @Override
  void insertOwedCarries(Sql sql, List<OwedCarry> owed) {
    sql.batch("MERGE INTO " + JdbcOwedCarries.TABLE + " (" + columnList(JdbcOwedCarries.COLUMNS) + ") KEY (merged) VALUES ("
        + placeholders(JdbcOwedCarries.COLUMNS.length) + ")", "noting owed merge carries", owed, JdbcOwedCarries::bind);
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // HYT00 lock timeout, 90131 concurrent update of the same row
    return super.isTransient(e) || "HYT00".equals(state) || "90131".equals(state);
  }

  /**
   * A join with a {@code VALUES} list of (type, value) rows: H2 uses only the first column of a
   * two-column index for {@code a = ? AND b IN (…)} and scans the rest.
   */
  @Override
  Map<Identifier, StoredIdentifier> findIdentifiers(Sql sql, List<Identifier> ids) {
    Map<Identifier, StoredIdentifier> found = new HashMap<>();
    Map<String, Map<String, Integer>> asked = positions(ids);
    for (List<Identifier> chunk : chunks(ids)) {
      String rows = String.join(", ", Collections.nCopies(chunk.size(),
          "(CAST(? AS VARCHAR(32)), CAST(? AS VARCHAR(256)))"));
      sql.query(FIND_VALUES_JOIN_HEAD + rows + FIND_VALUES_JOIN_TAIL, s -> {
        for (int k = 0; k < chunk.size(); k++) {
          s.setString(2 * k + 1, chunk.get(k).type().name());
          s.setString(2 * k + 2, chunk.get(k).value());
        }
      }, rs -> putFound(found, ids, asked, rs));
    }
    return found;
  }
}
