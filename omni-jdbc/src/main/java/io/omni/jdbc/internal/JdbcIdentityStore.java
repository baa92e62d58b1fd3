package io.omni.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The identity graph in SQL: one row per identifier holding its cluster's live profile (the
 * union-find root, flattened), one row per issued profile (an alias names its survivor), evidence
 * with its items, conflicts and shared marks. See {@code v001__identity.sql}.
 *
 * <p>Writers lock the profile rows of the clusters they touch with {@code SELECT … FOR UPDATE}, in
 * the order core gives them; every write runs at READ COMMITTED so that reads after a lock see what
 * the previous holder committed. A write whose reads went stale (a profile it locked was merged
 * away meanwhile), or that lost a race for a new identifier or event id, runs again whole.
 */
public final class JdbcIdentityStore implements IdentityStore {
  private static final String PROFILE_PREFIX = "p-";
  private static final int MAX_CONFLICTS = 0x7f;
  private static final int MAX_EVENT_ID = 255;

  private static final String FIND = """
      SELECT id, profile, conflicts, shared FROM omni_identifier WHERE id_type = ? AND id_value = ?""";
  private static final String LOCK_PROFILE = """
      SELECT alias_of FROM omni_profile WHERE id = ?""";
  private static final String PROFILE_ROW = """
      SELECT created_ms, alias_of FROM omni_profile WHERE id = ?""";
  private static final String MEMBERS = """
      SELECT id, id_type, id_value, conflicts, shared FROM omni_identifier WHERE profile = ? ORDER BY id""";
  private static final String MERGED_FROM = """
      SELECT id FROM omni_profile WHERE alias_of = ? ORDER BY id""";
  private static final String CONFLICTS = """
      SELECT i.id_type, i.id_value, c.kind, c.event_id, c.at_ms
      FROM omni_conflict c JOIN omni_identifier i ON i.id = c.identifier
      WHERE c.profile = ? ORDER BY c.id""";
  private static final String SHARED = """
      SELECT i.id_type, i.id_value
      FROM omni_profile_shared s JOIN omni_identifier i ON i.id = s.identifier
      WHERE s.profile = ? ORDER BY s.identifier""";
  private static final String EVIDENCE_COLUMNS = """
      SELECT e.seq, e.event_id, e.channel, e.at_ms, e.accepted, i.id_type, i.id_value
      FROM omni_evidence e
      JOIN omni_evidence_item it ON it.seq = e.seq
      JOIN omni_identifier i ON i.id = it.identifier
      """;
  private static final String EVIDENCE_OF_PROFILE = EVIDENCE_COLUMNS + """
      WHERE e.seq IN (SELECT it2.seq FROM omni_evidence_item it2
                      JOIN omni_identifier i2 ON i2.id = it2.identifier WHERE i2.profile = ?)
      ORDER BY e.seq, it.pos""";
  private static final String EVIDENCE_OF_EVENT = EVIDENCE_COLUMNS + """
      WHERE e.event_id = ?
      ORDER BY e.seq, it.pos""";
  private static final String ALL_EVIDENCE = EVIDENCE_COLUMNS + """
      ORDER BY e.seq, it.pos""";
  private static final String LIVE_PROFILES = """
      SELECT p.id FROM omni_profile p
      WHERE p.alias_of IS NULL AND EXISTS (SELECT 1 FROM omni_identifier i WHERE i.profile = p.id)
      ORDER BY p.id""";
  private static final String STATS = """
      SELECT (SELECT COUNT(*) FROM omni_identifier),
             (SELECT COUNT(DISTINCT profile) FROM omni_identifier),
             (SELECT COUNT(*) FROM omni_evidence),
             (SELECT COUNT(*) FROM omni_identifier WHERE shared = TRUE)""";
  private static final String TYPE_COUNTS = """
      SELECT id_type, COUNT(*) FROM omni_identifier WHERE profile = ? GROUP BY id_type""";
  private static final String INSERT_PROFILE = """
      INSERT INTO omni_profile (created_ms) VALUES (?)""";
  private static final String INSERT_IDENTIFIER = """
      INSERT INTO omni_identifier (id_type, id_value, profile, conflicts, shared) VALUES (?, ?, ?, 0, FALSE)""";
  private static final String MOVE_MEMBERS = """
      UPDATE omni_identifier SET profile = ? WHERE profile = ?""";
  private static final String MAKE_ALIAS = """
      UPDATE omni_profile SET alias_of = ? WHERE id = ? OR alias_of = ?""";
  private static final String INSERT_EVIDENCE = """
      INSERT INTO omni_evidence (event_id, channel, at_ms, accepted) VALUES (?, ?, ?, ?)""";
  private static final String INSERT_ITEM = """
      INSERT INTO omni_evidence_item (seq, pos, identifier) VALUES (?, ?, ?)""";
  private static final String FIND_MANY_COLUMNS = """
      SELECT id, id_type, id_value FROM omni_identifier WHERE """;
  private static final String FIND_MANY_TERM = "(id_type = ? AND id_value = ?)";
  private static final int FIND_MANY_CHUNK = 100;
  private static final String SET_ACCEPTED = """
      UPDATE omni_evidence SET accepted = ? WHERE seq = ?""";
  private static final String DELETE_ITEMS = """
      DELETE FROM omni_evidence_item WHERE seq = ?""";
  private static final String DELETE_EVIDENCE = """
      DELETE FROM omni_evidence WHERE seq = ?""";
  private static final String COUNT_CONFLICT = """
      UPDATE omni_identifier SET conflicts = CASE WHEN conflicts < 127 THEN conflicts + 1 ELSE 127 END
      WHERE id = ?""";
  private static final String CONFLICT_COUNT = """
      SELECT conflicts FROM omni_identifier WHERE id = ?""";
  private static final String INSERT_CONFLICT = """
      INSERT INTO omni_conflict (profile, identifier, kind, event_id, at_ms) VALUES (?, ?, ?, ?, ?)""";
  private static final String MARK_SHARED = """
      UPDATE omni_identifier SET shared = TRUE WHERE id = ?""";
  private static final String DELETE_CONFLICTS_OF = """
      DELETE FROM omni_conflict WHERE identifier = ?""";
  private static final String DELETE_SHARED_OF = """
      DELETE FROM omni_profile_shared WHERE identifier = ?""";
  private static final String DELETE_IDENTIFIER = """
      DELETE FROM omni_identifier WHERE id = ?""";
  private static final String REASSIGN = """
      UPDATE omni_identifier SET profile = ? WHERE id_type = ? AND id_value = ?""";

