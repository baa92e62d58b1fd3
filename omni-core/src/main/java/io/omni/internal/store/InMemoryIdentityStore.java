package io.omni.internal.store;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.internal.identity.FixedLines;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The identity graph on the heap, in three parts, each tested alone:
 *
 * <ul>
 *   <li>the {@link IdentifierTable}: identifiers interned once to dense {@code int} indexes, with
 *       their conflict count and shared flag packed in one byte;
 *   <li>the {@link Clusters}: a union-find over those indexes with a member ring per cluster, the
 *       profiles (numbered in issue order, their aliases) and their exact {@link TypeCounts}, with
 *       the fixed-line phones counted apart;
 *   <li>the {@link EvidenceLog}: evidence appended column-wise, threaded per identifier.
 * </ul>
 *
 * <p>This class is the {@link IdentityTransaction} over them: it turns identifiers into indexes
 * and back, and the conflicts and shared marks a profile keeps. One read-write lock serializes
 * writers; readers share. It implements the one identity contract, whose link path names
 * profiles by number, so that a link builds no {@code ProfileId} here and walks no cluster.
 * {@link IdentityStore} describes this store as the worked example of the SPI.
 *
 * <p>It is longer than 400 lines because it is the whole {@link IdentityTransaction} of the
 * reference store in one place (each method a few lines over the parts above); the parts, the
 * change log and the owed carries ({@link InMemoryOwedCarries}) live in classes of their own.
 */
final class InMemoryIdentityStore implements IdentityStore {
  private static final byte SHARED = (byte) 0x80;
  private static final int MAX_CONFLICTS = 0x7f;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Tx tx = new Tx();
  private final InMemoryChangeLog changes = new InMemoryChangeLog();
  private final CorrectionTable corrections = new CorrectionTable();
  private final InMemoryOwedCarries owed = new InMemoryOwedCarries();

  private final IdentifierTable identifiers = new IdentifierTable();
  private final Clusters clusters = new Clusters();
  private final EvidenceLog evidence = new EvidenceLog();
  private int sharedCount;
  private final Map<Integer, List<Conflict>> conflictsByProfile = new HashMap<>();
  private final Map<Integer, Set<Identifier>> sharedByProfile = new HashMap<>();

  @Override
  public <R> R write(Function<IdentityTransaction, R> work) {
    lock.writeLock().lock();
    try {
      return work.apply(tx);
    } finally {
      forgetRecent();
      lock.writeLock().unlock();
    }
  }

