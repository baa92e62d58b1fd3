package io.omni.jdbc.internal;

import static io.omni.jdbc.internal.IdentitySql.*;
import static io.omni.jdbc.internal.JdbcIdentityStore.MAX_EVENT_ID;
import static io.omni.jdbc.internal.JdbcIdentityStore.identifier;
import static io.omni.jdbc.internal.JdbcIdentityStore.issued;
import static io.omni.jdbc.internal.JdbcIdentityStore.number;
import static io.omni.jdbc.internal.JdbcIdentityStore.profileId;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reads of an identity transaction (see {@link HeldBackWrites}): single reads, the batch
 * reads of a prefetch, the profile locks a batch of links takes, type and fixed-line counts, and
 * the operator corrections. About 480 lines: every read a transaction makes is here, so that each
 * sees the held-back writes the same way (flushed first, or answered from them).
 */
abstract class IdentityReads extends HeldBackWrites {

  IdentityReads(SqlDialect dialect, IdentifierCache cache, JdbcChangeFeed changes, Connection connection,
      Transactions.Lazy lazy, Set<Identifier> touched, Set<ProfileId> movedAway) {
    super(dialect, cache, changes, connection, lazy, touched, movedAway);
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

  StoredIdentifier resolved(StoredIdentifier held) {
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

  /** One statement per {@link SqlDialect#inChunk()} profiles, on the index of {@code alias_of}. */
  @Override
  public Map<ProfileId, ProfileId> aliases(Collection<ProfileId> profiles) {
    List<Long> numbers = new ArrayList<>(profiles.size());
    for (ProfileId p : profiles) {
      long n = number(p);
      if (n != 0) {
        numbers.add(n);
      }
    }
    flush();
    Map<ProfileId, ProfileId> aliases = new java.util.LinkedHashMap<>();
    for (List<Long> chunk : dialect.chunks(numbers)) {
      sql.query(ALIASES_OF + dialect.in("alias_of", chunk.size()) + " ORDER BY id",
          s -> dialect.bindIn(s, 1, chunk, "bigint"), rs -> aliases.put(profileId(rs.getLong(1)), profileId(rs.getLong(2))));
    }
    return aliases;
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
  void readEvidence(String statement, Sql.Binder binder, Consumer<Evidence> action) {
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
   * the rows of the identifiers it found again, by row id, to be sure none moved or went before
   * its lock: a batch of links then runs from what this transaction holds, with a round trip only
   * for what changes.
   *
   * <p>Only found identifiers are read again: one found absent is guarded by the unique key (a
   * concurrent insert makes this transaction's insert fail, and the write runs again), as every
   * identifier a writer finds absent is. A found row keeps its type and value for its life (no
   * statement changes them), so its row id names it: after the lock, whatever moved it out of its
   * profile or changed its marks (a split, a forget, a shared mark, a conflict) has committed, and
   * a row that is gone (forgotten, perhaps stored again under a new id) makes the write run again.
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
    List<Long> rows = new ArrayList<>(before.size());
    for (StoredIdentifier s : before.values()) {
      profiles.add(number(s.profile()));
      rows.add(s.order());
    }
    lockNumbers(profiles);
    Map<Long, long[]> after = readRows(rows);
    int newIdentifiers = 0;
    for (Identifier id : unread) {
      StoredIdentifier was = before.get(id);
      if (was == null) {
        absent.add(id);
        newIdentifiers++;
        continue;
      }
      long[] row = after.get(was.order());
      if (row == null) {
        throw new Transactions.StaleRead(id.type() + " identifier was removed while its cluster was being locked");
      }
      if (row[0] != number(was.profile())) {
        throw new Transactions.StaleRead(id.type() + " identifier moved while the batch locked its cluster");
      }
      StoredIdentifier is = new StoredIdentifier(id, was.profile(), was.order(), (int) row[1], row[2] != 0);
      rowIds.put(id, is.order());
      known.put(id, is);
      touched.add(id);
    }
    loadCounts(profiles);
    reserveBudget += newIdentifiers;
  }

  /**
   * The {@code {profile, conflicts, shared}} of these identifier rows, by row id, read fresh, a
   * chunk at a time; a row that is gone is missing.
   */
  Map<Long, long[]> readRows(List<Long> rows) {
    Map<Long, long[]> found = new java.util.HashMap<>();
    for (List<Long> chunk : dialect.chunks(rows)) {
      sql.query(ROWS + dialect.in("id", chunk.size()), s -> dialect.bindIn(s, 1, chunk, "bigint"), rs -> {
        found.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getInt(3), rs.getBoolean(4) ? 1 : 0});
        return null;
      });
    }
    return found;
  }

  /** The stored rows of these identifiers, read fresh: by type, {@link SqlDialect#inChunk()} values at a time. */
  Map<Identifier, StoredIdentifier> readMany(List<Identifier> ids) {
    return dialect.findIdentifiers(sql, ids);
  }

  /**
   * Makes sure the type counts of these locked profiles are held: their locks read them (see
   * {@link #lockNumbers}); those locked before whose counts a write dropped are read again, after
   * a flush, so that they hold what is held back.
   */
  void loadCounts(java.util.SortedSet<Long> profiles) {
    java.util.TreeSet<Long> missing = new java.util.TreeSet<>(profiles);
    missing.removeIf(counts::containsKey);
    if (missing.isEmpty()) {
      return;
    }
    flush();
    stored(missing).forEach((n, c) -> counts.put(n, c.clone()));
  }

  // ------------------------------------------------------------ locks

  @Override
  public void find(List<Identifier> identifiers, long[] profiles, boolean[] shared) {
    for (int i = 0; i < identifiers.size(); i++) { // the out arrays may be longer than the link
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
   * Locks the profile rows not locked yet, in ascending order (a chunk to a statement), and reads
   * their type counts in the same round trip; a profile merged away meanwhile makes the whole work
   * run again. The counts are what the engine reads too, unless writes are held back (whose
   * changes the counts of a profile locked only now might miss: then {@link #typeCounts} flushes
   * and reads them).
   */
  @Override
  void lockNumbers(java.util.SortedSet<Long> numbers) {
    List<Long> todo = new ArrayList<>();
    for (Long n : numbers) {
      if (!locked.contains(n)) {
        todo.add(n);
      }
    }
    for (List<Long> chunk : dialect.chunks(todo)) {
      String statement = chunk.size() == 1 ? LOCK_PROFILE + dialect.forUpdate()
          : LOCK_PROFILES + dialect.in("id", chunk.size()) + " ORDER BY id" + dialect.forUpdate();
      List<Object[]> rows = sql.query(statement, s -> {
        if (chunk.size() == 1) {
          s.setLong(1, chunk.get(0));
        } else {
          dialect.bindIn(s, 1, chunk, "bigint");
        }
      }, rs -> {
        long id = rs.getLong(1);
        rs.getLong(2);
        boolean alias = !rs.wasNull();
        return new Object[] {id, alias, alias ? null : TypeCountText.decode(id, rs.getString(3))};
      });
      if (rows.size() != chunk.size()) {
        throw new IllegalArgumentException("profiles " + chunk + " were not all issued by this store");
      }
      boolean heldBack = !pendingIdentifiers.isEmpty() || !pendingMerges.isEmpty();
      for (Object[] row : rows) {
        long id = (Long) row[0];
        if ((Boolean) row[1]) {
          // merged away since this transaction read it: the whole work must see the new clusters
          throw new Transactions.StaleRead("profile " + profileId(id) + " was merged while waiting for its lock");
        }
        storedCounts.put(id, (int[]) row[2]);
        if (!heldBack) {
          counts.putIfAbsent(id, ((int[]) row[2]).clone());
        }
      }
      locked.addAll(chunk);
    }
  }

  @Override
  public int[] typeCounts(long profile) {
    // the profile row's own counts, whatever the profile's size: the writes keep them exact, and
    // the lock of a profile this transaction writes read them already
    long n = survivor(issued(profile));
    int[] held = counts.get(n);
    if (held != null) {
      return java.util.Arrays.copyOf(held, Math.max(held.length, IdentifierType.count()));
    }
    flush();
    int[] c = storedCounts.get(n);
    if (c == null) {
      List<String> text = sql.query(TYPE_COUNTS_OF + "id = ?", s -> s.setLong(1, n), rs -> rs.getString(2));
      c = TypeCountText.decode(n, text.isEmpty() ? null : text.get(0));
      if (locked.contains(n)) {
        storedCounts.put(n, c);
      }
    }
    c = java.util.Arrays.copyOf(c, Math.max(c.length, IdentifierType.count()));
    if (locked.contains(n)) {
      counts.put(n, c.clone());
    }
    return c;
  }

  /**
   * Reads the profile's phones alone (its {@code phone} rows, found through the profile index)
   * and asks libphonenumber which are fixed lines: what comes back grows with the profile's phones,
   * which the phone limit bounds, not with its other members, as the SPI's default walk did.
   */
  @Override
  public int fixedLinePhones(long profile) {
    long n = survivor(issued(profile));
    flush();
    int fixed = 0;
    for (String value : sql.query(PHONES_OF, s -> {
      s.setLong(1, n);
      s.setString(2, IdentifierType.PHONE.name());
    }, rs -> rs.getString(1))) {
      if (IdentityTransaction.isFixedLinePhone(value)) {
        fixed++;
      }
    }
    return fixed;
  }

  // ------------------------------------------------------------ operator corrections (JdbcCorrections)

  @Override
  public List<io.omni.identity.Correction> corrections() {
    return JdbcCorrections.all(sql);
  }

  /** The active separations this transaction read, or null: a batch of links reads them once. */
  List<io.omni.identity.Correction> separations;

  /** Read once per transaction (a batch's merging links share the read) and again after it corrects. */
  @Override
  public List<io.omni.identity.Correction> separations() {
    if (separations == null) {
      separations = JdbcCorrections.separations(sql);
    }
    return separations;
  }
}
