package io.omni.jdbc.internal;

import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Operator corrections in SQL ({@code V008__corrections.sql}): one row of {@code omni_correction}
 * per correction, written in the identity transaction that makes, withdraws or (by a forget)
 * drops it. A join's evidence is an ordinary evidence row; core writes it. Statements only: the
 * identity transaction ({@link IdentityWrites}) calls these with its {@link Sql}.
 */
final class JdbcCorrections {
  private JdbcCorrections() {}

  private static final String COLUMNS = """
      SELECT id, kind, a_type, a_value, b_type, b_value, author, reason, at_ms, withdrawn_by, withdrawn_ms
      FROM omni_correction""";
  static final String ALL = COLUMNS + " ORDER BY id";
  static final String SEPARATIONS = COLUMNS + " WHERE kind = 'SEPARATE' AND withdrawn_ms IS NULL ORDER BY id";
  static final String INSERT = """
      INSERT INTO omni_correction (kind, a_type, a_value, b_type, b_value, author, reason, at_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  static final String WITHDRAW = """
      UPDATE omni_correction SET withdrawn_by = ?, withdrawn_ms = ? WHERE id = ? AND withdrawn_ms IS NULL""";
  static final String DELETE = """
      DELETE FROM omni_correction WHERE id = ?""";

  /** Every correction, by id. */
  static List<Correction> all(Sql sql) {
    return sql.query(ALL, s -> { }, JdbcCorrections::read);
  }

  /** The active separations, by id. */
  static List<Correction> separations(Sql sql) {
    return sql.query(SEPARATIONS, s -> { }, JdbcCorrections::read);
  }

  /** Keeps a new correction; returns its id. */
  static long add(Sql sql, Correction c) {
    return sql.insert(INSERT, "id", s -> {
      s.setString(1, c.kind().name());
      s.setString(2, c.a().type().name());
      s.setString(3, c.a().value());
      s.setString(4, c.b().type().name());
      s.setString(5, c.b().value());
      s.setString(6, c.author());
      s.setString(7, c.reason());
      s.setLong(8, c.at().toEpochMilli());
    });
  }

  /** Marks a correction withdrawn. */
  static void withdraw(Sql sql, long id, String by, Instant at) {
    int changed = sql.update(WITHDRAW, s -> {
      s.setString(1, by);
      s.setLong(2, at.toEpochMilli());
      s.setLong(3, id);
    });
    if (changed == 0) {
      throw new IllegalArgumentException("no active correction with id " + id);
    }
  }

  /** Deletes a correction; nothing for an unknown id. */
  static void remove(Sql sql, long id) {
    sql.update(DELETE, s -> s.setLong(1, id));
  }

  private static Correction read(ResultSet rs) throws SQLException {
    long withdrawn = rs.getLong(11);
    Instant withdrawnAt = rs.wasNull() ? null : Instant.ofEpochMilli(withdrawn);
    return new Correction(rs.getLong(1), Correction.Kind.valueOf(rs.getString(2)),
        new Identifier(IdentifierType.of(rs.getString(3)), rs.getString(4)),
        new Identifier(IdentifierType.of(rs.getString(5)), rs.getString(6)),
        rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
        withdrawnAt == null ? null : rs.getString(10), withdrawnAt);
  }
}
