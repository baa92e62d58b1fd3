package io.omni.jdbc.internal;

import static io.omni.jdbc.internal.IdentitySql.*;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
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
 * ascending profile number (a batch of links locks all of its profiles in one statement, in the
 * same order); every write runs at READ COMMITTED so that reads after a lock see what the
 * previous holder committed. A write whose reads went stale (a profile it locked was merged away
 * meanwhile), or that lost a race for a new identifier or event id, runs again whole. A writer
 * holds back new identifiers, merges and evidence and sends them in batches: see {@link Tx}. A
 * write that forgets an identifier or splits a profile also moves the epoch of {@code
 * omni_identity_epoch}, last, so that the identifier caches of other instances hear of it: see
 * {@link IdentifierCache}.
 */
public final class JdbcIdentityStore implements IdentityStore {
  private static final int MAX_CONFLICTS = 0x7f;
  private static final int MAX_EVENT_ID = 255;

  private final Transactions transactions;
  private final SqlDialect dialect;
  private final IdentifierCache cache;
  private final JdbcChangeFeed changes;

  /**
   * Creates the store.
   *
   * @param cache identifier lookups for reads, or {@code null} for none
   */
  public JdbcIdentityStore(Transactions transactions, SqlDialect dialect, IdentifierCache cache) {
    this.transactions = transactions;
    this.dialect = dialect;
    this.cache = cache;
    this.changes = new JdbcChangeFeed(transactions, dialect);
  }

  @Override
  public <R> R write(Function<IdentityTransaction, R> work) {
    Set<Identifier> touched = new HashSet<>();
    Set<ProfileId> movedAway = new HashSet<>();
    try {
      return transactions.write("an identity write", connection -> {
        Tx tx = new Tx(connection, touched, movedAway);
        R result = work.apply(tx);
        tx.finish();
        return result;
      });
    } finally {
      // after the commit, so that a read racing it cannot cache the state before it for long
      invalidate(touched, movedAway);
    }
  }

  private void invalidate(Set<Identifier> touched, Set<ProfileId> movedAway) {
    if (cache != null) {
      cache.invalidate(touched, movedAway);
    }
  }

  @Override
  public <R> R read(Function<IdentityReader, R> work) {
    return transactions.read("an identity read", lazy -> work.apply(new Tx(lazy)));
  }

