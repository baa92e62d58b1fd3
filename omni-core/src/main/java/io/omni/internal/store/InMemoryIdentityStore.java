package io.omni.internal.store;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.internal.UnionFind;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * The identity graph on the heap, laid out in parallel primitive arrays so that an identifier
 * costs a few dozen bytes beyond its string:
 *
 * <ul>
 *   <li>identifiers are interned to dense ints through an open-addressing {@code int[]} table;
 *   <li>clusters are a {@link UnionFind} over those ints plus a circular {@code next} list to walk
 *       a cluster's members; the cluster's profile number sits at its root;
 *   <li>evidence is columnar: offsets, times and channels per record, and one occurrence per
 *       identifier in it (its index, negated when not accepted) threaded into a per-identifier list.
 * </ul>
 *
 * <p>One read-write lock serializes writers; readers share. It implements the one {@link
 * IdentityTransaction} contract, whose link path names profiles by number, so that a link builds
 * no {@code ProfileId} here. Per-profile type counts are exact and kept as they change ({@link
 * TypeCounts}): no link walks a cluster. {@link IdentityStore} describes this store as the worked
 * example of the SPI.
 */
final class InMemoryIdentityStore implements IdentityStore {
  private static final byte SHARED = (byte) 0x80;
  private static final int MAX_CONFLICTS = 0x7f;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Tx tx = new Tx();

  // identifiers, by index
  private int identifierSlots;
  private int liveIdentifiers;
  private short[] typeOf = new short[16];
  private String[] valueOf = new String[16];
  private int[] next = new int[16];
  private int[] evidenceHead = new int[16];
  private int[] profileAtRoot = new int[16];
  private byte[] flags = new byte[16];
  private final UnionFind clusters = new UnionFind(16);
  private IdentifierType[] types = new IdentifierType[8];
  private int sharedCount;

  // (type, value) -> index + 1; 0 empty, -1 deleted
  private int[] table = new int[32];
  private int tableFilled;

  // profiles, by number (0 unused)
  private int profileCount;
  private int liveProfiles;
  private int[] anchor = new int[16];
  private int[] aliasOf = new int[16];
  private long[] createdMillis = new long[16];
  private int[] mergedHead = new int[16];
  private int[] mergedNext = new int[16];
  /** Per profile, its exact identifiers per type, kept as they change: never counted by a walk. */
  private final TypeCounts counts = new TypeCounts();
  /** Members visited by walks over a cluster, for tests that the link path walks none. */
  private long memberVisits;
  private final Map<Integer, List<Conflict>> conflictsByProfile = new HashMap<>();
  private final Map<Integer, Set<Identifier>> sharedByProfile = new HashMap<>();

  // evidence, by index (sequence - 1)
  private int evidenceCount;
  private int liveEvidence;
  private int[] evidenceStart = new int[17];
  private long[] evidenceAt = new long[16];
  private short[] evidenceChannel = new short[16];
  private String[] evidenceEventId = new String[16];
  private final BitSet removedEvidence = new BitSet();
  private int occurrenceCount;
  private int[] occurrence = new int[32];
  private int[] occurrenceNext = new int[32];
  private final List<String> channels = new ArrayList<>();
  private final Map<String, Integer> channelIndex = new HashMap<>();
  private String lastChannel;
  private int lastChannelNumber;
  private final Map<String, Integer> eventIndex = new HashMap<>();

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

  // ---------------------------------------------------------------- interning

