package io.omni.spi;

import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Reads of the identity graph. See {@link IdentityStore}. */
public interface IdentityReader {

  /** The identifier as stored, or empty if it is unknown. */
  Optional<StoredIdentifier> find(Identifier identifier);

  /** The live id a profile id stands for — itself or, for an alias, its survivor; empty if never issued. */
  Optional<ProfileId> canonical(ProfileId id);

  /** A live profile with its members; empty if the id is unknown or an alias. */
  Optional<StoredProfile> profile(ProfileId id);

  /**
   * Every piece of evidence that holds an identifier of this live profile, in sequence order.
   */
  List<Evidence> evidence(ProfileId id);

  /** The evidence recorded for a caller's event id, if any. */
  Optional<Evidence> event(String eventId);

  /** Every piece of evidence, in sequence order. */
  void forEachEvidence(Consumer<Evidence> action);

  /** Every live profile's id, in issue order. */
  List<ProfileId> profiles();

  /** Counts of what the graph holds. */
  Identities.Stats stats();

  /**
   * The change feed's entries after a position, in position order, at most {@code max} of them:
   * every entry written by a committed write whose position is greater than {@code after}. Positions
   * run 1, 2, 3… in the order the writes that recorded them committed, with no gap but the entries
   * {@link IdentityStore#pruneChanges} removed, so that a reader that saw position {@code n} has seen
   * every entry before it that was not pruned: a consumer's cursor never skips a committed entry.
   *
   * <p>The default, for a store that keeps no feed, answers nothing.
   *
   * @param after a position; 0 for the feed from its start
   * @param max how many entries at most, positive (core checks both)
   */
  default List<ProfileChange> changes(long after, int max) {
    return List.of();
  }

  /**
   * The ids merged into these live profiles (their aliases), each with the live profile it names.
   * An id that is not a live profile names none. A batch of links that finds some of its events
   * linked before (a caller's retry) asks it once, inside its write, for the profiles those links
   * answered: what their merges may have left in the other stores (carts, journeys, runs) when
   * carrying it failed. A database store should answer in one statement (on an index of the alias
   * column), whatever the number of profiles.
   *
   * <p>The default reads each profile ({@link #profile}).
   */
  default Map<ProfileId, ProfileId> aliases(Collection<ProfileId> profiles) {
    Map<ProfileId, ProfileId> aliases = new LinkedHashMap<>();
    for (ProfileId live : profiles) {
      profile(live).ifPresent(stored -> stored.mergedFrom().forEach(merged -> aliases.put(merged, stored.id())));
    }
    return aliases;
  }

  /**
   * The change feed's {@link ProfileChange.Kind#MERGED} entries that merged one of these profiles
   * away ({@link ProfileChange#other()}), in position order: which write made each merge (its
   * {@link ProfileChange#cause()}), so that a retry carries what it left behind as that write did.
   * Asked only after a carrying failed and something of these profiles is still to carry, so a
   * store may scan its feed; entries already pruned are not found.
   *
   * <p>The default reads the whole feed through {@link #changes}.
   */
  default List<ProfileChange> mergesOf(Collection<ProfileId> merged) {
    Set<ProfileId> wanted = new HashSet<>(merged);
    List<ProfileChange> found = new ArrayList<>();
    long after = 0;
    for (List<ProfileChange> page = changes(after, 10_000); !page.isEmpty(); page = changes(after, 10_000)) {
      for (ProfileChange change : page) {
        if (change.kind() == ProfileChange.Kind.MERGED && wanted.contains(change.other())) {
          found.add(change);
        }
      }
      after = page.get(page.size() - 1).position();
    }
    return found;
  }

  /**
   * Every correction kept, active and withdrawn, by id. Called on the slow paths only: a
   * correction, a withdrawal, a forget, a re-resolution, {@code explain}.
   *
   * <p>The default, for a store that keeps no corrections, answers none.
   */
  default List<Correction> corrections() {
    return List.of();
  }

  /**
   * The active {@link Correction.Kind#SEPARATE} corrections, by id. Core calls it on a link only
   * when the link's plan would merge two or more existing profiles, so a store should answer it
   * without scanning withdrawn corrections: an index, or a list kept beside the graph.
   *
   * <p>The default filters {@link #corrections()}.
   */
  default List<Correction> separations() {
    List<Correction> active = new ArrayList<>();
    for (Correction c : corrections()) {
      if (c.active() && c.kind() == Correction.Kind.SEPARATE) {
        active.add(c);
      }
    }
    return active;
  }
}