  /** Deletes in chunks of 10,000 entries, each its own transaction, found by the {@code at_ms} index. */
  @Override
  public long pruneChanges(Instant before) {
    return changes.prune(before);
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
      tx.finish();
      return sequences;
    });
  }

  /** Drops every cached lookup. */
  public void clearCache() {
    if (cache != null) {
      cache.clear();
    }
  }

  static ProfileId profileId(long number) {
    return ProfileId.ofNumber(number);
  }

  /** The number of a canonical id ({@link ProfileId#number()}), or 0 for any other form. */
  static long number(ProfileId id) {
    return id.number();
  }

  private static long issued(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("profile number " + n + " was not issued by this store");
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

  /** An identifier this transaction has added, to be inserted when it flushes. */
  private static final class PendingIdentifier {
    final Identifier identifier;
    long profile;
    long row;

    PendingIdentifier(Identifier identifier, long profile) {
      this.identifier = identifier;
      this.profile = profile;
    }
  }

  /**
   * One transaction's view: a reader, or a writer when {@code writing}.
   *
   * <p>A writer holds back what it can — new identifiers, merges, evidence with an event id — and
   * sends it in JDBC batches when it {@linkplain #flush flushes}: before any read the held-back
   * writes would change, and at the end. Until then it answers from what it holds: identifiers it
   * read while their cluster was locked by this transaction (nobody else can move them), the type
   * counts of the clusters it holds, the identifiers and event ids it knows are absent (a unique
   * key guards those: a concurrent insert makes this transaction fail and run again).
   */
  final class Tx implements IdentityTransaction {
    private final Connection fixed;
    private final Transactions.Lazy lazy;
    private final boolean writing;
    private final Map<Identifier, Long> rowIds = new HashMap<>();
    private final Set<Long> locked = new HashSet<>();
    private final Set<Identifier> touched;
    private final Set<ProfileId> movedAway;
    /** A reader's count of cache invalidations when it began: see {@link IdentifierCache#put}. */
    private final long cacheGeneration;
    /** Whether this writer removed an identifier or re-formed clusters: caches elsewhere must hear of it. */
    private boolean forgotOrSplit;
    private final List<long[]> pendingItems = new ArrayList<>();
    /** Entries of the change feed, written last by {@link #finish}: see {@link JdbcChangeFeed}. */
    private final List<ProfileChange> pendingChanges = new ArrayList<>();
    /** Identifiers read while their cluster was locked; their profile is resolved through {@link #mergedInto}. */
    private final Map<Identifier, StoredIdentifier> known = new HashMap<>();
    private final Set<Identifier> absent = new HashSet<>();
    private final Set<String> absentEvents = new HashSet<>();
    /** Evidence a prefetch read by event id; its accepted mask is only changed by re-resolution, which clears it. */
    private final Map<String, Evidence> storedEvents = new HashMap<>();
    private final Map<Long, int[]> counts = new HashMap<>();
    private final Map<Long, Long> mergedInto = new HashMap<>();
    private final Map<Identifier, PendingIdentifier> pendingIdentifiers = new java.util.LinkedHashMap<>();
    private final List<long[]> pendingMerges = new ArrayList<>();
    private final List<Evidence> pendingEvidence = new ArrayList<>();
    private final Map<String, Evidence> pendingByEvent = new HashMap<>();
    /**
     * Profile numbers taken ahead, in issue order, for the links of a prefetched batch: see {@link
     * SqlDialect#reserveProfiles}.
     */
    private final java.util.ArrayDeque<Long> reserved = new java.util.ArrayDeque<>();
    /**
     * Reserved profile numbers issued by this transaction, with their creation times: their rows
     * are made (or dated) at the next flush, see {@link SqlDialect#issueReservedProfiles}.
     */
    private final Map<Long, Long> reservedUsed = new java.util.LinkedHashMap<>();
    private int reserveBudget;
    private int reservedSoFar;

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
      this.cacheGeneration = 0;
    }

    /** A reader's view that borrows a connection only when the cache cannot answer. */
    Tx(Transactions.Lazy lazy) {
      this.fixed = null;
      this.lazy = lazy;
      this.writing = false;
      this.touched = new HashSet<>();
      this.movedAway = new HashSet<>();
      this.cacheGeneration = cache != null ? cache.generation() : 0;
    }

    private Connection connection() throws SQLException {
      return fixed != null ? fixed : lazy.get();
    }

    private final Sql sql = new Sql(this::connection, "the identity tables");

    private void requireWriting() {
      if (!writing) {
        throw new IllegalStateException("a read may not change the identity graph; use write");
      }
    }

    /** The live profile a profile number of this transaction's reads stands for now. */
    private long survivor(long n) {
      Long next = mergedInto.get(n);
      while (next != null) {
        n = next;
        next = mergedInto.get(n);
      }
      return n;
    }

    /**
     * Sends every held-back write, in the order their rows depend on: profile times, identifiers,
     * merges, evidence, evidence items.
     */
    void flush() {
      if (!reservedUsed.isEmpty()) {
        dialect.issueReservedProfiles(sql, reservedUsed);
        reservedUsed.clear();
      }
      if (!pendingIdentifiers.isEmpty()) {
        // In the order they were added: the row id is an identifier's age, which decides who keeps a
        // profile's id on a split. Two batches adding the same new identifiers in opposite orders
        // wait on each other's uncommitted rows; PostgreSQL and MariaDB report the deadlock and the
        // loser runs again, H2 only times out (LOCK_TIMEOUT) and then runs again.
        insertIdentifiers(new ArrayList<>(pendingIdentifiers.values()));
        pendingIdentifiers.clear();
      }
      if (!pendingMerges.isEmpty()) {
        // every merged profile straight to its final survivor, so that the statements' order is free
        List<long[]> merged = new ArrayList<>(pendingMerges.size());
        for (long[] m : pendingMerges) {
          merged.add(new long[] {survivor(m[1]), m[1]});
        }
        Sql.BatchBinder<long[]> pair = (st, m) -> {
          st.setLong(1, m[0]);
          st.setLong(2, m[1]);
        };
        sql.batch(MOVE_MEMBERS, "merging clusters", merged, pair);
        sql.batch(MOVE_ALIASES, "re-pointing aliases", merged, pair);
        sql.batch(MAKE_ALIAS, "making aliases", merged, pair);
        pendingMerges.clear();
      }
      if (!pendingEvidence.isEmpty()) {
        long[] sequences = dialect.insertEvidence(sql, pendingEvidence);
        for (int k = 0; k < sequences.length; k++) {
          queueItems(sequences[k], pendingEvidence.get(k).identifiers());
        }
        pendingEvidence.clear();
        pendingByEvent.clear();
      }
      if (!pendingItems.isEmpty()) {
        dialect.insertItems(sql, pendingItems);
        pendingItems.clear();
      }
    }

    /** Inserts the identifiers, each into its cluster's live profile, and notes their rows. */
    private void insertIdentifiers(List<PendingIdentifier> rows) {
      List<Identifier> ids = new ArrayList<>(rows.size());
      long[] profiles = new long[rows.size()];
      for (int k = 0; k < profiles.length; k++) {
        ids.add(rows.get(k).identifier);
        profiles[k] = survivor(rows.get(k).profile);
      }
      Map<Identifier, Long> keys = dialect.insertIdentifiers(sql, ids, profiles);
      for (PendingIdentifier p : rows) {
        Long row = keys.get(p.identifier);
        if (row == null) {
          throw new OmniStorageException("the database returned no row id for a new " + p.identifier.type()
              + " identifier", null, null);
        }
        rowIds.put(p.identifier, row);
        known.put(p.identifier, new StoredIdentifier(p.identifier, profileId(survivor(p.profile)), row, 0, false));
      }
    }

    /**
     * Flushes, and gives back the profile rows reserved for a batch that it did not need. A write
     * that forgot or split moves the epoch last, so that its row lock is held only to the commit.
     */
    void finish() {
      flush();
      if (!reserved.isEmpty()) {
        dialect.returnReservedProfiles(sql, reserved);
      }
      reserved.clear();
      try {
        changes.write(connection(), pendingChanges);
      } catch (SQLException e) {
        throw OmniStorageException.of("writing the change feed failed: " + e.getMessage(), e);
      }
      if (forgotOrSplit && sql.update(BUMP_EPOCH, s -> { }) == 0) {
        // failing the write beats an erasure other instances never hear of
        throw new OmniStorageException("the row of omni_identity_epoch is missing, so other instances would not "
            + "learn of this forget or split; apply v006__retention.sql", null, null);
      }
    }

    /** The current epoch of forgets and splits, or {@link IdentifierCache#NO_EPOCH}. */
    private long epoch() {
      List<Long> rows = sql.query(EPOCH, s -> { }, rs -> rs.getLong(1));
      return rows.isEmpty() ? IdentifierCache.NO_EPOCH : rows.get(0);
    }

    private void queueItems(long seq, List<Identifier> ids) {
      for (int k = 0; k < ids.size(); k++) {
        Identifier id = ids.get(k);
        long row = rowId(id).orElseThrow(() -> new IllegalStateException("evidence names " + id + ", which is not stored"));
        pendingItems.add(new long[] {seq, k, row});
      }
    }

    private Optional<Long> rowId(Identifier identifier) {
      Long row = rowIds.get(identifier);
      if (row != null) {
        return Optional.of(row);
      }
      if (pendingIdentifiers.containsKey(identifier)) {
        flush();
        return Optional.of(rowIds.get(identifier));
      }
      return find(identifier).map(s -> rowIds.get(identifier));
    }

    private long requireRowId(Identifier identifier) {
      return rowId(identifier).orElseThrow(() -> new IllegalStateException(identifier + " is not stored"));
    }

    // ------------------------------------------------------------ reads

    @Override
    public Optional<StoredIdentifier> find(Identifier identifier) {
      if (writing) {
        PendingIdentifier pending = pendingIdentifiers.get(identifier);
        if (pending != null) {
          return Optional.of(new StoredIdentifier(identifier, profileId(survivor(pending.profile)), Long.MAX_VALUE, 0, false));
        }
        StoredIdentifier held = known.get(identifier);
        if (held != null) {
          return Optional.of(resolved(held));
        }
        if (absent.contains(identifier)) {
          return Optional.empty();
        }
      } else if (cache != null) {
        StoredIdentifier cached = cache.get(identifier, this::epoch);
        if (cached != null) {
          return Optional.of(cached);
        }
      }
      List<StoredIdentifier> rows = sql.query(FIND, s -> {
        s.setString(1, identifier.type().name());
        s.setString(2, identifier.value());
      }, rs -> {
        rowIds.put(identifier, rs.getLong(1));
        return new StoredIdentifier(identifier, profileId(survivor(rs.getLong(2))), rs.getLong(1), rs.getInt(3),
            rs.getBoolean(4));
      });
      if (rows.isEmpty()) {
        if (writing) {
          absent.add(identifier);
        }
        return Optional.empty();
      }
      StoredIdentifier found = rows.get(0);
      if (writing) {
        touched.add(identifier);
        if (locked.contains(number(found.profile()))) {
          known.put(identifier, found);
        }
      } else if (cache != null) {
        cache.put(identifier, found, cacheGeneration);
      }
      return Optional.of(found);
    }

    private StoredIdentifier resolved(StoredIdentifier held) {
      long n = number(held.profile());
      long live = survivor(n);
      return live == n ? held
          : new StoredIdentifier(held.identifier(), profileId(live), held.order(), held.conflicts(), held.shared());
    }

    @Override
    public Optional<ProfileId> canonical(ProfileId id) {
      long n = number(id);
      if (n == 0) {
        return Optional.empty();
      }
      if (mergedInto.containsKey(n)) {
        return Optional.of(profileId(survivor(n)));
      }
      if (reservedUsed.containsKey(n)) {
        return Optional.of(profileId(n));
      }
      List<ProfileId> rows = sql.query(PROFILE_ROW, s -> s.setLong(1, n), rs -> {
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
      flush();
      List<Instant> created = sql.query(PROFILE_ROW, s -> s.setLong(1, n), rs -> {
        Instant at = Instant.ofEpochMilli(rs.getLong(1));
        rs.getLong(2);
        return rs.wasNull() ? at : null;
      });
      if (created.isEmpty() || created.get(0) == null) {
        return Optional.empty();
      }
      ProfileId live = profileId(n);
      List<StoredIdentifier> members = sql.query(MEMBERS, s -> s.setLong(1, n), rs -> {
        Identifier identifier = identifier(rs.getString(2), rs.getString(3));
        rowIds.put(identifier, rs.getLong(1));
        return new StoredIdentifier(identifier, live, rs.getLong(1), rs.getInt(4), rs.getBoolean(5));
      });
      Set<ProfileId> mergedFrom = new LinkedHashSet<>(
          sql.query(MERGED_FROM, s -> s.setLong(1, n), rs -> profileId(rs.getLong(1))));
      List<Conflict> conflicts = sql.query(CONFLICTS, s -> s.setLong(1, n), rs -> new Conflict(
          identifier(rs.getString(1), rs.getString(2)), Conflict.Kind.valueOf(rs.getString(3)),
          rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
      Set<Identifier> shared = new LinkedHashSet<>(
          sql.query(SHARED, s -> s.setLong(1, n), rs -> identifier(rs.getString(1), rs.getString(2))));
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
      Evidence pending = pendingByEvent.get(eventId);
      if (pending != null) {
        return Optional.of(pending);
      }
      if (absentEvents.contains(eventId)) {
        return Optional.empty();
      }
      Evidence stored = storedEvents.get(eventId);
      if (stored != null) {
        return Optional.of(stored);
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
    private void readEvidence(String statement, Sql.Binder binder, Consumer<Evidence> action) {
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
      sql.query(statement, binder, rs -> {
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
      flush();
      return sql.query(LIVE_PROFILES, s -> { }, rs -> profileId(rs.getLong(1)));
    }

    @Override
    public Identities.Stats stats() {
      flush();
      return sql.query(STATS, s -> { }, rs -> new Identities.Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
          .get(0);
    }

    // ------------------------------------------------------------ batch reads

    /**
     * Reads the event ids, then the identifiers, locks their profiles in ascending order, and reads
     * the identifiers again to be sure none moved before its lock: a batch of links then runs from
     * what this transaction holds, with a round trip only for what changes.
     */
    @Override
    public void prefetch(Collection<Identifier> identifiers, Collection<String> eventIds) {
      requireWriting();
      List<String> events = new ArrayList<>(new LinkedHashSet<>(eventIds));
      events.removeIf(e -> e.length() > MAX_EVENT_ID || pendingByEvent.containsKey(e));
      absentEvents.addAll(events);
      for (List<String> chunk : dialect.chunks(events)) {
        readEvidence(EVIDENCE_COLUMNS + "WHERE " + dialect.in("e.event_id", chunk.size()) + " ORDER BY e.seq, it.pos",
            s -> dialect.bindIn(s, 1, chunk, "varchar"), e -> {
              absentEvents.remove(e.eventId());
              storedEvents.put(e.eventId(), e);
            });
      }

      List<Identifier> unread = new ArrayList<>();
      for (Identifier id : identifiers) {
        if (!pendingIdentifiers.containsKey(id) && !known.containsKey(id)) {
          unread.add(id);
        }
      }
      Map<Identifier, StoredIdentifier> before = readMany(unread);
      java.util.TreeSet<Long> profiles = new java.util.TreeSet<>();
      for (StoredIdentifier s : before.values()) {
        profiles.add(number(s.profile()));
      }
      lockNumbers(profiles);
      Map<Identifier, StoredIdentifier> after = readMany(unread);
      for (Identifier id : unread) {
        StoredIdentifier was = before.get(id);
        StoredIdentifier is = after.get(id);
        if (is == null) {
          if (was != null) {
            throw new Transactions.StaleRead(id.type() + " identifier was removed while its cluster was being locked");
          }
          absent.add(id);
          continue;
        }
        if (was == null || !was.profile().equals(is.profile())) {
          throw new Transactions.StaleRead(id.type() + " identifier moved while the batch locked its cluster");
        }
        rowIds.put(id, is.order());
        known.put(id, is);
        touched.add(id);
      }
      loadCounts(profiles);
      reserveBudget += (int) unread.stream().filter(absent::contains).count();
    }

    /** The stored rows of these identifiers, read fresh: by type, {@link SqlDialect#inChunk()} values at a time. */
    private Map<Identifier, StoredIdentifier> readMany(List<Identifier> ids) {
      return dialect.findIdentifiers(sql, ids);
    }

    /** Loads the type counts of these locked profiles, a chunk at a time. */
    private void loadCounts(Collection<Long> profiles) {
      List<Long> all = new ArrayList<>(profiles);
      all.removeIf(counts::containsKey);
      for (Long n : all) {
        counts.put(n, new int[0]);
      }
      for (List<Long> chunk : dialect.chunks(all)) {
        sql.query(TYPE_COUNTS_MANY + dialect.in("profile", chunk.size()) + " GROUP BY profile, id_type",
            s -> dialect.bindIn(s, 1, chunk, "bigint"), rs -> {
              addCount(rs.getLong(1), IdentifierType.of(rs.getString(2)), rs.getInt(3));
              return null;
            });
      }
    }

    private void addCount(long profile, IdentifierType type, int delta) {
      int[] c = counts.get(profile);
      if (c == null) {
        return;
      }
      int ordinal = type.ordinal();
      if (ordinal >= c.length) {
        c = java.util.Arrays.copyOf(c, Math.max(ordinal + 1, IdentifierType.count()));
        counts.put(profile, c);
      }
      c[ordinal] += delta;
    }


    // ------------------------------------------------------------ writes

    @Override
    public void find(List<Identifier> identifiers, long[] profiles, boolean[] shared) {
      for (int i = 0; i < profiles.length; i++) {
        StoredIdentifier found = find(identifiers.get(i)).orElse(null);
        profiles[i] = found == null ? 0 : found.profile().number();
        shared[i] = found != null && found.shared();
      }
    }

    @Override
    public boolean lock(long[] profiles, int count) {
      requireWriting();
      java.util.TreeSet<Long> numbers = new java.util.TreeSet<>();
      for (int k = 0; k < count; k++) {
        if (profiles[k] < 1) {
          throw new IllegalArgumentException("profile number " + profiles[k] + " was not issued by this store");
        }
        numbers.add(profiles[k]);
      }
      lockNumbers(numbers);
      return true;
    }

    /**
     * Locks the profile rows not locked yet, in ascending order (a chunk to a statement); a profile merged away meanwhile makes the whole work run again.
     */
    private void lockNumbers(java.util.SortedSet<Long> numbers) {
      List<Long> todo = new ArrayList<>();
      for (Long n : numbers) {
        if (!locked.contains(n)) {
          todo.add(n);
        }
      }
      for (List<Long> chunk : dialect.chunks(todo)) {
        String statement = chunk.size() == 1 ? LOCK_PROFILE + dialect.forUpdate()
            : LOCK_PROFILES + dialect.in("id", chunk.size()) + " ORDER BY id" + dialect.forUpdate();
        List<long[]> rows = sql.query(statement, s -> {
          if (chunk.size() == 1) {
            s.setLong(1, chunk.get(0));
          } else {
            dialect.bindIn(s, 1, chunk, "bigint");
          }
        }, rs -> {
          long id = rs.getLong(1);
          rs.getLong(2);
          return new long[] {id, rs.wasNull() ? 0 : 1};
        });
        if (rows.size() != chunk.size()) {
          throw new IllegalArgumentException("profiles " + chunk + " were not all issued by this store");
        }
        for (long[] row : rows) {
          if (row[1] != 0) {
            // merged away since this transaction read it: the whole work must see the new clusters
            throw new Transactions.StaleRead("profile " + profileId(row[0]) + " was merged while waiting for its lock");
          }
        }
        locked.addAll(chunk);
      }
    }

    @Override
    public int[] typeCounts(long profile) {
      // Not yet what the SPI asks: the first read of a profile in a transaction counts its rows
      // (an index range of the profile's size). A counts table kept by add/merge/reassign/remove
      // would make it constant; left to issue 14, which splits this class.
      long n = survivor(issued(profile));
      int[] held = counts.get(n);
      if (held != null) {
        return held.clone();
      }
      flush();
      int[] c = new int[IdentifierType.count()];
      for (Object[] row : sql.query(TYPE_COUNTS, s -> s.setLong(1, n), rs -> new Object[] {rs.getString(1), rs.getInt(2)})) {
        int ordinal = IdentifierType.of((String) row[0]).ordinal();
        if (ordinal >= c.length) {
          c = java.util.Arrays.copyOf(c, ordinal + 1);
        }
        c[ordinal] = (Integer) row[1];
      }
      if (locked.contains(n)) {
        counts.put(n, c.clone());
      }
      return c;
    }

    @Override
    public long newProfile(Instant created) {
      requireWriting();
      long n;
      if (reserved.isEmpty() && reserveBudget > 0) {
        reserve();
      }
      if (!reserved.isEmpty()) {
        n = reserved.poll();
        reservedUsed.put(n, created.toEpochMilli());
      } else {
        n = sql.insert(INSERT_PROFILE, "id", s -> s.setLong(1, created.toEpochMilli()));
      }
      locked.add(n);
      counts.put(n, new int[0]);
      return n;
    }

    /**
     * Takes profile numbers ahead for a prefetched batch, up to the number of new identifiers the
     * batch holds, which bounds the profiles it can need: all at once on PostgreSQL, elsewhere
     * doubling each time (16, 32, …). Rows
     * inserted ahead and left over are deleted when the transaction finishes; on PostgreSQL only
     * sequence numbers are taken, and those left over are gaps.
     */
    private void reserve() {
      int k = dialect.profilesToReserve(reserveBudget, reservedSoFar);
      for (long id : dialect.reserveProfiles(sql, k)) {
        reserved.add(id);
      }
      reserveBudget -= k;
      reservedSoFar += k;
    }

    @Override
    public void add(Identifier identifier, long profile) {
      requireWriting();
      long n = survivor(issued(profile));
      if (pendingIdentifiers.containsKey(identifier) || known.containsKey(identifier)) {
        throw new IllegalArgumentException(identifier.type() + " identifier is stored already");
      }
      pendingIdentifiers.put(identifier, new PendingIdentifier(identifier, n));
      absent.remove(identifier);
      addCount(n, identifier.type(), 1);
      touched.add(identifier);
    }

    @Override
    public void merge(long survivor, long merged) {
      requireWriting();
      long s = issued(survivor);
      long m = issued(merged);
      if (s == m) {
        throw new IllegalArgumentException("cannot merge " + profileId(survivor) + " into itself");
      }
      pendingMerges.add(new long[] {s, m});
      mergedInto.put(m, s);
      int[] theirs = counts.remove(m);
      int[] ours = counts.get(s);
      if (theirs != null && ours != null) {
        int[] sum = java.util.Arrays.copyOf(ours, Math.max(ours.length, theirs.length));
        for (int o = 0; o < theirs.length; o++) {
          sum[o] += theirs[o];
        }
        counts.put(s, sum);
      } else {
        counts.remove(s);
      }
      movedAway.add(profileId(m));
    }

    private void makeAlias(long m, long s) {
      sql.update(MOVE_ALIASES, st -> {
        st.setLong(1, s);
        st.setLong(2, m);
      });
      sql.update(MAKE_ALIAS, st -> {
        st.setLong(1, s);
        st.setLong(2, m);
      });
      movedAway.add(profileId(m));
    }

    @Override
    public long append(String eventId, String channel, Instant at, List<Identifier> identifiers, long accepted) {
      return appendRecord(new Evidence(0, eventId, channel, at, identifiers, accepted));
    }

    private long appendRecord(Evidence evidence) {
      requireWriting();
      checkEventId(evidence);
      if (evidence.eventId() != null) {
        if (pendingByEvent.containsKey(evidence.eventId())) {
          throw new IllegalArgumentException("event " + evidence.eventId() + " has evidence already");
        }
        pendingEvidence.add(evidence);
        pendingByEvent.put(evidence.eventId(), evidence);
        absentEvents.remove(evidence.eventId());
        return 0; // written when the transaction flushes; named by its event id
      }
      flush(); // its items need the rows of its identifiers
      long seq = sql.insert(INSERT_EVIDENCE, "seq", s -> {
        s.setString(1, evidence.eventId());
        s.setString(2, evidence.channel());
        s.setLong(3, evidence.at().toEpochMilli());
        s.setLong(4, evidence.accepted());
      });
      queueItems(seq, evidence.identifiers());
      return seq;
    }

    /**
     * Appends many pieces of evidence with a handful of round trips: identifiers looked up
     * a chunk at a time, the evidence rows in one batch (their generated
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
      readMany(new ArrayList<>(unknown)).forEach((id, s) -> rowIds.put(id, s.order()));
      for (Identifier id : unknown) {
        if (!rowIds.containsKey(id)) {
          throw new IllegalStateException("evidence names " + id + ", which is not stored");
        }
      }
      long[] sequences = sql.insertBatch(INSERT_EVIDENCE, "seq", "inserting a batch of evidence", evidence, (st, e) -> {
        st.setString(1, e.eventId());
        st.setString(2, e.channel());
        st.setLong(3, e.at().toEpochMilli());
        st.setLong(4, e.accepted());
      });
      List<Long> result = new ArrayList<>(sequences.length);
      for (int i = 0; i < sequences.length; i++) {
        queueItems(sequences[i], evidence.get(i).identifiers());
        result.add(sequences[i]);
      }
      return result;
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
      flush();
      storedEvents.clear();
      int changed = sql.update(SET_ACCEPTED, s -> {
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
      storedEvents.clear();
      sql.update(DELETE_ITEMS, s -> s.setLong(1, sequence));
      if (sql.update(DELETE_EVIDENCE, s -> s.setLong(1, sequence)) == 0) {
        throw new IllegalArgumentException("no evidence with sequence " + sequence);
      }
    }

    @Override
    public int conflict(ProfileId profile, Conflict conflict) {
      requireWriting();
      long n = issued(profile);
      flush();
      long id = requireRowId(conflict.identifier());
      sql.update(COUNT_CONFLICT, s -> s.setLong(1, id));
      int count = sql.query(CONFLICT_COUNT, s -> s.setLong(1, id), rs -> rs.getInt(1)).get(0);
      sql.update(INSERT_CONFLICT, s -> {
        s.setLong(1, n);
        s.setLong(2, id);
        s.setString(3, conflict.kind().name());
        s.setString(4, conflict.eventId());
        s.setLong(5, conflict.at().toEpochMilli());
      });
      known.remove(conflict.identifier()); // its conflict count changed
      touched.add(conflict.identifier());
      return Math.min(count, MAX_CONFLICTS);
    }

    @Override
    public void markShared(Identifier identifier, ProfileId formerProfile) {
      requireWriting();
      long n = issued(formerProfile);
      flush();
      long id = requireRowId(identifier);
      sql.update(MARK_SHARED, s -> s.setLong(1, id));
      sql.update(dialect.insertIfAbsent("omni_profile_shared", "profile", "identifier"), s -> {
        s.setLong(1, n);
        s.setLong(2, id);
      });
      known.remove(identifier);
      touched.add(identifier);
    }

    @Override
    public void remove(Identifier identifier) {
      requireWriting();
      Optional<StoredIdentifier> stored = find(identifier);
      if (stored.isEmpty()) {
        return;
      }
      long n = number(stored.get().profile());
      if (!locked.contains(n)) {
        // it moved to another cluster after the caller looked: decide again on fresh reads
        throw new Transactions.StaleRead(identifier.type() + " identifier moved to " + stored.get().profile());
      }
      flush();
      long id = requireRowId(identifier);
      sql.update(DELETE_CONFLICTS_OF, s -> s.setLong(1, id));
      sql.update(DELETE_SHARED_OF, s -> s.setLong(1, id));
      sql.update(DELETE_IDENTIFIER, s -> s.setLong(1, id));
      rowIds.remove(identifier);
      known.remove(identifier);
      absent.add(identifier);
      counts.remove(n);
      touched.add(identifier);
      forgotOrSplit = true;
    }

    @Override
    public void reassign(List<Part> parts) {
      requireWriting();
      flush();
      forgotOrSplit = true;
      List<Object[]> rows = new ArrayList<>();
      for (Part part : parts) {
        long n = issued(part.profile());
        for (Identifier member : part.members()) {
          rows.add(new Object[] {n, member});
          touched.add(member);
          known.remove(member);
        }
        counts.remove(n);
      }
      sql.batch(REASSIGN, "re-forming clusters", rows, (st, row) -> {
        Identifier member = (Identifier) row[1];
        st.setLong(1, (Long) row[0]);
        st.setString(2, member.type().name());
        st.setString(3, member.value());
      });
    }

    @Override
    public void record(ProfileChange change) {
      if (!writing) {
        throw new IllegalStateException("a reader cannot record a change");
      }
      pendingChanges.add(change);
    }

    @Override
    public List<ProfileChange> changes(long after, int max) {
      try {
        return changes.after(connection(), after, max);
      } catch (SQLException e) {
        throw OmniStorageException.of("reading the change feed failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void alias(ProfileId merged, ProfileId survivor) {
      requireWriting();
      long m = issued(merged);
      long s = issued(survivor);
      flush();
      makeAlias(m, s);
      known.clear();
      counts.clear();
    }
  }
}
