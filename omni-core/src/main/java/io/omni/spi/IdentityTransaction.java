package io.omni.spi;

import io.omni.identity.Conflict;
import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Changes to the identity graph inside {@link IdentityStore#write}. Core has checked every change
 * against the rules before it calls these; the store applies them as told.
 *
 * <p><b>Profiles by number.</b> The methods a link calls name live profiles by their number, a
 * positive {@code long} the store issues ({@link #newProfile}) in increasing order: the number is
 * the profile's issue order, the smaller survives a merge, and the profile's id is {@link
 * ProfileId#ofNumber(long) "p-" + number}, spelled by core only. Core passes a method only numbers
 * this transaction gave it ({@link #find(List, long[], boolean[])}, {@link #newProfile}), of live
 * profiles, so a store may skip checking them on the link path. The methods that take a {@link
 * ProfileId} are for the slower paths (conflicts, splits, rebuilds, tests); core passes them only
 * canonical ids ({@link ProfileId#number()} is never 0), and their {@code default}s here convert
 * to and from numbers: a store implements each operation once. See {@link IdentityStore} for how
 * a store is written.
 */
public interface IdentityTransaction extends IdentityReader {

  /**
   * Finds the identifiers of one link, in bulk, without building a {@link StoredIdentifier} each.
   *
   * <p>The out arrays may be longer than the link (core reuses them from link to link): a store
   * writes their first {@code identifiers.size()} entries and leaves the rest as they are.
   *
   * @param identifiers the link's distinct identifiers
   * @param profiles out, at least as long as {@code identifiers}: for each, the number of the live
   *     profile whose cluster holds it (never an alias), or 0 when it is not stored
   * @param shared out, at least as long as {@code identifiers}: for each, whether it is stored and
   *     shared
   */
  void find(List<Identifier> identifiers, long[] profiles, boolean[] shared);

  /**
   * Locks these live profiles until the transaction ends.
   *
   * @param profiles profile numbers in ascending order, without repeats, so that a store locking
   *     rows cannot deadlock; only the first {@code count} are meant
   * @return {@code true} if clusters may have changed since this transaction read them, so that
   *     core must read the identifiers again (and lock again if they moved); {@code false} for a
   *     store that serializes writers another way and so has nothing to lock
   */
  boolean lock(long[] profiles, int count);

  /** {@link #lock(long[], int)} by ids, in any order. */
  default boolean lock(Collection<ProfileId> profiles) {
    long[] numbers = new long[profiles.size()];
    int count = 0;
    for (ProfileId profile : profiles) {
      numbers[count++] = numberOf(profile);
    }
    java.util.Arrays.sort(numbers);
    int distinct = 0;
    for (int k = 0; k < count; k++) {
      if (distinct == 0 || numbers[distinct - 1] != numbers[k]) {
        numbers[distinct++] = numbers[k];
      }
    }
    return lock(numbers, distinct);
  }

  /**
   * A hint that core is about to apply many links in this transaction: the store may read these
   * identifiers and event ids in bulk, lock the profiles the identifiers belong to (in ascending
   * order, as {@link #lock(long[], int)} would) and answer the links that follow from what it read,
   * so that a batch costs a few round trips rather than a dozen per link. What the store answers
   * afterwards must be exactly what it would have answered without the hint. The default, for a
   * store whose reads are cheap, ignores it.
   */
  default void prefetch(Collection<Identifier> identifiers, Collection<String> eventIds) {}

  /**
   * How many identifiers of each type a live profile holds, indexed by {@link
   * io.omni.identity.IdentifierType#ordinal()} (the array may be shorter than the number of
   * types: missing counts are 0). Called on every link for every cluster it touches: a store keeps
   * these counts as identifiers are added, moved and removed, so that this costs the same whatever
   * the profile holds — never a walk over its members.
   */
  int[] typeCounts(long profile);

  /**
   * {@link #typeCounts(long)} for a caller that only reads the counts, and only until it next
   * changes something in this transaction — a link reads them while it plans, before it adds or
   * merges anything — so that a store need not build an array for them. The store answers either
   * {@code into}, filled with the counts and zeros after them, when it is long enough for them; or
   * an array of its own, which the caller must not change (the counts it keeps, say). The default
   * answers {@link #typeCounts(long)}, a new array.
   *
   * @param into an array the store may fill and answer; core reuses it from link to link
   */
  default int[] typeCounts(long profile, int[] into) {
    return typeCounts(profile);
  }

  /**
   * How many of a live profile's phones are fixed lines ({@code FIXED_LINE} to libphonenumber),
   * which are weak while {@link io.omni.identity.IdentityRules#fixedLinesWeak()} is on. Core asks
   * it on a link only for a cluster whose one strong type is the phone while fixed lines are weak:
   * the cluster holds a mobile, so is a known customer, exactly when it holds more phones ({@link
   * #typeCounts}) than fixed lines. Whether a phone is a fixed line depends on its value only (not
   * on the rules), so a store counts it as it counts types: on add, merge, split and removal, at a
   * cost that does not grow with the profile — the in-memory store keeps it beside its type counts.
   *
   * <p>The default walks the profile's members (asking libphonenumber of each phone), so costs in
   * proportion to the profile's size: it keeps a store that does not count them correct, not fast.
   */
  default int fixedLinePhones(long profile) {
    int count = 0;
    for (StoredIdentifier member : profile(ProfileId.ofNumber(profile)).orElseThrow().members()) {
      Identifier id = member.identifier();
      if (id.type() == io.omni.identity.IdentifierType.PHONE && isFixedLinePhone(id.value())) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether a phone's value (E.164, as {@link Identifier#phone} leaves it) is a fixed line, as
   * {@link #fixedLinePhones} counts them: for a store that keeps the count, or that reads only a
   * profile's phones. Answered from libphonenumber's metadata, cached; no {@code Identifier} is
   * built, so a stored value is not normalized again.
   */
  static boolean isFixedLinePhone(String e164) {
    return io.omni.internal.identity.FixedLines.isFixedLine(e164);
  }

  /** {@link #typeCounts(long)} by id. */
  default int[] typeCounts(ProfileId profile) {
    return typeCounts(numberOf(profile));
  }

  /** The issue order of a live profile, which is its number; the smaller survives a merge. */
  default long order(ProfileId profile) {
    return numberOf(profile);
  }

  /** Issues a new, empty profile and returns its number, larger than every number issued before. */
  long newProfile(Instant created);

  /** {@link #newProfile} as an id. */
  default ProfileId createProfile(Instant created) {
    return ProfileId.ofNumber(newProfile(created));
  }

  /** Stores a new identifier in a live profile's cluster and counts it in its type counts. */
  void add(Identifier identifier, long profile);

  /** {@link #add(Identifier, long)} by id. */
  default void add(Identifier identifier, ProfileId profile) {
    add(identifier, numberOf(profile));
  }

  /**
   * Moves every member of {@code merged} into {@code survivor}, adds its type counts to the
   * survivor's, and makes {@code merged} (and its own aliases) an alias of {@code survivor}. Its
   * cost must not grow with either profile's size: a link that joins two large clusters calls it.
   */
  void merge(long survivor, long merged);

  /** {@link #merge(long, long)} by ids. */
  default void merge(ProfileId survivor, ProfileId merged) {
    merge(numberOf(survivor), numberOf(merged));
  }

  /**
   * Stores a new piece of evidence, as {@link #append(Evidence)} does with {@code new Evidence(0,
   * eventId, channel, at, identifiers, accepted)}: core has checked what {@link Evidence} checks,
   * and every identifier is stored. Passed as columns so that a link builds no record for it.
   *
   * @return its sequence; or 0 for evidence with an event id, which a store may write later in
   *     the same transaction (core names such evidence by its event id, never by its sequence)
   */
  long append(String eventId, String channel, Instant at, List<Identifier> identifiers, long accepted);

  /** {@link #append(String, String, Instant, List, long)} from a record. */
  default long append(Evidence evidence) {
    return append(evidence.eventId(), evidence.channel(), evidence.at(), evidence.identifiers(), evidence.accepted());
  }

  /** Replaces the accepted bits of a stored piece of evidence. */
  void setAccepted(long sequence, long accepted);

  /** Deletes a piece of evidence. */
  void removeEvidence(long sequence);

  /** Counts one more conflict against the identifier and keeps it on the profile; returns the count. */
  int conflict(ProfileId profile, Conflict conflict);

  /** Marks a stored identifier shared and notes it on the profile it was part of. */
  void markShared(Identifier identifier, ProfileId formerProfile);

  /**
   * Deletes an identifier, its conflicts and every trace of its value. The evidence holding it is
   * removed separately with {@link #removeEvidence}. May cost in proportion to the size of its
   * profile (the in-memory store re-forms the cluster's union-find without it).
   */
  void remove(Identifier identifier);

  /**
   * Re-forms clusters after a split or a rebuild: every identifier listed moves to its part's
   * profile. Together the parts hold every member of the profiles they name and of the profiles
   * those members were in; a profile left with no member stays issued but empty. Its cost may be
   * proportional to the members of the profiles it re-forms (the in-memory store walks them and
   * counts each part's types afresh); a split is rare, a link is not.
   */
  void reassign(List<Part> parts);

  /** Makes a live, empty profile an alias of {@code survivor} (a rebuild fused them). */
  void alias(ProfileId merged, ProfileId survivor);

  /**
   * Adds an entry to the change feed, as part of this transaction: it is readable through {@link
   * IdentityReader#changes} once, and only if, the transaction commits. Core records entries in the
   * order they happened; the store gives each the next position ({@link
   * ProfileChange#withPosition}), so that positions follow the order in which transactions commit
   * and leave no gap (a transaction that rolls back takes no position). A store shared by several
   * processes must make that hold for concurrent writers too: the JDBC store has every writer that
   * records an entry take the one row of a counter last, just before it commits.
   *
   * <p>The default drops the entry: a store without a feed answers {@link IdentityReader#changes}
   * with nothing.
   *
   * @param change an entry with position 0
   */
  default void record(ProfileChange change) {}

  /**
   * Notes, as part of this transaction, that a merge it makes is still to be carried to the other
   * stores (the merged profile's cart, campaign runs, journey): core calls it once for every merge
   * a write makes, together with the merge's {@link #record} entry. The note must commit with the
   * merge, or not at all: Omni carries the merge after the commit and then removes the note ({@link
   * IdentityStore#carried}); if the carrying fails, or the process dies first, the note is what
   * {@code campaigns().advance(now)} finds and carries ({@link IdentityStore#owedCarries}). A
   * store may hold notes back and write them in one statement before it commits, as the JDBC
   * store does. A note for a merged profile that has one already may be kept or replaced: a
   * profile is merged away once, so both name the same merge.
   *
   * <p>The default keeps nothing. That is honest only in the sense that nothing breaks: a store
   * without notes behaves as Omni did before them, and a merge whose carrying failed is carried
   * only when the caller retries the write that merged ({@code onRepeated}); if the caller never
   * does, the merged profile's cart, journey and runs stay behind. Both stores Omni ships keep
   * notes; a store of one's own should too. A refusing default would fail every merge of a store
   * written before notes existed, which is worse than the gap it closes.
   *
   * @param carry the owed carry of one merge this transaction makes
   */
  default void owe(OwedCarry carry) {}

  /**
   * Keeps a new operator correction, as part of this transaction, and gives it the next id (1 and
   * up, increasing). Core has checked it against the graph and the other corrections.
   *
   * <p>The default refuses: a store that keeps no corrections cannot take one.
   *
   * @param correction an active correction with id 0
   * @return its id
   */
  default long addCorrection(Correction correction) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator corrections");
  }

  /**
   * Marks a kept correction withdrawn, by whom and when; it stays kept.
   *
   * @throws IllegalArgumentException if no correction has this id
   */
  default void withdrawCorrection(long id, String by, Instant at) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator corrections");
  }

  /**
   * Deletes a kept correction, active or withdrawn, with every trace of the identifiers it names:
   * a forget of one of them calls it. Does nothing for an unknown id.
   */
  default void removeCorrection(long id) {
    throw new UnsupportedOperationException(getClass().getName() + " keeps no operator corrections");
  }

  /**
   * One cluster after re-resolution.
   *
   * @param profile the profile it keeps or was newly issued
   * @param members its identifiers
   */
  record Part(ProfileId profile, List<Identifier> members) {
    /** Copies the members. */
    public Part {
      members = List.copyOf(members);
    }
  }

  /**
   * The number of a canonical id.
   *
   * @throws IllegalArgumentException if the id is not canonical, so names no profile
   */
  private static long numberOf(ProfileId profile) {
    long n = profile.number();
    if (n == 0) {
      throw new IllegalArgumentException("profile " + profile + " is not a canonical id (p-<number>)");
    }
    return n;
  }
}
