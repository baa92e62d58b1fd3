package io.omni.jdbc.internal;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import io.omni.jdbc.Dialect;
import io.omni.spi.Evidence;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Omni's SQL needs from a database. The base class holds the standard SQL every supported
 * database accepts; each database overrides only what differs.
 */
public abstract class SqlDialect {
  private static final String FIND_VALUES =
      "SELECT id, id_value, profile, conflicts, shared, id_type FROM omni_identifier WHERE id_type = ? AND ";

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

  // ------------------------------------------------- the identity store's bulk statements

  /**
   * The stored rows of these identifiers, read fresh, keyed by identifier, each with the profile
   * its row holds. Standard SQL: one {@code id_type = ? AND id_value IN (…)} per type and {@link
   * #inChunk()} values.
   */
  Map<Identifier, StoredIdentifier> findIdentifiers(Sql sql, List<Identifier> ids) {
    Map<Identifier, StoredIdentifier> found = new HashMap<>();
    Map<String, Map<String, Integer>> asked = positions(ids);
    for (Map.Entry<String, Map<String, Integer>> ofType : asked.entrySet()) {
      String type = ofType.getKey();
      for (List<String> values : chunks(new ArrayList<>(ofType.getValue().keySet()))) {
        sql.query(FIND_VALUES + in("id_value", values.size()), s -> {
          s.setString(1, type);
          bindIn(s, 2, values, "varchar");
        }, rs -> putFound(found, ids, asked, rs));
      }
    }
    return found;
  }

  /**
   * Notes a found identifier row whose columns are {@code id, id_value, profile, conflicts, shared,
   * id_type}, keyed by the identifier of {@code ids} it names when {@code asked} ({@link #positions}
   * of {@code ids}) has it: an {@link Identifier} made from the row's strings would normalize its
   * value again (phones through libphonenumber).
   */
  static StoredIdentifier putFound(Map<Identifier, StoredIdentifier> found, List<Identifier> ids,
      Map<String, Map<String, Integer>> asked, ResultSet rs) throws SQLException {
    String type = rs.getString(6);
    String value = rs.getString(2);
    int k = positionOf(asked, type, value);
    Identifier id = k >= 0 ? ids.get(k) : new Identifier(IdentifierType.of(type), value);
    StoredIdentifier stored = new StoredIdentifier(id, ProfileId.ofNumber(rs.getLong(3)), rs.getLong(1), rs.getInt(4),
        rs.getBoolean(5));
    found.put(id, stored);
    return stored;
  }

  /**
   * The position of each identifier in {@code ids}, by type name, then by value: to match rows the
   * database returns, which name an identifier by those two strings, back to it.
   */
  static Map<String, Map<String, Integer>> positions(List<Identifier> ids) {
    Map<String, Map<String, Integer>> byType = new HashMap<>();
    for (int k = 0; k < ids.size(); k++) {
      Identifier id = ids.get(k);
      byType.computeIfAbsent(id.type().name(), t -> new HashMap<>()).put(id.value(), k);
    }
    return byType;
  }

  /** The position {@link #positions} gives the identifier of this type and value; -1 for none. */
  static int positionOf(Map<String, Map<String, Integer>> positions, String type, String value) {
    Map<String, Integer> ofType = positions.get(type);
    Integer k = ofType == null ? null : ofType.get(value);
    return k == null ? -1 : k;
  }

  /**
   * How many profile numbers to take ahead for a batch that may need {@code budget} more, having
   * taken {@code soFar}: here rows are inserted ahead (and those left over deleted), so 128 first,
   * then doubling: a batch that needs 200 profiles reserves them in two statements.
   */
  int profilesToReserve(int budget, int soFar) {
    return Math.min(budget, Math.max(128, soFar));
  }

  /**
   * Takes {@code count} profile numbers ahead, ascending. Here rows are inserted now (undated, so
   * dated by {@link #issueReservedProfiles}); those left over are deleted by {@link
   * #returnReservedProfiles}.
   */
  long[] reserveProfiles(Sql sql, int count) {
    long[] ids = sql.insertBatch(IdentitySql.INSERT_PROFILE, "id", "reserving profiles",
        Collections.nCopies(count, 0L), (st, created) -> st.setLong(1, created));
    Arrays.sort(ids);
    return ids;
  }

