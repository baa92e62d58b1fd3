package io.omni.internal.identity;

import io.omni.identity.Identifier;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileId;
import io.omni.identity.RebuildPreview;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a rebuild under some rules would make of the identity graph, worked out from a read of it:
 * every profile's members, the evidence replayed in memory by {@link Replay}, and the ids each
 * part would get — the oldest profile whose oldest (non-shared) member lands in a part claims it,
 * later such profiles are merged into it, and parts nobody claims become new profiles. This is
 * {@link IdentityEngine#rebuild(IdentityRules)}'s decision, step for step, so that a preview is
 * what the rebuild then does.
 */
final class RebuildPlan {
  private final List<StoredProfile> profiles;
  private final Replay replay;
  private final List<List<StoredIdentifier>> parts;
  /** Per part, the old profile that claims its id, or null for a new profile. */
  private final ProfileId[] claimedBy;
  /** Merged profile to survivor, in the order the rebuild merges them. */
  private final Map<ProfileId, ProfileId> fused;

  private RebuildPlan(List<StoredProfile> profiles, Replay replay, List<List<StoredIdentifier>> parts,
      ProfileId[] claimedBy, Map<ProfileId, ProfileId> fused) {
    this.profiles = profiles;
    this.replay = replay;
    this.parts = parts;
    this.claimedBy = claimedBy;
    this.fused = fused;
  }

  /**
   * Reads the graph and replays its evidence under the rules. Only reads: on a database it runs
   * inside the store's read, a consistent snapshot that holds no lock.
   */
  static RebuildPlan of(IdentityReader reader, IdentityRules rules) {
    return of(reader, reader.profiles(), rules, (evidence, mask) -> { });
  }

  /**
   * The plan over these live profiles (every one the reader holds), replaying every piece of
   * evidence: see {@link #of(IdentityReader, List, IdentityRules, java.util.function.Consumer,
   * java.util.function.ObjLongConsumer)}.
   */
  static RebuildPlan of(IdentityReader reader, List<ProfileId> live, IdentityRules rules,
      java.util.function.ObjLongConsumer<Evidence> changedMask) {
    return of(reader, live, rules, reader::forEachEvidence, changedMask);
  }

  /**
   * The plan over these live profiles, replaying the evidence {@code evidence} hands out (every
   * piece that holds one of their members, in sequence order; more does no harm) under the rules
   * and the active separations, telling {@code changedMask} each piece of evidence whose accepted
   * bits the replay changes, in sequence order: what {@link IdentityEngine#rebuild(IdentityRules)}
   * (over every profile) or the withdrawal of a separation (over two) then stores.
   */
  static RebuildPlan of(IdentityReader reader, List<ProfileId> live, IdentityRules rules,
      java.util.function.Consumer<java.util.function.Consumer<Evidence>> evidence,
      java.util.function.ObjLongConsumer<Evidence> changedMask) {
    List<StoredProfile> profiles = new ArrayList<>();
    List<StoredIdentifier> all = new ArrayList<>();
    for (ProfileId p : live) {
      StoredProfile profile = reader.profile(p).orElseThrow();
      profiles.add(profile);
      all.addAll(profile.members());
    }
    Replay replay = new Replay(rules, all, reader.corrections());
    evidence.accept(e -> {
      long mask = replay.step(e);
      if (mask != e.accepted()) {
        changedMask.accept(e, mask);
      }
    });
    List<List<StoredIdentifier>> parts = replay.parts();
    Map<Identifier, Integer> partOf = new HashMap<>();
    for (int k = 0; k < parts.size(); k++) {
      for (StoredIdentifier s : parts.get(k)) {
        partOf.put(s.identifier(), k);
      }
    }
    ProfileId[] claimedBy = new ProfileId[parts.size()];
    Map<ProfileId, ProfileId> fused = new LinkedHashMap<>();
    List<StoredProfile> byOrder = new ArrayList<>(profiles);
    byOrder.sort(Comparator.comparingLong(StoredProfile::order));
    for (StoredProfile p : byOrder) {
      // the oldest member that is not shared anchors the id; a shared one only if nothing else is left
      StoredIdentifier oldest = p.members().stream()
          .min((a, b) -> a.shared() != b.shared() ? (a.shared() ? 1 : -1) : Long.compare(a.order(), b.order()))
          .orElseThrow();
      int k = partOf.get(oldest.identifier());
      if (claimedBy[k] == null) {
        claimedBy[k] = p.id();
      } else {
        fused.put(p.id(), claimedBy[k]);
      }
    }
    return new RebuildPlan(profiles, replay, parts, claimedBy, fused);
  }

  /** The live profiles before the rebuild, in the order the reader listed them. */
  List<StoredProfile> profiles() {
    return profiles;
  }

  /** The clusters after it. */
  List<List<StoredIdentifier>> parts() {
    return parts;
  }

  /** The old profile that keeps its id as part {@code k}, or null when the part needs a new one. */
  ProfileId claimedBy(int k) {
    return claimedBy[k];
  }

  /** Merged profile to survivor, in the order the rebuild merges them. */
  Map<ProfileId, ProfileId> fused() {
    return fused;
  }

  /** When part {@code k}'s first evidence happened, or {@code fallback} when none names it. */
  Instant created(int k, Instant fallback) {
    long first = replay.firstSeenMillis(parts.get(k).get(0).identifier());
    return first == Long.MAX_VALUE ? fallback : Instant.ofEpochMilli(first);
  }

  /** The plan as a preview, with at most {@code sample} merges, splits and moves shown of each. */
  RebuildPreview preview(int sample) {
    List<RebuildPreview.Merge> merges = new ArrayList<>();
    fused.forEach((merged, survivor) -> {
      if (merges.size() < sample) {
        merges.add(new RebuildPreview.Merge(survivor, merged));
      }
    });
    long splits = 0;
    List<RebuildPreview.Split> splitSample = new ArrayList<>();
    List<StoredIdentifier> moved = new ArrayList<>();
    Map<Identifier, Optional<ProfileId>> movedTo = new HashMap<>();
    for (int k = 0; k < parts.size(); k++) {
      List<StoredIdentifier> part = parts.get(k);
      Optional<ProfileId> to = Optional.ofNullable(claimedBy[k]);
      if (to.isEmpty()) {
        splits++;
        if (splitSample.size() < sample) {
          splitSample.add(new RebuildPreview.Split(part.get(0).profile(), identifiers(part)));
        }
      }
      for (StoredIdentifier member : part) {
        if (to.isEmpty() || !to.get().equals(member.profile())) {
          moved.add(member);
          movedTo.put(member.identifier(), to);
        }
      }
    }
    moved.sort(Comparator.comparingLong(StoredIdentifier::order));
    List<RebuildPreview.Move> moveSample = new ArrayList<>();
    for (StoredIdentifier member : moved.subList(0, Math.min(sample, moved.size()))) {
      moveSample.add(new RebuildPreview.Move(member.identifier(), member.profile(), movedTo.get(member.identifier())));
    }
    return new RebuildPreview(profiles.size(), parts.size(), fused.size(), splits, moved.size(), merges, splitSample,
        moveSample);
  }

  private static List<Identifier> identifiers(List<StoredIdentifier> part) {
    List<Identifier> out = new ArrayList<>(part.size());
    for (StoredIdentifier s : part) {
      out.add(s.identifier());
    }
    return out;
  }
}
