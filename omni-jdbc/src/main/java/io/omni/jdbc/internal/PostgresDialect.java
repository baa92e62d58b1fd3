package io.omni.jdbc.internal;

import io.omni.identity.Identifier;
import io.omni.jdbc.Dialect;
import io.omni.jdbc.OmniStorageException;
import io.omni.spi.Evidence;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: {@code ON CONFLICT DO NOTHING}, {@code = ANY(?)} over arrays, bulk statements over
 * {@code unnest} of array parameters, profile numbers taken from the sequence ahead, and its
 * deadlock and lock-timeout SQLStates.
 */
final class PostgresDialect extends SqlDialect {
  private static final String FIND_VALUES_ARRAY = """
      SELECT i.id, i.id_value, i.profile, i.conflicts, i.shared, i.id_type FROM unnest(?, ?) AS v (t, val)
      CROSS JOIN LATERAL (SELECT id, id_type, id_value, profile, conflicts, shared FROM omni_identifier
                          WHERE id_type = v.t AND id_value = v.val LIMIT 1) i""";
  // the sequence is looked up once (OFFSET 0 keeps the subquery from being pulled up into a
  // per-row call: pg_get_serial_sequence and its text-to-regclass cast cost ~7 µs a number, nextval
  // itself under 1 µs)
  private static final String RESERVE_IDS = """
      SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence('omni_profile', 'id')::regclass AS s OFFSET 0) q,
      generate_series(1, ?)""";
  // many rows in one statement, each column bound as one array
  private static final String INSERT_PROFILES_ARRAY = """
      INSERT INTO omni_profile (id, created_ms, type_counts) SELECT * FROM unnest(?, ?, ?)""";
  private static final String INSERT_IDENTIFIERS_ARRAY = """
      INSERT INTO omni_identifier (id_type, id_value, profile, conflicts, shared)
      SELECT t, v, p, 0, FALSE FROM unnest(?, ?, ?) AS x (t, v, p) RETURNING id, id_type, id_value""";
  private static final String INSERT_EVIDENCE_ARRAY = """
      INSERT INTO omni_evidence (event_id, channel, at_ms, accepted) SELECT * FROM unnest(?, ?, ?, ?)
      RETURNING seq, event_id""";
  private static final String SET_TYPE_COUNTS_ARRAY = """
      UPDATE omni_profile p SET type_counts = v.c FROM unnest(?, ?) AS v (id, c) WHERE p.id = v.id""";
  private static final String INSERT_OWED_ARRAY = """
      INSERT INTO omni_owed_carry (merged, survivor, cause, channel, at_ms, noted_ms)
      SELECT * FROM unnest(?, ?, ?, ?, ?, ?) ON CONFLICT (merged) DO NOTHING""";
  private static final String INSERT_ITEMS_ARRAY = """
      INSERT INTO omni_evidence_item (seq, pos, identifier) SELECT * FROM unnest(?, ?, ?)""";

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  /** One {@code INSERT … SELECT FROM unnest(…)}, each column bound as one array. */
  @Override
  void insertOwedCarries(Sql sql, List<OwedCarry> owed) {
    int n = owed.size();
    Long[] merged = new Long[n];
    Long[] survivors = new Long[n];
    String[] causes = new String[n];
    String[] channels = new String[n];
    Long[] at = new Long[n];
    Long[] noted = new Long[n];
    for (int k = 0; k < n; k++) {
      OwedCarry o = owed.get(k);
      merged[k] = o.merged().number();
      survivors[k] = o.survivor().number();
      causes[k] = o.cause();
      channels[k] = o.channel();
      at[k] = o.at().toEpochMilli();
      noted[k] = o.noted().toEpochMilli();
    }
    sql.arrays(INSERT_OWED_ARRAY, "noting owed merge carries", null, merged, survivors, causes, channels, at, noted);
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

  // ------------------------------------------------- the identity store's bulk statements

  /**
   * Every type at once, the types and the values as two arrays: one probe of the unique index per
   * identifier. With {@code id_value = ANY(?)} PostgreSQL, whose statistics lag behind a table
   * filling up in a back-fill, was seen to scan every identifier of the type and test each against
   * the whole array (130 ms a lookup at 12,000 rows, growing with the table).
   */
  @Override
  Map<Identifier, StoredIdentifier> findIdentifiers(Sql sql, List<Identifier> ids) {
    Map<Identifier, StoredIdentifier> found = new HashMap<>();
    Map<String, Map<String, Integer>> asked = positions(ids);
    for (List<Identifier> chunk : chunks(ids)) {
      String[] types = new String[chunk.size()];
      String[] values = new String[chunk.size()];
      for (int k = 0; k < types.length; k++) {
        types[k] = chunk.get(k).type().name();
        values[k] = chunk.get(k).value();
      }
      sql.arrays(FIND_VALUES_ARRAY, "looking up identifiers", rs -> putFound(found, ids, asked, rs), types, values);
    }
    return found;
  }

  /** A sequence number costs nothing to waste: the whole budget in one round trip. */
  @Override
  int profilesToReserve(int budget, int soFar) {
    return budget;
  }

  /**
   * Sequence numbers only: the rows are inserted when the numbers are used ({@link
   * #issueReservedProfiles}), and numbers left unused are gaps.
   *
   * <p>The numbers come from the identity column's own sequence, uncached, in one statement per
   * transaction, and are not kept past it: a profile's number is its issue order, and core relies
   * on that — a merge keeps the lowest number as "the oldest" profile, on every path and instance
   * (the single-link path takes its number from the same sequence by inserting the row). A sequence
   * {@code CACHE}, or a block of numbers an instance kept across transactions, would let a profile
   * issued later by one connection or instance carry a lower number than one issued earlier by
   * another, and win merges against it. Numbers taken in one statement are still per number
   * ({@code nextval} has no count); what this statement saves is the sequence's lookup per number.
   */
  @Override
  long[] reserveProfiles(Sql sql, int count) {
    long[] ids = sql.query(RESERVE_IDS, st -> st.setInt(1, count), rs -> rs.getLong(1)).stream()
        .mapToLong(Long::longValue).toArray();
    Arrays.sort(ids);
    return ids;
  }

  @Override
  void issueReservedProfiles(Sql sql, Map<Long, Long> created, Map<Long, String> counts) {
    Long[] ids = created.keySet().toArray(Long[]::new);
    String[] texts = new String[ids.length];
    for (int k = 0; k < ids.length; k++) {
      texts[k] = counts.get(ids[k]);
    }
    sql.arrays(INSERT_PROFILES_ARRAY, "inserting profiles", null, ids, created.values().toArray(Long[]::new), texts);
  }

  /** Nothing to do: unused sequence numbers are gaps. */
  @Override
  void returnReservedProfiles(Sql sql, Collection<Long> unused) {
  }

  /**
   * {@code INSERT … SELECT FROM unnest(…) RETURNING}: one statement; RETURNING names each row by
   * its type and value, matched to the batch by those strings (an {@link Identifier} made from
   * them would normalize each value again, phones through libphonenumber: a third of the Java time
   * of a batch of links).
   */
  @Override
  long[] insertIdentifiers(Sql sql, List<Identifier> ids, long[] profiles) {
    int n = ids.size();
    String[] types = new String[n];
    String[] values = new String[n];
    Long[] rows = new Long[n];
    for (int k = 0; k < n; k++) {
      types[k] = ids.get(k).type().name();
      values[k] = ids.get(k).value();
      rows[k] = profiles[k];
    }
    Map<String, Map<String, Integer>> positions = positions(ids);
    long[] keys = new long[n];
    sql.arrays(INSERT_IDENTIFIERS_ARRAY, "inserting identifiers", rs -> {
      int k = positionOf(positions, rs.getString(2), rs.getString(3));
      if (k >= 0) {
        keys[k] = rs.getLong(1);
      }
      return null;
    }, types, values, rows);
    return keys;
  }

  @Override
  long[] insertEvidence(Sql sql, List<Evidence> evidence) {
    int n = evidence.size();
    String[] ids = new String[n];
    String[] channels = new String[n];
    Long[] at = new Long[n];
    Long[] accepted = new Long[n];
    for (int k = 0; k < n; k++) {
      Evidence e = evidence.get(k);
      ids[k] = e.eventId();
      channels[k] = e.channel();
      at[k] = e.at().toEpochMilli();
      accepted[k] = e.accepted();
    }
    Map<String, Long> sequences = new HashMap<>();
    sql.arrays(INSERT_EVIDENCE_ARRAY, "inserting evidence", rs -> sequences.put(rs.getString(2), rs.getLong(1)),
        ids, channels, at, accepted);
    long[] result = new long[n];
    for (int k = 0; k < n; k++) {
      Long seq = sequences.get(ids[k]);
      if (seq == null) {
        throw new OmniStorageException("the database returned no sequence for event " + ids[k], null, null);
      }
      result[k] = seq;
    }
    return result;
  }

  @Override
  void insertItems(Sql sql, List<long[]> items) {
    int n = items.size();
    Long[] seqs = new Long[n];
    Integer[] positions = new Integer[n];
    Long[] rows = new Long[n];
    for (int k = 0; k < n; k++) {
      long[] item = items.get(k);
      seqs[k] = item[0];
      positions[k] = (int) item[1];
      rows[k] = item[2];
    }
    sql.arrays(INSERT_ITEMS_ARRAY, "inserting evidence items", null, seqs, positions, rows);
  }

  /** One {@code UPDATE … FROM unnest(…)}: the profile numbers and their texts as two arrays. */
  @Override
  void setTypeCounts(Sql sql, Map<Long, String> counts) {
    sql.arrays(SET_TYPE_COUNTS_ARRAY, "writing type counts", null, counts.keySet().toArray(Long[]::new),
        counts.values().toArray(String[]::new));
  }
}