  @Override
  public <R> R read(Function<IdentityReader, R> work) {
    lock.readLock().lock();
    try {
      return work.apply(tx);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long pruneChanges(Instant before) {
    lock.writeLock().lock();
    try {
      return changes.pruneBefore(before);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** See {@link InMemoryOwedCarries}. */
  @Override
  public List<OwedCarry> owedCarries(Instant notedBefore, int max) {
    return owed.notedBefore(notedBefore, max);
  }

  @Override
  public void carried(Collection<ProfileId> merged) {
    owed.carried(merged);
  }

  @Override
  public void postpone(Collection<ProfileId> merged, Instant noted) {
    owed.postpone(merged, noted);
  }

  /** How many members walks over clusters have visited since the store was made. */
  long memberVisits() {
    return clusters.memberVisits();
  }

  // ---------------------------------------------------------------- identifiers the write looked up

  // Identifiers the current write looked up, by reference, with their index or -1 when unknown:
  // one link asks for the same few identifiers three times (find, add, append). An unknown entry
  // holds until an equal identifier is interned. Only the writer uses it, and only within a write.
  private static final int RECENT = 8;
  private final Identifier[] recent = new Identifier[RECENT];
  private final int[] recentIndex = new int[RECENT];
  private int recentNext;

  private void forgetRecent() {
    Arrays.fill(recent, null);
  }

  private int indexOf(Identifier identifier) {
    boolean writer = lock.isWriteLockedByCurrentThread();
    if (writer) {
      for (int r = 0; r < RECENT; r++) {
        if (recent[r] == identifier) {
          return recentIndex[r];
        }
      }
    }
    int index = identifiers.indexOf(identifier);
    if (writer) {
      remember(identifier, index);
    }
    return index;
  }

  private void remember(Identifier identifier, int index) {
    recent[recentNext] = identifier;
    recentIndex[recentNext] = index;
    recentNext = (recentNext + 1) % RECENT;
  }

  /** Interns a new identifier, forgetting that the write found no identifier equal to it. */
  private int intern(Identifier identifier) {
    for (int r = 0; r < RECENT; r++) {
      Identifier known = recent[r];
      if (known != null && recentIndex[r] < 0
          && (known == identifier || known.type() == identifier.type() && known.value().equals(identifier.value()))) {
        recent[r] = null;
      }
    }
    int index = identifiers.add(identifier);
    remember(identifier, index);
    return index;
  }

  private int stored(Identifier identifier) {
    int index = indexOf(identifier);
    if (index < 0) {
      throw new IllegalStateException(identifier + " is not stored");
    }
    return index;
  }

  /**
   * Whether an identifier is a fixed-line phone, as {@link FixedLines} tells it (the rules' answer
   * for a phone while fixed lines are weak): counted apart in its profile's type counts.
   */
  private static boolean isFixedLine(Identifier identifier) {
    return identifier.type() == IdentifierType.PHONE && FixedLines.isFixedLine(identifier.value());
  }

  private StoredIdentifier storedAt(int index, Identifier identifier) {
    byte f = identifiers.flags(index);
    return new StoredIdentifier(identifier, profileId(clusters.profileOf(index)), index, f & MAX_CONFLICTS,
        (f & SHARED) != 0);
  }

  // ---------------------------------------------------------------- profiles

  private static ProfileId profileId(int number) {
    return ProfileId.ofNumber(number);
  }

  /** The profile's number, or 0 if the id is not canonical or was not issued here. */
  private int number(ProfileId id) {
    long n = id.number();
    return n > clusters.profileCount() ? 0 : (int) n;
  }

  private int liveNumber(ProfileId id) {
    int n = number(id);
    if (n == 0) {
      throw new IllegalArgumentException("profile " + id + " was not issued by this store");
    }
    if (clusters.isAlias(n)) {
      throw new IllegalStateException("profile " + id + " is an alias, not a live profile");
    }
    return n;
  }

  /** Checks that {@code n} is an issued profile's number and returns it. */
  private int issued(long n) {
    if (n < 1 || n > clusters.profileCount()) {
      throw new IllegalArgumentException("profile number " + n + " was not issued by this store");
    }
    return (int) n;
  }

  /** Checks that {@code n} is a live profile's number and returns it. */
  private int live(long number) {
    int n = issued(number);
    if (clusters.isAlias(n)) {
      throw new IllegalStateException("profile " + profileId(n) + " is an alias, not a live profile");
    }
    return n;
  }

  // ---------------------------------------------------------------- evidence

  private Evidence evidenceAt(int e) {
    int size = evidence.size(e);
    List<Identifier> ids = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      ids.add(identifiers.identifier(evidence.identifier(e, k)));
    }
    return new Evidence(e + 1L, evidence.eventId(e), evidence.channel(e), Instant.ofEpochMilli(evidence.atMillis(e)),
        ids, evidence.accepted(e));
  }

  // ---------------------------------------------------------------- the transaction view

  private final class Tx implements IdentityTransaction {
    private final int[] appendIndexes = new int[Evidence.MAX_IDENTIFIERS];

    @Override
    public Optional<StoredIdentifier> find(Identifier identifier) {
      int index = indexOf(identifier);
      return index < 0 ? Optional.empty() : Optional.of(storedAt(index, identifier));
    }

    @Override
    public void find(List<Identifier> ids, long[] profiles, boolean[] shared) {
      for (int i = 0; i < ids.size(); i++) {
        int index = indexOf(ids.get(i));
        profiles[i] = index < 0 ? 0 : clusters.profileOf(index);
        // the flags are one more cache miss: read them only when something is shared
        shared[i] = index >= 0 && sharedCount > 0 && (identifiers.flags(index) & SHARED) != 0;
      }
    }

    @Override
    public Optional<ProfileId> canonical(ProfileId id) {
      int n = number(id);
      return n == 0 ? Optional.empty() : Optional.of(profileId(clusters.canonical(n)));
    }

    @Override
    public Optional<StoredProfile> profile(ProfileId id) {
      int n = number(id);
      if (n == 0 || clusters.isAlias(n)) {
        return Optional.empty();
      }
      List<StoredIdentifier> members = new ArrayList<>();
      for (int index : clusters.members(n)) {
        members.add(storedAt(index, identifiers.identifier(index)));
      }
      Set<ProfileId> merged = new LinkedHashSet<>();
      collectMerged(n, merged);
      return Optional.of(new StoredProfile(profileId(n), n, Instant.ofEpochMilli(clusters.createdMillis(n)), members,
          merged, conflictsByProfile.getOrDefault(n, List.of()), sharedByProfile.getOrDefault(n, Set.of())));
    }

    private void collectMerged(int n, Set<ProfileId> into) {
      clusters.mergedInto(n, m -> {
        into.add(profileId(m));
        collectMerged(m, into);
      });
    }

    @Override
    public List<Evidence> evidence(ProfileId id) {
      int n = liveNumber(id);
      BitSet records = new BitSet();
      for (int index : clusters.members(n)) {
        evidence.recordsOf(index, records);
      }
      List<Evidence> result = new ArrayList<>(records.cardinality());
      for (int e = records.nextSetBit(0); e >= 0; e = records.nextSetBit(e + 1)) {
        result.add(evidenceAt(e));
      }
      return result;
    }

    @Override
    public Optional<Evidence> event(String eventId) {
      int e = evidence.byEventId(eventId);
      return e < 0 ? Optional.empty() : Optional.of(evidenceAt(e));
    }

    @Override
    public void forEachEvidence(Consumer<Evidence> action) {
      for (int e = 0; e < evidence.count(); e++) {
        if (evidence.isLive(e)) {
          action.accept(evidenceAt(e));
        }
      }
    }

    @Override
    public List<ProfileId> profiles() {
      List<ProfileId> result = new ArrayList<>(clusters.liveProfiles());
      for (int n = 1; n <= clusters.profileCount(); n++) {
        if (!clusters.isAlias(n) && clusters.hasMembers(n)) {
          result.add(profileId(n));
        }
      }
      return result;
    }

    @Override
    public Identities.Stats stats() {
      return new Identities.Stats(identifiers.live(), clusters.liveProfiles(), evidence.live(), sharedCount);
    }

    @Override
    public boolean lock(long[] profiles, int count) {
      return false; // the write lock already serializes every writer
    }

    @Override
    public int[] typeCounts(long profile) {
      // live, as find gave it: not reading the alias saves a cache miss per cluster
      return clusters.typeCounts(issued(profile), identifiers.typeCount());
    }

    @Override
    public int[] typeCounts(long profile, int[] into) {
      return clusters.readTypeCounts(issued(profile), into);
    }

    @Override
    public int fixedLinePhones(long profile) {
      return clusters.fixedLines(issued(profile));
    }

    @Override
    public long newProfile(Instant created) {
      return clusters.newProfile(created.toEpochMilli());
    }

    @Override
    public void add(Identifier identifier, long profile) {
      int n = live(profile);
      if (indexOf(identifier) >= 0) {
        throw new IllegalStateException(identifier + " is stored already");
      }
      int index = intern(identifier);
      clusters.add(index, identifiers.typeOrdinal(index), isFixedLine(identifier), n);
    }

    @Override
    public void merge(long survivor, long merged) {
      clusters.merge(live(survivor), live(merged));
    }

    @Override
    public long append(String eventId, String channel, Instant at, List<Identifier> ids, long accepted) {
      int size = ids.size();
      // the writer's own array (the write lock serializes writers, and this calls out to nothing)
      int[] indexes = size <= appendIndexes.length ? appendIndexes : new int[size];
      for (int k = 0; k < size; k++) {
        indexes[k] = indexOf(ids.get(k));
        if (indexes[k] < 0) {
          throw new IllegalStateException("evidence names " + ids.get(k) + ", which is not stored");
        }
      }
      return evidence.append(eventId, channel, at.toEpochMilli(), indexes, size, accepted) + 1L;
    }

    @Override
    public void setAccepted(long sequence, long accepted) {
      evidence.setAccepted(evidence.requireLive(sequence - 1), accepted);
    }

    @Override
    public void removeEvidence(long sequence) {
      evidence.remove(evidence.requireLive(sequence - 1));
    }

    @Override
    public int conflict(ProfileId profile, Conflict conflict) {
      int n = liveNumber(profile);
      int index = stored(conflict.identifier());
      byte f = identifiers.flags(index);
      int count = Math.min(MAX_CONFLICTS, (f & MAX_CONFLICTS) + 1);
      identifiers.flags(index, (byte) ((f & SHARED) | count));
      conflictsByProfile.computeIfAbsent(n, k -> new ArrayList<>()).add(conflict);
      return count;
    }

    @Override
    public void markShared(Identifier identifier, ProfileId formerProfile) {
      int index = stored(identifier);
      byte f = identifiers.flags(index);
      if ((f & SHARED) == 0) {
        identifiers.flags(index, (byte) (f | SHARED));
        sharedCount++;
      }
      sharedByProfile.computeIfAbsent(liveNumber(formerProfile), k -> new LinkedHashSet<>()).add(identifier);
    }

    @Override
    public void remove(Identifier identifier) {
      int index = indexOf(identifier);
      if (index < 0) {
        return;
      }
      forgetRecent(); // the index is about to be freed
      clusters.remove(index, identifiers.typeOrdinal(index), isFixedLine(identifier));
      if ((identifiers.flags(index) & SHARED) != 0) {
        sharedCount--;
      }
      for (Set<Identifier> shared : sharedByProfile.values()) {
        shared.remove(identifier);
      }
      for (List<Conflict> conflicts : conflictsByProfile.values()) {
        conflicts.removeIf(c -> c.identifier().equals(identifier));
      }
      evidence.forgetIdentifier(index);
      identifiers.remove(index);
    }

    @Override
    public void reassign(List<Part> parts) {
      Set<Integer> profiles = new LinkedHashSet<>();
      int[] partProfiles = new int[parts.size()];
      List<int[]> partMembers = new ArrayList<>(parts.size());
      for (int p = 0; p < partProfiles.length; p++) {
        Part part = parts.get(p);
        partProfiles[p] = liveNumber(part.profile());
        profiles.add(partProfiles[p]);
        int[] indexes = new int[part.members().size()];
        for (int k = 0; k < indexes.length; k++) {
          indexes[k] = stored(part.members().get(k));
          profiles.add(clusters.profileOf(indexes[k]));
        }
        partMembers.add(indexes);
      }
      clusters.reassign(profiles, partProfiles, partMembers, identifiers::typeOrdinal,
          index -> isFixedLine(identifiers.identifier(index)));
    }

    @Override
    public void alias(ProfileId merged, ProfileId survivor) {
      clusters.alias(liveNumber(merged), liveNumber(survivor));
    }

    @Override
    public void record(ProfileChange change) {
      changes.append(change);
    }

    @Override
    public void owe(OwedCarry carry) {
      owed.owe(carry);
    }

    @Override
    public List<ProfileChange> changes(long after, int max) {
      return changes.after(after, max);
    }

    @Override
    public List<io.omni.identity.Correction> corrections() {
      return corrections.all();
    }

    @Override
    public List<io.omni.identity.Correction> separations() {
      return corrections.separations();
    }

    @Override
    public long addCorrection(io.omni.identity.Correction correction) {
      return corrections.add(correction);
    }

    @Override
    public void withdrawCorrection(long id, String by, Instant at) {
      corrections.withdraw(id, by, at);
    }

    @Override
    public void removeCorrection(long id) {
      corrections.remove(id);
    }
  }
}
