package io.omni.internal.identity;

import io.omni.identity.Identifier;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileChange.Kind;
import io.omni.identity.ProfileId;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link IdentityEngine} writes to the change feed and how it reads it back. Every entry is
 * recorded through the identity transaction that makes the change ({@link
 * IdentityTransaction#record}), so that the change and its entry commit together or not at all.
 * Entries name profiles and causes only, never an identifier's value: an erasure has nothing to
 * scrub from the feed.
 */
final class ChangeFeed {
  /** How many entries one read returns at most. */
  static final int MAX_READ = 10_000;

  private final Clock clock;
  // The splits this thread recorded since the engine last drained them, for its split listeners.
  // A write that fails takes back what it recorded (rewindSplits), so that the list, a JDK class,
  // holds nothing of Omni's on an idle thread. An attempt that a store ran again may leave entries
  // naming profiles of the attempt that rolled back: listeners judge what a split moved by the
  // committed graph, so such an entry moves nothing.
  private final ThreadLocal<List<ProfileChange>> splitsHere = ThreadLocal.withInitial(ArrayList::new);

  ChangeFeed(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The clock's time to the millisecond, which every store keeps exactly. */
  private java.time.Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  /** The merges of one link or rebuild, in the order they were made. */
  void merged(IdentityTransaction tx, List<MergeEvent> merges) {
    for (MergeEvent merge : merges) {
      tx.record(ProfileChange.of(Kind.MERGED, merge.survivor(), merge.merged(), merge.cause(), now()));
    }
  }

  /** A profile re-resolved into parts: one entry for each part that is not the profile itself. */
  void split(IdentityTransaction tx, ProfileId profile, List<IdentityTransaction.Part> parts, String cause) {
    for (IdentityTransaction.Part part : parts) {
      if (!part.profile().equals(profile)) {
        recordSplit(tx, ProfileChange.of(Kind.SPLIT, profile, part.profile(), cause, now()));
      }
    }
  }

  private void recordSplit(IdentityTransaction tx, ProfileChange split) {
    tx.record(split);
    splitsHere.get().add(split);
  }

  /** The splits this thread recorded since the last call, oldest first; and forgets them. */
  List<ProfileChange> drainSplits() {
    List<ProfileChange> splits = splitsHere.get();
    if (splits.isEmpty()) {
      return List.of();
    }
    List<ProfileChange> out = List.copyOf(splits);
    splits.clear();
    return out;
  }

  /** How many splits this thread holds now: what a write that fails {@linkplain #rewindSplits rewinds} to. */
  int splitMark() {
    return splitsHere.get().size();
  }

  /** Forgets the splits this thread recorded after {@code mark}: those of a write that failed. */
  void rewindSplits(int mark) {
    List<ProfileChange> splits = splitsHere.get();
    if (splits.size() > mark) {
      splits.subList(mark, splits.size()).clear();
    }
  }

  /** An identifier of this profile was forgotten. */
  void forgot(IdentityTransaction tx, ProfileId profile) {
    tx.record(ProfileChange.of(Kind.FORGOTTEN, profile, null, ProfileChange.FORGET, now()));
  }

  /**
   * What a rebuild did besides fusing profiles (those are {@link #merged}): for each old profile,
   * in issue order, one entry for every other profile that now holds some of its former members.
   *
   * @param old the profiles before the rebuild, by issue order, with their members
   * @param parts the clusters after it
   * @param fused the old profiles the rebuild made aliases, with their survivors
   */
  void rebuilt(IdentityTransaction tx, Map<ProfileId, StoredProfile> old, List<IdentityTransaction.Part> parts,
      Map<ProfileId, ProfileId> fused) {
    rebuilt(tx, old, parts, fused, ProfileChange.REBUILD);
  }

  /**
   * {@link #rebuilt(IdentityTransaction, Map, List, Map)} of a re-resolution of some profiles, with
   * its cause: {@code "rebuild"}, or the cause of a correction's withdrawal or a forget.
   */
  void rebuilt(IdentityTransaction tx, Map<ProfileId, StoredProfile> old, List<IdentityTransaction.Part> parts,
      Map<ProfileId, ProfileId> fused, String cause) {
    Map<Identifier, ProfileId> now = new HashMap<>();
    for (IdentityTransaction.Part part : parts) {
      for (Identifier id : part.members()) {
        now.put(id, part.profile());
      }
    }
    old.forEach((profile, stored) -> {
      ProfileId home = fused.getOrDefault(profile, profile);
      Set<ProfileId> elsewhere = new LinkedHashSet<>();
      for (StoredIdentifier member : stored.members()) {
        ProfileId there = now.get(member.identifier());
        if (there != null && !there.equals(home)) {
          elsewhere.add(there);
        }
      }
      for (ProfileId there : elsewhere) {
        recordSplit(tx, ProfileChange.of(Kind.SPLIT, profile, there, cause, now()));
      }
    });
  }

  /**
   * An operator made a correction ({@link Kind#CORRECTED}) or withdrew one ({@link Kind#WITHDRAWN}):
   * one entry naming the profiles its two identifiers are in afterwards, after the merges and
   * splits it made.
   */
  void corrected(IdentityTransaction tx, Kind kind, io.omni.identity.Correction correction, ProfileId a,
      ProfileId b) {
    tx.record(ProfileChange.of(kind, a, b, correction.cause(), now()));
  }

  /** The entries after a consumer's cursor; see {@link io.omni.identity.Identities#changes}. */
  List<ProfileChange> read(IdentityStore store, long cursor, int max) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must be 0 (the start of the feed) or a position read from it, was "
          + cursor);
    }
    if (max < 1 || max > MAX_READ) {
      throw new IllegalArgumentException("max must be 1 to " + MAX_READ + " entries, was " + max);
    }
    return store.read(r -> r.changes(cursor, max));
  }
}
