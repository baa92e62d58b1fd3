package io.omni.jdbc.internal;

import io.omni.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What Omni's SQL needs from a database. The base class holds the standard SQL every supported
 * database accepts; each database overrides only what differs.
 */
public abstract class SqlDialect {

  /** The dialect for a public {@link Dialect} constant. */
  public static SqlDialect of(Dialect dialect) {
    switch (dialect) {
      case POSTGRESQL:
        return new PostgresDialect();
      case MARIADB:
        return new MariaDbDialect();
      case H2:
        return new H2Dialect();
      default:
        throw new IllegalArgumentException("unknown dialect " + dialect);
    }
  }

  /** The public constant this dialect stands for. */
  public abstract Dialect dialect();

  /**
   * The folder under {@code io/omni/jdbc/schema/} that holds this database's complete scripts
   * (and is its Flyway location).
   */
  public abstract String schemaFolder();

  /**
   * An insert that does nothing when a row with the same key exists, so that it never raises a
   * unique violation (which in PostgreSQL would abort the transaction).
   */
  public abstract String insertIfAbsent(String table, String... columns);

  /**
   * The condition that {@code column} is one of {@code n} values, bound by {@link #bindIn}: an
   * {@code IN} list here; a dialect that binds arrays says {@code = ANY(?)}, one statement text
   * (and one cached plan) whatever the number of values.
   */
  public String in(String column, int n) {
    return column + " IN (" + placeholders(n) + ")";
  }

  /**
   * Binds the values of an {@link #in} condition from parameter {@code index} on.
   *
   * @param sqlType the values' SQL type name, for an array: {@code "varchar"} or {@code "bigint"}
   * @return the next free parameter index
   */
  public int bindIn(PreparedStatement statement, int index, List<?> values, String sqlType)
      throws SQLException {
    for (Object value : values) {
      statement.setObject(index++, value);
    }
    return index;
  }

  /** Whether {@link #in} binds one array parameter rather than a list of parameters. */
  public boolean bindsArrays() {
    return false;
  }

  /**
   * Whether many rows are best found by joining a {@code VALUES} list of their keys, rather than
   * with {@link #in} on the key's last column: H2 uses only the first column of a two-column
   * index for {@code a = ? AND b IN (…)} and scans the rest.
   */
  public boolean joinsValueLists() {
    return false;
  }

  /** How many values one {@link #in} condition takes at most. */
  public int inChunk() {
    return 500;
  }

  /** The list in pieces of at most {@link #inChunk()} values, one {@link #in} condition each. */
  public <T> List<List<T>> chunks(List<T> all) {
    int size = inChunk();
    List<List<T>> pieces = new ArrayList<>((all.size() + size - 1) / size);
    for (int from = 0; from < all.size(); from += size) {
      pieces.add(all.subList(from, Math.min(all.size(), from + size)));
    }
    return pieces;
  }

  /**
   * A delete of at most {@code limit} rows of {@code table} that meet {@code condition}, which the
   * caller repeats until it deletes none: pruning in chunks, each its own short transaction.
   * Standard SQL picks the rows by their {@code key} columns in a subquery with {@code FETCH
   * FIRST}; a dialect whose {@code DELETE} takes a {@code LIMIT} says so.
   *
   * @param key the primary key's columns, comma-separated
   */
  public String deleteAtMost(String table, String key, String condition, int limit) {
    return "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " WHERE ("
        + condition + ") FETCH FIRST " + limit + " ROWS ONLY)";
  }

  /**
   * Adds {@code count} to the change feed's counter (the one row of {@code omni_change_head}),
   * which locks that row until the transaction ends, and answers the counter's new value; 0 when
   * the row is missing. Standard SQL takes two round trips: the update, then a select of the row
   * this transaction now holds. A database that reads what an update wrote in the same statement
   * does it in one.
   */
  public long takeChangePositions(Connection connection, int count) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE omni_change_head SET seq = seq + ? WHERE id = 1")) {
      update.setLong(1, count);
      if (update.executeUpdate() == 0) {
        return 0;
      }
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT seq FROM omni_change_head WHERE id = 1");
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Runs a statement that answers one number, or none (then 0). */
  static long singleLong(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The clause that makes a select lock its rows for update. */
  public String forUpdate() {
    return " FOR UPDATE";
  }

  /**
   * A select of outbox rows to claim ({@code select} ends with its {@code ORDER BY}) limited to
   * {@code ?} rows. Here it takes no lock: the conditional update of each row that follows is the
   * claim, and a row another instance claims meanwhile is simply not won (the update waits for
   * that claim to commit, then finds the row leased). H2 runs this: it accepts {@code SKIP LOCKED}
   * but applies the limit before skipping, so a second claimer got no rows at all while a first
   * held its batch (H2 2.3.232).
   */
  public String claimable(String select) {
    return select + " LIMIT ?";
  }

  /**
   * Whether re-running the whole transaction may succeed: a unique or foreign-key violation
   * (SQLState class {@code 23}, a concurrent writer got there first) or a serialization failure
   * ({@code 40001}). Dialects add their deadlock and lock-timeout codes.
   */
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("23") || state.equals("40001"));
  }

  /**
   * Whether a schema statement failed only because what it creates exists already, so that the
   * migrator may go on: for DDL the database cannot guard with {@code IF NOT EXISTS}. No by
   * default: every shipped statement guards itself.
   */
  public boolean existsAlready(SQLException e) {
    return false;
  }

  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  static String columnList(String... columns) {
    return Arrays.stream(columns).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return dialect().name();
  }
}