  private static int hash(int typeOrdinal, String value) {
    int h = value.hashCode() * 31 + typeOrdinal;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  // Identifiers the current write looked up, by reference, with their index or -1 when unknown:
  // one link asks for the same few identifiers three times (find, add, append). An unknown entry
  // holds until an equal identifier is interned. Only the writer uses it, and only within a write.
  private static final int RECENT = 8;
  private final Identifier[] recent = new Identifier[RECENT];
  private final int[] recentIndex = new int[RECENT];
  private int recentNext;

  private void forgetRecent() {
    java.util.Arrays.fill(recent, null);
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
    int index = lookup(identifier);
    if (writer) {
      remember(identifier, index);
    }
    return index;
  }

  /** Forgets that the write found no identifier equal to this one: it is about to be interned. */
  private void forgetUnknown(Identifier identifier) {
    for (int r = 0; r < RECENT; r++) {
      Identifier known = recent[r];
      if (known != null && recentIndex[r] < 0
          && (known == identifier || known.type() == identifier.type() && known.value().equals(identifier.value()))) {
        recent[r] = null;
      }
    }
  }

  private void remember(Identifier identifier, int index) {
    recent[recentNext] = identifier;
    recentIndex[recentNext] = index;
    recentNext = (recentNext + 1) % RECENT;
  }

  private int lookup(Identifier identifier) {
    int ordinal = identifier.type().ordinal();
    String value = identifier.value();
    int mask = table.length - 1;
    for (int slot = hash(ordinal, value) & mask; ; slot = (slot + 1) & mask) {
      int entry = table[slot];
      if (entry == 0) {
        return -1;
      }
      if (entry > 0) {
        int index = entry - 1;
        if (typeOf[index] == ordinal && value.equals(valueOf[index])) {
          return index;
        }
      }
    }
  }

  private void putInTable(int index) {
    if ((tableFilled + 1) * 10 > table.length * 6) {
      rehash();
    }
    int mask = table.length - 1;
    int slot = hash(typeOf[index], valueOf[index]) & mask;
    while (table[slot] > 0) {
      slot = (slot + 1) & mask;
    }
    if (table[slot] == 0) {
      tableFilled++;
    }
    table[slot] = index + 1;
  }

  private void removeFromTable(int index) {
    int mask = table.length - 1;
    for (int slot = hash(typeOf[index], valueOf[index]) & mask; ; slot = (slot + 1) & mask) {
      if (table[slot] == index + 1) {
        table[slot] = -1;
        return;
      }
    }
  }

  private void rehash() {
    int capacity = table.length;
    while (liveIdentifiers * 10 >= capacity * 4) {
      capacity <<= 1;
    }
    int[] old = table;
    table = new int[Math.max(capacity, 32)];
    tableFilled = 0;
    int mask = table.length - 1;
    for (int entry : old) {
      if (entry > 0) {
        int index = entry - 1;
        int slot = hash(typeOf[index], valueOf[index]) & mask;
        while (table[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        table[slot] = entry;
        tableFilled++;
      }
    }
  }

  private int intern(Identifier identifier) {
    int index = identifierSlots++;
    if (index == typeOf.length) {
      int capacity = index + (index >> 1) + 8;
      typeOf = Arrays.copyOf(typeOf, capacity);
      valueOf = Arrays.copyOf(valueOf, capacity);
      next = Arrays.copyOf(next, capacity);
      evidenceHead = Arrays.copyOf(evidenceHead, capacity);
      profileAtRoot = Arrays.copyOf(profileAtRoot, capacity);
      flags = Arrays.copyOf(flags, capacity);
    }
    int ordinal = identifier.type().ordinal();
    if (ordinal >= types.length) {
      types = Arrays.copyOf(types, ordinal + 8);
    }
    types[ordinal] = identifier.type();
    typeOf[index] = (short) ordinal;
    valueOf[index] = identifier.value();
    next[index] = index;
    evidenceHead[index] = -1;
    int element = clusters.add();
    assert element == index;
    liveIdentifiers++;
    putInTable(index);
    forgetUnknown(identifier);
    remember(identifier, index);
    return index;
  }

  private Identifier identifierAt(int index) {
    return new Identifier(types[typeOf[index]], valueOf[index]);
  }

  // ---------------------------------------------------------------- profiles

  private static ProfileId profileId(int number) {
    return ProfileId.ofNumber(number);
  }

  /** The profile's number, or 0 if the id is not canonical or was not issued here. */
  private int number(ProfileId id) {
    long n = id.number();
    return n > profileCount ? 0 : (int) n;
  }

  private int liveNumber(ProfileId id) {
    int n = number(id);
    if (n == 0) {
      throw new IllegalArgumentException("profile " + id + " was not issued by this store");
    }
    if (aliasOf[n] != 0) {
      throw new IllegalStateException("profile " + id + " is an alias, not a live profile");
    }
    return n;
  }

  /** Checks that {@code n} is an issued profile's number and returns it. */
  private int issued(long n) {
    if (n < 1 || n > profileCount) {
      throw new IllegalArgumentException("profile number " + n + " was not issued by this store");
    }
    return (int) n;
  }

  /** Checks that {@code n} is a live profile's number and returns it. */
  private int live(long number) {
    int n = issued(number);
    if (aliasOf[n] != 0) {
      throw new IllegalStateException("profile " + profileId(n) + " is an alias, not a live profile");
    }
    return n;
  }

  private int canonicalNumber(int n) {
    int root = n;
    while (aliasOf[root] != 0) {
      root = aliasOf[root];
    }
    while (aliasOf[n] != 0 && aliasOf[n] != root) { // compress
      int up = aliasOf[n];
      aliasOf[n] = root;
      n = up;
    }
    return root;
  }

  private int issueProfile(long created) {
    int n = ++profileCount;
    if (n == anchor.length) {
      int capacity = n + (n >> 1) + 8;
      anchor = Arrays.copyOf(anchor, capacity);
      aliasOf = Arrays.copyOf(aliasOf, capacity);
      createdMillis = Arrays.copyOf(createdMillis, capacity);
      mergedHead = Arrays.copyOf(mergedHead, capacity);
      mergedNext = Arrays.copyOf(mergedNext, capacity);
    }
    counts.ensure(n);
    anchor[n] = -1;
    createdMillis[n] = created;
    return n;
  }

  private int profileOf(int index) {
    return profileAtRoot[clusters.find(index)];
  }

  /** Links two circular member lists into one. */
  private void splice(int a, int b) {
    int t = next[a];
    next[a] = next[b];
    next[b] = t;
  }

  private void join(int profile, int index) {
    if (anchor[profile] < 0) {
      if (anchor[profile] == -1) {
        liveProfiles++;
      }
      anchor[profile] = index;
      profileAtRoot[clusters.find(index)] = profile;
      return;
    }
    int root = clusters.find(anchor[profile]);
    int other = clusters.find(index);
    if (root == other) {
      return;
    }
    splice(root, other);
    profileAtRoot[clusters.union(root, other)] = profile;
  }

  private List<Integer> members(int profile) {
    List<Integer> result = new ArrayList<>();
    int start = anchor[profile];
    if (start < 0) {
      return result;
    }
    int i = start;
    do {
      result.add(i);
      memberVisits++;
      i = next[i];
    } while (i != start);
    result.sort(null);
    return result;
  }

  /** How many members walks over clusters have visited since the store was made. */
  long memberVisits() {
    return memberVisits;
  }

  private StoredIdentifier stored(int index, Identifier identifier) {
    byte f = flags[index];
    return new StoredIdentifier(identifier, profileId(profileOf(index)), index, f & MAX_CONFLICTS, (f & SHARED) != 0);
  }

  // ---------------------------------------------------------------- evidence

  private int channelNumber(String channel) {
    if (channel == lastChannel) { // most links of a run come from one channel
      return lastChannelNumber;
    }
    int n = channelNumberOf(channel);
    lastChannel = channel;
    lastChannelNumber = n;
    return n;
  }

  private int channelNumberOf(String channel) {
    Integer known = channelIndex.get(channel);
    if (known != null) {
      return known;
    }
    int n = channels.size();
    if (n > Short.MAX_VALUE) {
      throw new IllegalStateException("more than " + Short.MAX_VALUE + " channels");
    }
    channels.add(channel);
    channelIndex.put(channel, n);
    return n;
  }

  private Evidence evidenceAt(int e) {
    int from = evidenceStart[e];
    int to = evidenceStart[e + 1];
    List<Identifier> ids = new ArrayList<>(to - from);
    long accepted = 0;
    for (int o = from; o < to; o++) {
      int index = occurrence[o];
      if (index >= 0) {
        accepted |= 1L << (o - from);
      } else {
        index = ~index;
      }
      ids.add(identifierAt(index));
    }
    return new Evidence(e + 1L, evidenceEventId[e], channels.get(evidenceChannel[e]),
        Instant.ofEpochMilli(evidenceAt[e]), ids, accepted);
  }

  private int evidenceOfOccurrence(int o) {
    // starts are strictly increasing (evidence is never empty): o is a start, or inside the one before
    int e = Arrays.binarySearch(evidenceStart, 0, evidenceCount + 1, o);
    return e >= 0 ? e : -e - 2;
  }

  private int evidenceIndex(long sequence) {
    if (sequence < 1 || sequence > evidenceCount || removedEvidence.get((int) sequence - 1)) {
      throw new IllegalArgumentException("no evidence with sequence " + sequence);
    }
    return (int) sequence - 1;
  }

  // ---------------------------------------------------------------- the transaction view

  private final class Tx implements IdentityTransaction {

    @Override
    public Optional<StoredIdentifier> find(Identifier identifier) {
      int index = indexOf(identifier);
      return index < 0 ? Optional.empty() : Optional.of(stored(index, identifier));
    }

    @Override
    public void find(List<Identifier> identifiers, long[] profiles, boolean[] shared) {
      for (int i = 0; i < profiles.length; i++) {
        int index = indexOf(identifiers.get(i));
        profiles[i] = index < 0 ? 0 : profileOf(index);
        shared[i] = index >= 0 && sharedCount > 0 && (flags[index] & SHARED) != 0; // flags are one more cache miss
      }
    }

    @Override
    public Optional<ProfileId> canonical(ProfileId id) {
      int n = number(id);
      return n == 0 ? Optional.empty() : Optional.of(profileId(canonicalNumber(n)));
    }

    @Override
    public Optional<StoredProfile> profile(ProfileId id) {
      int n = number(id);
      if (n == 0 || aliasOf[n] != 0) {
        return Optional.empty();
      }
      List<StoredIdentifier> members = new ArrayList<>();
      for (int index : members(n)) {
        members.add(stored(index, identifierAt(index)));
      }
      Set<ProfileId> merged = new LinkedHashSet<>();
      collectMerged(n, merged);
      return Optional.of(new StoredProfile(profileId(n), n, Instant.ofEpochMilli(createdMillis[n]), members,
          merged, conflictsByProfile.getOrDefault(n, List.of()), sharedByProfile.getOrDefault(n, Set.of())));
    }

    private void collectMerged(int n, Set<ProfileId> into) {
      for (int m = mergedHead[n]; m != 0; m = mergedNext[m]) {
        into.add(profileId(m));
        collectMerged(m, into);
      }
    }

    @Override
    public List<Evidence> evidence(ProfileId id) {
      int n = liveNumber(id);
      BitSet seen = new BitSet();
      for (int index : members(n)) {
        for (int o = evidenceHead[index]; o >= 0; o = occurrenceNext[o]) {
          int e = evidenceOfOccurrence(o);
          if (!removedEvidence.get(e)) {
            seen.set(e);
          }
        }
      }
      List<Evidence> result = new ArrayList<>(seen.cardinality());
      for (int e = seen.nextSetBit(0); e >= 0; e = seen.nextSetBit(e + 1)) {
        result.add(evidenceAt(e));
      }
      return result;
    }

    @Override
    public Optional<Evidence> event(String eventId) {
      Integer e = eventIndex.get(eventId);
      return e == null ? Optional.empty() : Optional.of(evidenceAt(e));
    }

    @Override
    public void forEachEvidence(Consumer<Evidence> action) {
      for (int e = 0; e < evidenceCount; e++) {
        if (!removedEvidence.get(e)) {
          action.accept(evidenceAt(e));
        }
      }
    }

    @Override
    public List<ProfileId> profiles() {
      List<ProfileId> result = new ArrayList<>(liveProfiles);
      for (int n = 1; n <= profileCount; n++) {
        if (aliasOf[n] == 0 && anchor[n] >= 0) {
          result.add(profileId(n));
        }
      }
      return result;
    }

    @Override
    public Identities.Stats stats() {
      return new Identities.Stats(liveIdentifiers, liveProfiles, liveEvidence, sharedCount);
    }

    @Override
    public boolean lock(long[] profiles, int count) {
      return false; // the write lock already serializes every writer
    }

    @Override
    public int[] typeCounts(long profile) {
      // live, as find gave it: not reading aliasOf saves a cache miss per cluster
      return counts.copy(issued(profile), types.length);
    }

    @Override
    public long newProfile(Instant created) {
      return issueProfile(created.toEpochMilli());
    }

    @Override
    public void add(Identifier identifier, long profile) {
      addTo(identifier, live(profile));
    }

    private int addTo(Identifier identifier, int n) {
      if (indexOf(identifier) >= 0) {
        throw new IllegalStateException(identifier + " is stored already");
      }
      int index = intern(identifier);
      join(n, index);
      counts.add(n, typeOf[index], 1);
      return index;
    }

    @Override
    public void merge(long survivor, long merged) {
      int s = live(survivor);
      int m = live(merged);
      if (s == m) {
        throw new IllegalArgumentException("cannot merge " + profileId(s) + " into itself");
      }
      if (anchor[m] >= 0) {
        join(s, anchor[m]);
        counts.moveAll(m, s);
        liveProfiles--;
      }
      counts.clear(m);
      anchor[m] = -2; // issued, then merged away
      makeAlias(m, s);
    }

    private void makeAlias(int m, int s) {
      aliasOf[m] = s;
      mergedNext[m] = mergedHead[s];
      mergedHead[s] = m;
    }

    @Override
    public long append(String eventId, String channel, Instant at, List<Identifier> ids, long accepted) {
      int e = evidenceCount;
      if (e == evidenceAt.length) {
        int capacity = e + (e >> 1) + 8;
        evidenceAt = Arrays.copyOf(evidenceAt, capacity);
        evidenceChannel = Arrays.copyOf(evidenceChannel, capacity);
        evidenceEventId = Arrays.copyOf(evidenceEventId, capacity);
        evidenceStart = Arrays.copyOf(evidenceStart, capacity + 1);
      }
      int[] indexes = new int[ids.size()];
      for (int k = 0; k < indexes.length; k++) {
        indexes[k] = indexOf(ids.get(k));
        if (indexes[k] < 0) {
          throw new IllegalStateException("evidence names " + ids.get(k) + ", which is not stored");
        }
      }
      if (eventId != null && eventIndex.containsKey(eventId)) {
        throw new IllegalStateException("event " + eventId + " is recorded already");
      }
      int needed = occurrenceCount + indexes.length;
      if (needed > occurrence.length) {
        int capacity = Math.max(needed, occurrence.length + (occurrence.length >> 1));
        occurrence = Arrays.copyOf(occurrence, capacity);
        occurrenceNext = Arrays.copyOf(occurrenceNext, capacity);
      }
      evidenceStart[e] = occurrenceCount;
      for (int k = 0; k < indexes.length; k++) {
        int o = occurrenceCount++;
        int index = indexes[k];
        occurrence[o] = (accepted & (1L << k)) != 0 ? index : ~index;
        occurrenceNext[o] = evidenceHead[index];
        evidenceHead[index] = o;
      }
      evidenceStart[e + 1] = occurrenceCount;
      evidenceAt[e] = at.toEpochMilli();
      evidenceChannel[e] = (short) channelNumber(channel);
      evidenceEventId[e] = eventId;
      if (eventId != null) {
        eventIndex.put(eventId, e);
      }
      evidenceCount++;
      liveEvidence++;
      return e + 1L;
    }

    @Override
    public void setAccepted(long sequence, long accepted) {
      int e = evidenceIndex(sequence);
      for (int o = evidenceStart[e]; o < evidenceStart[e + 1]; o++) {
        int index = occurrence[o] >= 0 ? occurrence[o] : ~occurrence[o];
        occurrence[o] = (accepted & (1L << (o - evidenceStart[e]))) != 0 ? index : ~index;
      }
    }

    @Override
    public void removeEvidence(long sequence) {
      int e = evidenceIndex(sequence);
      removedEvidence.set(e);
      if (evidenceEventId[e] != null) {
        eventIndex.remove(evidenceEventId[e]);
        evidenceEventId[e] = null;
      }
      liveEvidence--;
    }

    @Override
    public int conflict(ProfileId profile, Conflict conflict) {
      int n = liveNumber(profile);
      int index = indexOf(conflict.identifier());
      if (index < 0) {
        throw new IllegalStateException(conflict.identifier() + " is not stored");
      }
      int count = Math.min(MAX_CONFLICTS, (flags[index] & MAX_CONFLICTS) + 1);
      flags[index] = (byte) ((flags[index] & SHARED) | count);
      conflictsByProfile.computeIfAbsent(n, k -> new ArrayList<>()).add(conflict);
      return count;
    }

    @Override
    public void markShared(Identifier identifier, ProfileId formerProfile) {
      int index = indexOf(identifier);
      if (index < 0) {
        throw new IllegalStateException(identifier + " is not stored");
      }
      if ((flags[index] & SHARED) == 0) {
        flags[index] |= SHARED;
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
      forgetRecent(); // the slot is about to be freed
      int profile = profileOf(index);
      List<Integer> all = members(profile);
      List<Integer> rest = new ArrayList<>(all);
      rest.remove(Integer.valueOf(index));
      for (int i : all) {
        clusters.reset(i);
        next[i] = i;
      }
      if (anchor[profile] >= 0) {
        anchor[profile] = -1;
        liveProfiles--;
      }
      for (int i : rest) {
        join(profile, i);
      }
      counts.add(profile, typeOf[index], -1);
      removeFromTable(index);
      if ((flags[index] & SHARED) != 0) {
        sharedCount--;
      }
      for (Set<Identifier> shared : sharedByProfile.values()) {
        shared.remove(identifier);
      }
      for (List<Conflict> conflicts : conflictsByProfile.values()) {
        conflicts.removeIf(c -> c.identifier().equals(identifier));
      }
      valueOf[index] = null;
      flags[index] = 0;
      evidenceHead[index] = -1;
      profileAtRoot[index] = 0;
      liveIdentifiers--;
    }

    @Override
    public void reassign(List<Part> parts) {
      Set<Integer> profiles = new LinkedHashSet<>();
      List<int[]> resolved = new ArrayList<>(parts.size());
      for (Part part : parts) {
        profiles.add(liveNumber(part.profile()));
        int[] indexes = new int[part.members().size()];
        for (int k = 0; k < indexes.length; k++) {
          indexes[k] = indexOf(part.members().get(k));
          if (indexes[k] < 0) {
            throw new IllegalStateException(part.members().get(k) + " is not stored");
          }
          profiles.add(profileOf(indexes[k]));
        }
        resolved.add(indexes);
      }
      for (int profile : profiles) {
        for (int i : members(profile)) {
          clusters.reset(i);
          next[i] = i;
        }
        if (anchor[profile] >= 0) {
          anchor[profile] = -1;
          liveProfiles--;
        }
      }
      for (int profile : profiles) {
        counts.clear(profile);
      }
      for (int p = 0; p < parts.size(); p++) {
        int profile = liveNumber(parts.get(p).profile());
        for (int index : resolved.get(p)) {
          join(profile, index);
          counts.add(profile, typeOf[index], 1);
        }
      }
    }

    @Override
    public void alias(ProfileId merged, ProfileId survivor) {
      int m = liveNumber(merged);
      int s = liveNumber(survivor);
      if (anchor[m] >= 0) {
        throw new IllegalStateException("profile " + merged + " still has members; merge it instead");
      }
      anchor[m] = -2;
      makeAlias(m, s);
    }
  }
}