  private final Transactions transactions;
  private final SqlDialect dialect;
  private final Cache<Identifier, StoredIdentifier> cache;

  /**
   * Creates the store.
   *
   * @param cache identifier lookups for reads, or {@code null} for none
   */
  public JdbcIdentityStore(Transactions transactions, SqlDialect dialect, Cache<Identifier, StoredIdentifier> cache) {
    this.transactions = transactions;
    this.dialect = dialect;
    this.cache = cache;
  }

  @Override
  public <R> R write(Function<IdentityTransaction, R> work) {
    Set<Identifier> touched = new HashSet<>();
    Set<ProfileId> movedAway = new HashSet<>();
    try {
      return transactions.write("an identity write", connection -> {
        Tx tx = new Tx(connection, touched, movedAway);
        R result = work.apply(tx);
        tx.flush();
        return result;
      });
    } finally {
      // after the commit, so that a read racing it cannot cache the state before it for long
      invalidate(touched, movedAway);
    }
  }

  private void invalidate(Set<Identifier> touched, Set<ProfileId> movedAway) {
    if (cache == null) {
      return;
    }
    cache.invalidateAll(touched);
    if (!movedAway.isEmpty()) {
      cache.asMap().values().removeIf(s -> movedAway.contains(s.profile()));
    }
  }

  @Override
  public <R> R read(Function<IdentityReader, R> work) {
    return transactions.read("an identity read", lazy -> work.apply(new Tx(lazy)));
  }

