package io.omni.spi;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Changes to the identity graph inside {@link IdentityStore#write}. Core has checked every change
 * against the rules before it calls these; the store applies them as told.
 */
public interface IdentityTransaction extends IdentityReader {

  /**
   * Locks these live profiles until the transaction ends. Core passes them sorted by their natural
   * order, so that a store locking rows cannot deadlock.
   *
   * @return {@code true} if clusters may have changed since this transaction read them, so that
   *     core must read the identifiers again (and lock again if they moved); {@code false} for a
   *     store that serializes writers another way and so has nothing to lock
   */
  boolean lock(Collection<ProfileId> profiles);

  /**
   * A hint that core is about to apply many links in this transaction: the store may read these
   * identifiers and event ids in bulk, lock the profiles the identifiers belong to (in their
   * natural order, as {@link #lock} would) and answer the links that follow from what it read,
   * so that a batch costs a few round trips rather than a dozen per link. What the store answers
   * afterwards must be exactly what it would have answered without the hint. The default, for a
   * store whose reads are cheap, ignores it.
   */
  default void prefetch(Collection<Identifier> identifiers, Collection<String> eventIds) {}

  /**
   * How many identifiers of each type a live profile holds, indexed by {@link
   * io.omni.identity.IdentifierType#ordinal()} (the array may be shorter than the number of
   * types: missing counts are 0).
   */
  int[] typeCounts(ProfileId profile);

  /** The issue order of a live profile; the smaller survives a merge. */
  long order(ProfileId profile);

  /** Issues a new, empty profile. */
  ProfileId createProfile(Instant created);

  /** Stores a new identifier in a live profile's cluster. */
  StoredIdentifier add(Identifier identifier, ProfileId profile);

  /**
   * Moves every member of {@code merged} into {@code survivor} and makes {@code merged} (and its
   * own aliases) an alias of {@code survivor}.
   */
  void merge(ProfileId survivor, ProfileId merged);

  /**
   * Stores a new piece of evidence.
   *
   * @return its sequence; or 0 for evidence with an event id, which a store may write later in
   *     the same transaction (core names such evidence by its event id, never by its sequence)
   */
  long append(Evidence evidence);

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
   * removed separately with {@link #removeEvidence}.
   */
  void remove(Identifier identifier);

  /**
   * Re-forms clusters after a split or a rebuild: every identifier listed moves to its part's
   * profile. Together the parts hold every member of the profiles they name and of the profiles
   * those members were in; a profile left with no member stays issued but empty.
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
}
