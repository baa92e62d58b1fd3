package io.omni.jdbc.internal;

import static io.omni.jdbc.internal.IdentitySql.*;
import static io.omni.jdbc.internal.JdbcIdentityStore.MAX_CONFLICTS;
import static io.omni.jdbc.internal.JdbcIdentityStore.MAX_EVENT_ID;
import static io.omni.jdbc.internal.JdbcIdentityStore.identifier;
import static io.omni.jdbc.internal.JdbcIdentityStore.issued;
import static io.omni.jdbc.internal.JdbcIdentityStore.number;
import static io.omni.jdbc.internal.JdbcIdentityStore.profileId;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import io.omni.spi.Evidence;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes of an identity transaction, and so the whole transaction view {@link
 * JdbcIdentityStore} hands out (reads from {@link IdentityReads}, held-back state from {@link
 * HeldBackWrites}).
 *
 * <p>About 410 lines: every write of the identity SPI, each a few statements, plus the two reads of
 * the change feed ({@code changes}, {@code mergesOf}) that need the feed this class writes.
 */
final class IdentityWrites extends IdentityReads {

  private IdentityWrites(SqlDialect dialect, IdentifierCache cache, JdbcChangeFeed changes, Connection connection,
      Transactions.Lazy lazy, Set<Identifier> touched, Set<ProfileId> movedAway) {
    super(dialect, cache, changes, connection, lazy, touched, movedAway);
  }

  /**
   * A writer's view over the transaction's connection; it notes the identifiers it touched and
   * the profiles it merged away, for the cache.
   */
  static IdentityWrites writer(SqlDialect dialect, IdentifierCache cache, JdbcChangeFeed changes,
      Connection connection, Set<Identifier> touched, Set<ProfileId> movedAway) {
    return new IdentityWrites(dialect, cache, changes, connection, null, touched, movedAway);
  }

  /** A reader's view that borrows a connection only when the cache cannot answer. */
  static IdentityWrites reader(SqlDialect dialect, IdentifierCache cache, JdbcChangeFeed changes,
      Transactions.Lazy lazy) {
    return new IdentityWrites(dialect, cache, changes, null, lazy, new HashSet<>(), new HashSet<>());
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
    storedCounts.put(n, new int[0]); // a new row's type_counts is NULL
    return n;
  }

  /**
   * Takes profile numbers ahead for a prefetched batch, up to the number of new identifiers the
   * batch holds, which bounds the profiles it can need: all at once on PostgreSQL, elsewhere
   * 128 and then doubling. Rows
   * inserted ahead and left over are deleted when the transaction finishes; on PostgreSQL only
   * sequence numbers are taken, and those left over are gaps.
   */
  void reserve() {
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

  void makeAlias(long m, long s) {
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

  long appendRecord(Evidence evidence) {
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

  void checkEventId(Evidence evidence) {
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
    long live = survivor(n);
    int ordinal = identifier.type().ordinal();
    int[] was = stored(new java.util.TreeSet<>(List.of(live))).get(live);
    int[] less = java.util.Arrays.copyOf(was, Math.max(was.length, ordinal + 1));
    less[ordinal]--; // the row held it: its type is counted there
    sql.update(SET_TYPE_COUNTS, s -> {
      s.setString(1, TypeCountText.encode(live, less));
      s.setLong(2, live);
    });
    storedCounts.put(live, less);
    rowIds.remove(identifier);
    known.remove(identifier);
    absent.add(identifier);
    counts.remove(n);
    counts.remove(live);
    touched.add(identifier);
    forgotOrSplit = true;
  }

  @Override
  public void reassign(List<Part> parts) {
    requireWriting();
    flush();
    forgotOrSplit = true;
    List<Object[]> rows = new ArrayList<>();
    // the parts hold every member of the profiles they re-form: those profiles' counts are the
    // parts' (none for a profile no part keeps)
    java.util.TreeSet<Long> recounted = new java.util.TreeSet<>();
    Map<Long, int[]> partCounts = new java.util.HashMap<>();
    for (Part part : parts) {
      long n = issued(part.profile());
      recounted.add(n);
      int[] byType = partCounts.computeIfAbsent(n, k -> new int[IdentifierType.count()]);
      for (Identifier member : part.members()) {
        find(member).ifPresent(was -> {
          recounted.add(survivor(number(was.profile())));
          byType[member.type().ordinal()]++; // a stored member's type is registered: its ordinal fits
        });
        rows.add(new Object[] {n, member});
        touched.add(member);
        known.remove(member);
      }
    }
    sql.batch(REASSIGN, "re-forming clusters", rows, (st, row) -> {
      Identifier member = (Identifier) row[1];
      st.setLong(1, (Long) row[0]);
      st.setString(2, member.type().name());
      st.setString(3, member.value());
    });
    java.util.TreeMap<Long, String> texts = new java.util.TreeMap<>();
    for (Long n : recounted) {
      int[] now = partCounts.getOrDefault(n, new int[0]);
      texts.put(n, TypeCountText.encode(n, now));
      storedCounts.put(n, now);
    }
    dialect.setTypeCounts(sql, texts);
    recounted.forEach(counts::remove);
  }

  @Override
  public void record(ProfileChange change) {
    if (!writing) {
      throw new IllegalStateException("a reader cannot record a change");
    }
    pendingChanges.add(change);
  }

  @Override
  public void owe(OwedCarry carry) {
    requireWriting();
    pendingOwed.add(carry);
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
  public List<ProfileChange> mergesOf(Collection<ProfileId> merged) {
    try {
      return changes.mergesOf(connection(), merged);
    } catch (SQLException e) {
      throw OmniStorageException.of("reading the change feed's merges failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void alias(ProfileId merged, ProfileId survivor) {
    requireWriting();
    long m = issued(merged);
    long s = issued(survivor);
    flush();
    makeAlias(m, s); // empty: no counts to move, and its own are emptied with the alias
    storedCounts.remove(m);
    known.clear();
    counts.clear();
  }

  // ------------------------------------------------------------ operator corrections (JdbcCorrections)

  @Override
  public long addCorrection(io.omni.identity.Correction correction) {
    requireWriting();
    separations = null;
    return JdbcCorrections.add(sql, correction);
  }

  @Override
  public void withdrawCorrection(long id, String by, Instant at) {
    requireWriting();
    separations = null;
    JdbcCorrections.withdraw(sql, id, by, at);
  }

  @Override
  public void removeCorrection(long id) {
    requireWriting();
    separations = null;
    JdbcCorrections.remove(sql, id);
  }
}