  /**
   * Appends many pieces of evidence in one transaction, their items sent with JDBC batching: the
   * back-fill path. Every identifier must be stored already.
   *
   * @return the sequences, in the order given
   */
  public List<Long> appendAll(List<Evidence> evidence) {
    return transactions.write("a back-fill of evidence", connection -> {
      Tx tx = new Tx(connection, new HashSet<>(), new HashSet<>());
      List<Long> sequences = tx.appendBatch(evidence);
      tx.flush();
      return sequences;
    });
  }

  /** Drops every cached lookup. */
  public void clearCache() {
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  static ProfileId profileId(long number) {
    return new ProfileId(PROFILE_PREFIX + number);
  }

  /** The number of an id issued as {@code p-<n>}, or 0. */
  static long number(ProfileId id) {
    String value = id.value();
    if (!value.startsWith(PROFILE_PREFIX) || value.length() == PROFILE_PREFIX.length()
        || value.length() > PROFILE_PREFIX.length() + 18 || value.charAt(PROFILE_PREFIX.length()) == '0') {
      return 0;
    }
    long n = 0;
    for (int i = PROFILE_PREFIX.length(); i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static long issued(ProfileId id) {
    long n = number(id);
    if (n == 0) {
      throw new IllegalArgumentException("profile " + id + " was not issued by this store");
    }
    return n;
  }

  private static Identifier identifier(String type, String value) {
    return new Identifier(IdentifierType.of(type), value);
  }

  /** Statement helpers bound to one connection. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** One transaction's view: a reader, or a writer when {@code writing}. */
  final class Tx implements IdentityTransaction {
    private final Connection fixed;
    private final Transactions.Lazy lazy;
    private final boolean writing;
    private final Map<Identifier, Long> rowIds = new HashMap<>();
    private final Set<Long> locked = new HashSet<>();
    private final Set<Identifier> touched;
    private final Set<ProfileId> movedAway;
    private final List<long[]> pendingItems = new ArrayList<>();

    /**
     * A writer's view over the transaction's connection; it notes the identifiers it touched and
     * the profiles it merged away, for the cache.
     */
    Tx(Connection connection, Set<Identifier> touched, Set<ProfileId> movedAway) {
      this.fixed = connection;
      this.lazy = null;
      this.writing = true;
      this.touched = touched;
      this.movedAway = movedAway;
    }

    /** A reader's view that borrows a connection only when the cache cannot answer. */
    Tx(Transactions.Lazy lazy) {
      this.fixed = null;
      this.lazy = lazy;
      this.writing = false;
      this.touched = new HashSet<>();
      this.movedAway = new HashSet<>();
    }

    private Connection connection() throws SQLException {
      return fixed != null ? fixed : lazy.get();
    }

    // ------------------------------------------------------------ plumbing

    private <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
      try (PreparedStatement statement = connection().prepareStatement(sql)) {
        binder.bind(statement);
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            rows.add(reader.read(rs));
          }
        }
        return rows;
      } catch (SQLException e) {
        throw OmniStorageException.of("query on the identity tables failed: " + e.getMessage(), e);
      }
    }

    private int update(String sql, Binder binder) {
      try (PreparedStatement statement = connection().prepareStatement(sql)) {
        binder.bind(statement);
        return statement.executeUpdate();
      } catch (SQLException e) {
        throw OmniStorageException.of("update of the identity tables failed: " + e.getMessage(), e);
      }
    }

    private long insert(String sql, String key, Binder binder) {
      try (PreparedStatement statement = connection().prepareStatement(sql, new String[] {key})) {
        binder.bind(statement);
        statement.executeUpdate();
        try (ResultSet rs = statement.getGeneratedKeys()) {
          if (!rs.next()) {
            throw new OmniStorageException("the database returned no generated " + key, null, null);
          }
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw OmniStorageException.of("insert into the identity tables failed: " + e.getMessage(), e);
      }
    }

    private void requireWriting() {
      if (!writing) {
        throw new IllegalStateException("a read may not change the identity graph; use write");
      }
    }

    /** Sends the queued evidence items in one JDBC batch. */
    void flush() {
      if (pendingItems.isEmpty()) {
        return;
      }
      try (PreparedStatement statement = connection().prepareStatement(INSERT_ITEM)) {
        for (long[] item : pendingItems) {
          statement.setLong(1, item[0]);
          statement.setInt(2, (int) item[1]);
          statement.setLong(3, item[2]);
          statement.addBatch();
        }
        statement.executeBatch();
        pendingItems.clear();
      } catch (SQLException e) {
        throw OmniStorageException.of("inserting evidence items failed: " + e.getMessage(), e);
      }
    }

    private Optional<Long> rowId(Identifier identifier) {
      Long known = rowIds.get(identifier);
      if (known != null) {
        return Optional.of(known);
      }
      return find(identifier).map(s -> rowIds.get(identifier));
    }

    private long requireRowId(Identifier identifier) {
      return rowId(identifier).orElseThrow(() -> new IllegalStateException(identifier + " is not stored"));
    }

    // ------------------------------------------------------------ reads

    @Override
    public Optional<StoredIdentifier> find(Identifier identifier) {
      if (!writing && cache != null) {
        StoredIdentifier cached = cache.getIfPresent(identifier);
        if (cached != null) {
          return Optional.of(cached);
        }
      }
      List<StoredIdentifier> rows = query(FIND, s -> {
        s.setString(1, identifier.type().name());
        s.setString(2, identifier.value());
      }, rs -> {
        rowIds.put(identifier, rs.getLong(1));
        return new StoredIdentifier(identifier, profileId(rs.getLong(2)), rs.getLong(1), rs.getInt(3), rs.getBoolean(4));
      });
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      if (writing) {
        touched.add(identifier);
      } else if (cache != null) {
        cache.put(identifier, rows.get(0));
      }
      return Optional.of(rows.get(0));
    }

    @Override
    public Optional<ProfileId> canonical(ProfileId id) {
      long n = number(id);
      if (n == 0) {
        return Optional.empty();
      }
      List<ProfileId> rows = query(PROFILE_ROW, s -> s.setLong(1, n), rs -> {
        long alias = rs.getLong(2);
        return rs.wasNull() ? profileId(n) : profileId(alias);
      });
      return rows.stream().findFirst();
    }

    @Override
    public Optional<StoredProfile> profile(ProfileId id) {
      long n = number(id);
      if (n == 0) {
        return Optional.empty();
      }
      List<Instant> created = query(PROFILE_ROW, s -> s.setLong(1, n), rs -> {
        Instant at = Instant.ofEpochMilli(rs.getLong(1));
        rs.getLong(2);
        return rs.wasNull() ? at : null;
      });
      if (created.isEmpty() || created.get(0) == null) {
        return Optional.empty();
      }
      ProfileId live = profileId(n);
      List<StoredIdentifier> members = query(MEMBERS, s -> s.setLong(1, n), rs -> {
        Identifier identifier = identifier(rs.getString(2), rs.getString(3));
        rowIds.put(identifier, rs.getLong(1));
        return new StoredIdentifier(identifier, live, rs.getLong(1), rs.getInt(4), rs.getBoolean(5));
      });
      Set<ProfileId> mergedFrom = new LinkedHashSet<>(
          query(MERGED_FROM, s -> s.setLong(1, n), rs -> profileId(rs.getLong(1))));
      List<Conflict> conflicts = query(CONFLICTS, s -> s.setLong(1, n), rs -> new Conflict(
          identifier(rs.getString(1), rs.getString(2)), Conflict.Kind.valueOf(rs.getString(3)),
          rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
      Set<Identifier> shared = new LinkedHashSet<>(
          query(SHARED, s -> s.setLong(1, n), rs -> identifier(rs.getString(1), rs.getString(2))));
      return Optional.of(new StoredProfile(live, n, created.get(0), members, mergedFrom, conflicts, shared));
    }

    @Override
    public List<Evidence> evidence(ProfileId id) {
      long n = issued(id);
      flush();
      List<Evidence> result = new ArrayList<>();
      readEvidence(EVIDENCE_OF_PROFILE, s -> s.setLong(1, n), result::add);
      return result;
    }

    @Override
    public Optional<Evidence> event(String eventId) {
      if (eventId.length() > MAX_EVENT_ID) {
        return Optional.empty();
      }
      flush();
      List<Evidence> result = new ArrayList<>(1);
      readEvidence(EVIDENCE_OF_EVENT, s -> s.setString(1, eventId), result::add);
      return result.stream().findFirst();
    }

    @Override
    public void forEachEvidence(Consumer<Evidence> action) {
      flush();
      readEvidence(ALL_EVIDENCE, s -> { }, action);
    }

    /** Reads evidence rows joined with their items and folds each run of one sequence into one. */
    private void readEvidence(String sql, Binder binder, Consumer<Evidence> action) {
      List<Evidence> all = new ArrayList<>();
      class Fold {
        long seq = -1;
        String eventId;
        String channel;
        long at;
        long accepted;
        List<Identifier> ids = new ArrayList<>();

        void emit() {
          if (seq >= 0) {
            all.add(new Evidence(seq, eventId, channel, Instant.ofEpochMilli(at), ids, accepted));
          }
        }
      }
      Fold fold = new Fold();
      query(sql, binder, rs -> {
        long seq = rs.getLong(1);
        if (seq != fold.seq) {
          fold.emit();
          fold.seq = seq;
          fold.eventId = rs.getString(2);
          fold.channel = rs.getString(3);
          fold.at = rs.getLong(4);
          fold.accepted = rs.getLong(5);
          fold.ids = new ArrayList<>();
        }
        fold.ids.add(identifier(rs.getString(6), rs.getString(7)));
        return null;
      });
      fold.emit();
      all.forEach(action);
    }

    @Override
    public List<ProfileId> profiles() {
      return query(LIVE_PROFILES, s -> { }, rs -> profileId(rs.getLong(1)));
    }

    @Override
    public Identities.Stats stats() {
      flush();
      return query(STATS, s -> { }, rs -> new Identities.Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
          .get(0);
    }

    // ------------------------------------------------------------ writes

    @Override
    public boolean lock(Collection<ProfileId> profiles) {
      requireWriting();
      for (ProfileId profile : profiles) {
        long n = issued(profile);
        if (locked.contains(n)) {
          continue;
        }
        List<Boolean> alias = query(LOCK_PROFILE + dialect.forUpdate(), s -> s.setLong(1, n), rs -> {
          rs.getLong(1);
          return !rs.wasNull();
        });
        if (alias.isEmpty()) {
          throw new IllegalArgumentException("profile " + profile + " was not issued by this store");
        }
        if (alias.get(0)) {
          // merged away since this transaction read it: the whole work must see the new clusters
          throw new Transactions.StaleRead("profile " + profile + " was merged while waiting for its lock");
        }
        locked.add(n);
      }
      return true;
    }

    @Override
    public int[] typeCounts(ProfileId profile) {
      long n = issued(profile);
      int[] counts = new int[IdentifierType.count()];
      for (Object[] row : query(TYPE_COUNTS, s -> s.setLong(1, n), rs -> new Object[] {rs.getString(1), rs.getInt(2)})) {
        int ordinal = IdentifierType.of((String) row[0]).ordinal();
        if (ordinal >= counts.length) {
          counts = java.util.Arrays.copyOf(counts, ordinal + 1);
        }
        counts[ordinal] = (Integer) row[1];
      }
      return counts;
    }

    @Override
    public long order(ProfileId profile) {
      return issued(profile);
    }

    @Override
    public ProfileId createProfile(Instant created) {
      requireWriting();
      long n = insert(INSERT_PROFILE, "id", s -> s.setLong(1, created.toEpochMilli()));
      locked.add(n);
      return profileId(n);
    }

    @Override
    public StoredIdentifier add(Identifier identifier, ProfileId profile) {
      requireWriting();
      long n = issued(profile);
      long id = insert(INSERT_IDENTIFIER, "id", s -> {
        s.setString(1, identifier.type().name());
        s.setString(2, identifier.value());
        s.setLong(3, n);
      });
      rowIds.put(identifier, id);
      touched.add(identifier);
      return new StoredIdentifier(identifier, profileId(n), id, 0, false);
    }

    @Override
    public void merge(ProfileId survivor, ProfileId merged) {
      requireWriting();
      long s = issued(survivor);
      long m = issued(merged);
      if (s == m) {
        throw new IllegalArgumentException("cannot merge " + survivor + " into itself");
      }
      update(MOVE_MEMBERS, st -> {
        st.setLong(1, s);
        st.setLong(2, m);
      });
      makeAlias(m, s);
    }

    private void makeAlias(long m, long s) {
      update(MAKE_ALIAS, st -> {
        st.setLong(1, s);
        st.setLong(2, m);
        st.setLong(3, m);
      });
      movedAway.add(profileId(m));
    }

    @Override
    public long append(Evidence evidence) {
      requireWriting();
      checkEventId(evidence);
      List<Identifier> ids = evidence.identifiers();
      long[] rows = new long[ids.size()];
      for (int k = 0; k < rows.length; k++) {
        Identifier id = ids.get(k);
        rows[k] = rowId(id).orElseThrow(() -> new IllegalStateException("evidence names " + id + ", which is not stored"));
      }
      long seq = insert(INSERT_EVIDENCE, "seq", s -> {
        s.setString(1, evidence.eventId());
        s.setString(2, evidence.channel());
        s.setLong(3, evidence.at().toEpochMilli());
        s.setLong(4, evidence.accepted());
      });
      for (int k = 0; k < rows.length; k++) {
        pendingItems.add(new long[] {seq, k, rows[k]});
      }
      return seq;
    }

    /**
     * Appends many pieces of evidence with a handful of round trips: identifiers looked up
     * {@value #FIND_MANY_CHUNK} at a time, the evidence rows in one batch (their generated
     * sequences read back from it), the items in another.
     */
    List<Long> appendBatch(List<Evidence> evidence) {
      Set<Identifier> unknown = new LinkedHashSet<>();
      for (Evidence e : evidence) {
        checkEventId(e);
        for (Identifier id : e.identifiers()) {
          if (!rowIds.containsKey(id)) {
            unknown.add(id);
          }
        }
      }
      List<Identifier> lookups = new ArrayList<>(unknown);
      for (int from = 0; from < lookups.size(); from += FIND_MANY_CHUNK) {
        List<Identifier> chunk = lookups.subList(from, Math.min(lookups.size(), from + FIND_MANY_CHUNK));
        String sql = FIND_MANY_COLUMNS + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), FIND_MANY_TERM));
        query(sql, s -> {
          for (int k = 0; k < chunk.size(); k++) {
            s.setString(2 * k + 1, chunk.get(k).type().name());
            s.setString(2 * k + 2, chunk.get(k).value());
          }
        }, rs -> rowIds.put(identifier(rs.getString(2), rs.getString(3)), rs.getLong(1)));
      }
      for (Identifier id : unknown) {
        if (!rowIds.containsKey(id)) {
          throw new IllegalStateException("evidence names " + id + ", which is not stored");
        }
      }
      List<Long> sequences = new ArrayList<>(evidence.size());
      if (evidence.isEmpty()) {
        return sequences;
      }
      try (PreparedStatement statement = connection().prepareStatement(INSERT_EVIDENCE, new String[] {"seq"})) {
        for (Evidence e : evidence) {
          statement.setString(1, e.eventId());
          statement.setString(2, e.channel());
          statement.setLong(3, e.at().toEpochMilli());
          statement.setLong(4, e.accepted());
          statement.addBatch();
        }
        statement.executeBatch();
        try (ResultSet keys = statement.getGeneratedKeys()) {
          while (keys.next()) {
            sequences.add(keys.getLong(1));
          }
        }
      } catch (SQLException e) {
        throw OmniStorageException.of("inserting a batch of evidence failed: " + e.getMessage(), e);
      }
      if (sequences.size() != evidence.size()) {
        throw new OmniStorageException("the driver returned " + sequences.size() + " generated sequences for a batch of "
            + evidence.size() + " evidence rows", null, null);
      }
      for (int i = 0; i < evidence.size(); i++) {
        List<Identifier> ids = evidence.get(i).identifiers();
        for (int k = 0; k < ids.size(); k++) {
          pendingItems.add(new long[] {sequences.get(i), k, rowIds.get(ids.get(k))});
        }
      }
      return sequences;
    }

    private void checkEventId(Evidence evidence) {
      if (evidence.eventId() != null && evidence.eventId().length() > MAX_EVENT_ID) {
        throw new IllegalArgumentException("an event id is at most " + MAX_EVENT_ID + " characters, this one "
            + evidence.eventId().length());
      }
    }

    @Override
    public void setAccepted(long sequence, long accepted) {
      requireWriting();
      int changed = update(SET_ACCEPTED, s -> {
        s.setLong(1, accepted);
        s.setLong(2, sequence);
      });
      if (changed == 0) {
        throw new IllegalArgumentException("no evidence with sequence " + sequence);
      }
    }

    @Override
    public void removeEvidence(long sequence) {
      requireWriting();
      flush();
      update(DELETE_ITEMS, s -> s.setLong(1, sequence));
      if (update(DELETE_EVIDENCE, s -> s.setLong(1, sequence)) == 0) {
        throw new IllegalArgumentException("no evidence with sequence " + sequence);
      }
    }

    @Override
    public int conflict(ProfileId profile, Conflict conflict) {
      requireWriting();
      long n = issued(profile);
      long id = requireRowId(conflict.identifier());
      update(COUNT_CONFLICT, s -> s.setLong(1, id));
      int count = query(CONFLICT_COUNT, s -> s.setLong(1, id), rs -> rs.getInt(1)).get(0);
      update(INSERT_CONFLICT, s -> {
        s.setLong(1, n);
        s.setLong(2, id);
        s.setString(3, conflict.kind().name());
        s.setString(4, conflict.eventId());
        s.setLong(5, conflict.at().toEpochMilli());
      });
      touched.add(conflict.identifier());
      return Math.min(count, MAX_CONFLICTS);
    }

    @Override
    public void markShared(Identifier identifier, ProfileId formerProfile) {
      requireWriting();
      long n = issued(formerProfile);
      long id = requireRowId(identifier);
      update(MARK_SHARED, s -> s.setLong(1, id));
      update(dialect.insertIfAbsent("omni_profile_shared", "profile", "identifier"), s -> {
        s.setLong(1, n);
        s.setLong(2, id);
      });
      touched.add(identifier);
    }

    @Override
    public void remove(Identifier identifier) {
      requireWriting();
      Optional<StoredIdentifier> stored = find(identifier);
      if (stored.isEmpty()) {
        return;
      }
      if (!locked.contains(number(stored.get().profile()))) {
        // it moved to another cluster after the caller looked: decide again on fresh reads
        throw new Transactions.StaleRead(identifier.type() + " identifier moved to " + stored.get().profile());
      }
      flush();
      long id = rowIds.get(identifier);
      update(DELETE_CONFLICTS_OF, s -> s.setLong(1, id));
      update(DELETE_SHARED_OF, s -> s.setLong(1, id));
      update(DELETE_IDENTIFIER, s -> s.setLong(1, id));
      rowIds.remove(identifier);
      touched.add(identifier);
    }

    @Override
    public void reassign(List<Part> parts) {
      requireWriting();
      try (PreparedStatement statement = connection().prepareStatement(REASSIGN)) {
        for (Part part : parts) {
          long n = issued(part.profile());
          for (Identifier member : part.members()) {
            statement.setLong(1, n);
            statement.setString(2, member.type().name());
            statement.setString(3, member.value());
            statement.addBatch();
            touched.add(member);
          }
        }
        statement.executeBatch();
      } catch (SQLException e) {
        throw OmniStorageException.of("re-forming clusters failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void alias(ProfileId merged, ProfileId survivor) {
      requireWriting();
      long m = issued(merged);
      long s = issued(survivor);
      makeAlias(m, s);
    }
  }
}
