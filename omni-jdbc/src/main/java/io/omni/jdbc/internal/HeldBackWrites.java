package io.omni.jdbc.internal;

import static io.omni.jdbc.internal.IdentitySql.*;
import static io.omni.jdbc.internal.JdbcIdentityStore.identifier;
import static io.omni.jdbc.internal.JdbcIdentityStore.issued;
import static io.omni.jdbc.internal.JdbcIdentityStore.number;
import static io.omni.jdbc.internal.JdbcIdentityStore.profileId;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one identity transaction of {@link JdbcIdentityStore} and the writes it holds back.
 * A transaction is a reader, or a writer when {@code writing}; {@link IdentityReads} adds the
 * reads, {@link IdentityWrites} the writes.
 *
 * <p>A writer holds back what it can — new identifiers, merges, evidence with an event id — and
 * sends it in JDBC batches when it {@linkplain #flush flushes}: before any read the held-back
 * writes would change, and at the end. Until then it answers from what it holds: identifiers it
 * read while their cluster was locked by this transaction (nobody else can move them), the type
 * counts of the clusters it holds, the identifiers and event ids it knows are absent (a unique
 * key guards those: a concurrent insert makes this transaction fail and run again).
 *
 * <p>Type counts live in the profile's own row ({@code omni_profile.type_counts}, {@link
 * TypeCountText}); the lock a writer takes on that row reads them ({@link #storedCounts}), and a
 * flush writes the new counts of every profile it changed: a new profile's in the statement that
 * makes its row, the others' in one batch of updates of rows this transaction holds locked.
 */
abstract class HeldBackWrites implements IdentityTransaction {
  final SqlDialect dialect;
  final IdentifierCache cache;
  final JdbcChangeFeed changes;
  final Connection fixed;
  final Transactions.Lazy lazy;
  final boolean writing;
  final Map<Identifier, Long> rowIds = new HashMap<>();
  final Set<Long> locked = new HashSet<>();
  final Set<Identifier> touched;
  final Set<ProfileId> movedAway;
  /** A reader's count of cache invalidations when it began: see {@link IdentifierCache#put}. */
  final long cacheGeneration;
  /** Whether this writer removed an identifier or re-formed clusters: caches elsewhere must hear of it. */
  boolean forgotOrSplit;
  final List<long[]> pendingItems = new ArrayList<>();
  /** Entries of the change feed, written last by {@link #finish}: see {@link JdbcChangeFeed}. */
  final List<ProfileChange> pendingChanges = new ArrayList<>();
  /** Owed carries of this writer's merges, inserted by {@link #finish} in one statement: see {@link JdbcOwedCarries}. */
  final List<OwedCarry> pendingOwed = new ArrayList<>();
  /** Where {@link #finish} wrote the last of {@link #pendingChanges} in the feed; 0 for nowhere. */
  long lastChangePosition;
  /** Identifiers read while their cluster was locked; their profile is resolved through {@link #mergedInto}. */
  final Map<Identifier, StoredIdentifier> known = new HashMap<>();
  final Set<Identifier> absent = new HashSet<>();
  final Set<String> absentEvents = new HashSet<>();
  /** Evidence a prefetch read by event id; its accepted mask is only changed by re-resolution, which clears it. */
  final Map<String, Evidence> storedEvents = new HashMap<>();
  /** The type counts of clusters this transaction holds, its held-back writes included: what the engine reads. */
  final Map<Long, int[]> counts = new HashMap<>();
  /**
   * The type counts as the profile rows hold them now ({@code omni_profile.type_counts}, by
   * ordinal): read with the rows' locks, or written by this transaction. A flush adds its changes
   * to these; a profile missing here is read again (and locked, when this transaction has not).
   */
  final Map<Long, int[]> storedCounts = new HashMap<>();
  final Map<Long, Long> mergedInto = new HashMap<>();
  final Map<Identifier, PendingIdentifier> pendingIdentifiers = new java.util.LinkedHashMap<>();
  final List<long[]> pendingMerges = new ArrayList<>();
  final List<Evidence> pendingEvidence = new ArrayList<>();
  final Map<String, Evidence> pendingByEvent = new HashMap<>();
  /**
   * Profile numbers taken ahead, in issue order, for the links of a prefetched batch: see {@link
   * SqlDialect#reserveProfiles}.
   */
  final java.util.ArrayDeque<Long> reserved = new java.util.ArrayDeque<>();
  /**
   * Reserved profile numbers issued by this transaction, with their creation times: their rows
   * are made (or dated) at the next flush, see {@link SqlDialect#issueReservedProfiles}.
   */
  final Map<Long, Long> reservedUsed = new java.util.LinkedHashMap<>();
  int reserveBudget;
  int reservedSoFar;

  /**
   * A writer's view over the transaction's {@code connection} (it notes the identifiers it touched
   * and the profiles it merged away, for the cache), or with {@code connection} null a reader's
   * view that borrows a connection from {@code lazy} only when the cache cannot answer.
   */
  HeldBackWrites(SqlDialect dialect, IdentifierCache cache, JdbcChangeFeed changes, Connection connection,
      Transactions.Lazy lazy, Set<Identifier> touched, Set<ProfileId> movedAway) {
    this.dialect = dialect;
    this.cache = cache;
    this.changes = changes;
    this.fixed = connection;
    this.lazy = lazy;
    this.writing = connection != null;
    this.touched = touched;
    this.movedAway = movedAway;
    this.cacheGeneration = writing || cache == null ? 0 : cache.generation();
  }

  /** An identifier this transaction has added, to be inserted when it flushes. */
  static final class PendingIdentifier {
    final Identifier identifier;
    long profile;
    long row;

    PendingIdentifier(Identifier identifier, long profile) {
      this.identifier = identifier;
      this.profile = profile;
    }
  }

  Connection connection() throws SQLException {
    return fixed != null ? fixed : lazy.get();
  }

  final Sql sql = new Sql(this::connection, "the identity tables");

  void requireWriting() {
    if (!writing) {
      throw new IllegalStateException("a read may not change the identity graph; use write");
    }
  }

  /** The live profile a profile number of this transaction's reads stands for now. */
  long survivor(long n) {
    Long next = mergedInto.get(n);
    while (next != null) {
      n = next;
      next = mergedInto.get(n);
    }
    return n;
  }

  /**
   * Sends every held-back write, in the order their rows depend on: new profile rows (with their
   * type counts), identifiers, merges, the type counts of the other profiles it changed, evidence,
   * evidence items.
   */
  void flush() {
    Map<Long, String> newRows = new HashMap<>();
    Map<Long, String> changed = countChanges(newRows);
    if (!reservedUsed.isEmpty()) {
      dialect.issueReservedProfiles(sql, reservedUsed, newRows);
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
      // every merged profile straight to its final survivor, so that the statements' order is free;
      // making the alias empties its type counts (its survivor counts its members now)
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
    if (!changed.isEmpty()) {
      dialect.setTypeCounts(sql, changed);
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

  /**
   * The type counts the held-back identifiers and merges give the live profiles they change, as
   * text by profile: those of profiles whose rows this flush makes go in {@code newRows}, the
   * others are answered (sorted, so that concurrent writers would take the rows in one order). Adds
   * each change to the stored counts it starts from ({@link #storedCounts}); a merged profile's
   * counts go to its survivor.
   */
  private Map<Long, String> countChanges(Map<Long, String> newRows) {
    java.util.TreeMap<Long, int[]> added = new java.util.TreeMap<>();
    for (PendingIdentifier p : pendingIdentifiers.values()) {
      int[] to = added.computeIfAbsent(survivor(p.profile), k -> new int[IdentifierType.count()]);
      int ordinal = p.identifier.type().ordinal();
      if (ordinal >= to.length) {
        to = java.util.Arrays.copyOf(to, ordinal + 1);
        added.put(survivor(p.profile), to);
      }
      to[ordinal]++;
    }
    java.util.TreeSet<Long> involved = new java.util.TreeSet<>(added.keySet());
    for (long[] m : pendingMerges) {
      involved.add(m[1]);
      involved.add(survivor(m[1]));
    }
    if (involved.isEmpty()) {
      return Map.of();
    }
    Map<Long, int[]> before = stored(involved);
    for (long[] m : pendingMerges) {
      long merged = m[1];
      added.put(survivor(merged), TypeCountText.sum(added.get(survivor(merged)), before.get(merged)));
      storedCounts.remove(merged); // its row's counts are emptied with its alias
    }
    java.util.TreeMap<Long, String> changed = new java.util.TreeMap<>();
    added.forEach((profile, delta) -> {
      int[] now = TypeCountText.sum(before.get(profile), delta);
      storedCounts.put(profile, now);
      String text = TypeCountText.encode(profile, now);
      if (reservedUsed.containsKey(profile)) {
        newRows.put(profile, text);
      } else {
        changed.put(profile, text);
      }
    });
    return changed;
  }

  /**
   * The stored type counts of these profiles ({@link #storedCounts}), reading those missing: with
   * their locks when this transaction has not locked them (a profile merged away meanwhile makes
   * the work run again), plainly when it has.
   */
  Map<Long, int[]> stored(java.util.SortedSet<Long> profiles) {
    java.util.TreeSet<Long> unlocked = new java.util.TreeSet<>();
    List<Long> unread = new ArrayList<>();
    for (Long n : profiles) {
      if (!storedCounts.containsKey(n)) {
        (locked.contains(n) ? unread : unlocked).add(n);
      }
    }
    lockNumbers(unlocked);
    for (List<Long> chunk : dialect.chunks(unread)) {
      sql.query(TYPE_COUNTS_OF + dialect.in("id", chunk.size()), s -> dialect.bindIn(s, 1, chunk, "bigint"), rs -> {
        long n = rs.getLong(1);
        storedCounts.put(n, TypeCountText.decode(n, rs.getString(2)));
        return null;
      });
    }
    Map<Long, int[]> result = new HashMap<>();
    for (Long n : profiles) {
      int[] c = storedCounts.get(n);
      if (c == null) {
        throw new IllegalArgumentException("profile " + profileId(n) + " was not issued by this store");
      }
      result.put(n, c);
    }
    return result;
  }

  /** Locks the rows of these profiles and notes their stored type counts: see {@link IdentityReads}. */
  abstract void lockNumbers(java.util.SortedSet<Long> numbers);

  /** Inserts the identifiers, each into its cluster's live profile, and notes their rows. */
  void insertIdentifiers(List<PendingIdentifier> rows) {
    List<Identifier> ids = new ArrayList<>(rows.size());
    long[] profiles = new long[rows.size()];
    for (int k = 0; k < profiles.length; k++) {
      ids.add(rows.get(k).identifier);
      profiles[k] = survivor(rows.get(k).profile);
    }
    long[] keys = dialect.insertIdentifiers(sql, ids, profiles);
    for (int k = 0; k < profiles.length; k++) {
      PendingIdentifier p = rows.get(k);
      long row = k < keys.length ? keys[k] : 0;
      if (row == 0) {
        throw new OmniStorageException("the database returned no row id for a new " + p.identifier.type()
            + " identifier", null, null);
      }
      rowIds.put(p.identifier, row);
      known.put(p.identifier, new StoredIdentifier(p.identifier, profileId(profiles[k]), row, 0, false));
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
    if (!pendingOwed.isEmpty()) { // before the feed, whose counter row is held from its update to the commit
      dialect.insertOwedCarries(sql, pendingOwed);
    }
    try {
      lastChangePosition = changes.write(connection(), pendingChanges);
    } catch (SQLException e) {
      throw OmniStorageException.of("writing the change feed failed: " + e.getMessage(), e);
    }
    if (forgotOrSplit && sql.update(BUMP_EPOCH, s -> { }) == 0) {
      // failing the write beats an erasure other instances never hear of
      throw new OmniStorageException("the row of omni_identity_epoch is missing, so other instances would not "
          + "learn of this forget or split; apply v006__retention.sql", null, null);
    }
  }

  /**
   * Whether this writer's transaction is in the database, read on {@code other}: its last entry of
   * the change feed is. False for a writer that wrote no entry (a plain link: its retry finds its
   * evidence by event id, and carries what it would have).
   */
  boolean committed(Connection other) {
    return lastChangePosition != 0
        && changes.holds(other, lastChangePosition, pendingChanges.get(pendingChanges.size() - 1));
  }

  /** The current epoch of forgets and splits, or {@link IdentifierCache#NO_EPOCH}. */
  long epoch() {
    List<Long> rows = sql.query(EPOCH, s -> { }, rs -> rs.getLong(1));
    return rows.isEmpty() ? IdentifierCache.NO_EPOCH : rows.get(0);
  }

  void queueItems(long seq, List<Identifier> ids) {
    for (int k = 0; k < ids.size(); k++) {
      Identifier id = ids.get(k);
      long row = rowId(id).orElseThrow(() -> new IllegalStateException("evidence names " + id + ", which is not stored"));
      pendingItems.add(new long[] {seq, k, row});
    }
  }

  Optional<Long> rowId(Identifier identifier) {
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

  long requireRowId(Identifier identifier) {
    return rowId(identifier).orElseThrow(() -> new IllegalStateException(identifier + " is not stored"));
  }

  void addCount(long profile, IdentifierType type, int delta) {
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
}