  /**
   * Makes the rows of reserved profile numbers that were used, with their creation times (ms) and
   * their type counts (the text of {@link TypeCountText}, missing or null for none): a new profile
   * pays no statement of its own for its counts.
   */
  void issueReservedProfiles(Sql sql, Map<Long, Long> created, Map<Long, String> counts) {
    sql.batch(IdentitySql.SET_CREATED, "dating new profiles", new ArrayList<>(created.entrySet()), (st, e) -> {
      st.setLong(1, e.getValue());
      st.setString(2, counts.get(e.getKey()));
      st.setLong(3, e.getKey());
    });
  }

  /** Gives back reserved profile numbers that were not used: here their rows are deleted. */
  void returnReservedProfiles(Sql sql, Collection<Long> unused) {
    sql.batch(IdentitySql.DELETE_PROFILE, "returning reserved profiles", new ArrayList<>(unused),
        (st, n) -> st.setLong(1, n));
  }

  /**
   * Inserts identifiers, the k-th into profile {@code profiles[k]}, in the order given (the row id
   * is an identifier's age); answers the k-th one's row id at {@code k}, 0 for one the database
   * did not name. Here one JDBC batch.
   */
  long[] insertIdentifiers(Sql sql, List<Identifier> ids, long[] profiles) {
    List<Integer> order = new ArrayList<>(ids.size());
    for (int k = 0; k < ids.size(); k++) {
      order.add(k);
    }
    return sql.insertBatch(IdentitySql.INSERT_IDENTIFIER, "id", "inserting identifiers", order,
        (st, k) -> {
          st.setString(1, ids.get(k).type().name());
          st.setString(2, ids.get(k).value());
          st.setLong(3, profiles[k]);
        });
  }

  /** Inserts evidence that has event ids; answers the sequences in the evidence's order. Here one batch. */
  long[] insertEvidence(Sql sql, List<Evidence> evidence) {
    return sql.insertBatch(IdentitySql.INSERT_EVIDENCE, "seq", "inserting evidence", evidence, (st, e) -> {
      st.setString(1, e.eventId());
      st.setString(2, e.channel());
      st.setLong(3, e.at().toEpochMilli());
      st.setLong(4, e.accepted());
    });
  }

  /** Inserts evidence items, each {@code {seq, pos, identifier row}}. Here one batch. */
  void insertItems(Sql sql, List<long[]> items) {
    sql.batch(IdentitySql.INSERT_ITEM, "inserting evidence items", items, (st, item) -> {
      st.setLong(1, item[0]);
      st.setInt(2, (int) item[1]);
      st.setLong(3, item[2]);
    });
  }

  /**
   * Sets the type counts of existing profiles ({@code omni_profile.type_counts}, the text of {@link
   * TypeCountText}, null for none), by profile number. The rows are locked by the writer already.
   * Here one batch of {@code UPDATE … WHERE id = ?}.
   */
  void setTypeCounts(Sql sql, Map<Long, String> counts) {
    sql.batch(IdentitySql.SET_TYPE_COUNTS, "writing type counts", new ArrayList<>(counts.entrySet()), (st, e) -> {
      st.setString(1, e.getValue());
      st.setLong(2, e.getKey());
    });
  }

  /**
   * Inserts owed merge carries ({@code omni_owed_carry}, {@code V013__owed_carries.sql}) in the
   * identity write's transaction, one statement for the write's merges; a row whose merged profile
   * has one already is left as it is. Here one JDBC batch of {@link #insertIfAbsent}.
   */
  void insertOwedCarries(Sql sql, List<OwedCarry> owed) {
    sql.batch(insertIfAbsent(JdbcOwedCarries.TABLE, JdbcOwedCarries.COLUMNS), "noting owed merge carries", owed,
        JdbcOwedCarries::bind);
  }

  @Override
  public String toString() {
    return dialect().name();
  }
}
