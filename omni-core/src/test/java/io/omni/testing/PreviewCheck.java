package io.omni.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.MergeEvent;
import io.omni.identity.Profile;
import io.omni.identity.ProfileId;
import io.omni.identity.RebuildPreview;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a preview is what the rebuild then does: the preview changes nothing (every
 * identifier resolves as before, every profile reads as before, the rules and counts are those in
 * force), and the rebuild makes exactly its merges (in order), its new profiles and its moves.
 *
 * <p>Shared with the stores' tests: omni-jdbc depends on omni-core's test-jar. In a package of its
 * own, which no module owns, so that omni-jdbc's tests (compiled into its module) can read it.
 */
public final class PreviewCheck {
  private PreviewCheck() {}

  /**
   * Previews {@code newRules} on {@code ids}, checks nothing changed, rebuilds and checks the
   * rebuild against the preview.
   *
   * @param linked every identifier ever linked (forgotten ones may be among them)
   * @return the preview
   */
  public static RebuildPreview previewThenRebuild(Identities ids, IdentityRules newRules, Collection<Identifier> linked) {
    Set<Identifier> every = new LinkedHashSet<>(linked);
    Map<Identifier, Optional<ProfileId>> before = new HashMap<>();
    Map<ProfileId, Profile> profilesBefore = new HashMap<>();
    for (Identifier id : every) {
      Optional<ProfileId> p = ids.resolve(id);
      before.put(id, p);
      p.ifPresent(profile -> profilesBefore.computeIfAbsent(profile, ids::profile));
    }
    IdentityRules rulesBefore = ids.rules();
    Identities.Stats statsBefore = ids.stats();

    RebuildPreview preview = ids.preview(newRules);

    // nothing changed
    assertThat(ids.rules()).isSameAs(rulesBefore);
    assertThat(ids.stats()).isEqualTo(statsBefore);
    for (Identifier id : every) {
      assertThat(ids.resolve(id)).as("%s after the preview", id).isEqualTo(before.get(id));
    }
    profilesBefore.forEach((p, profile) -> assertThat(ids.profile(p)).isEqualTo(profile));
    assertThat(preview.profilesBefore()).isEqualTo(statsBefore.profiles());

    // the rebuild does what the preview said
    List<MergeEvent> merges = new ArrayList<>();
    ids.onMerge(merges::add);
    ids.rebuild(newRules);
    assertThat(preview.profilesAfter()).isEqualTo(ids.stats().profiles());
    assertThat(preview.merges()).isEqualTo(merges.size());
    assertThat(preview.mergeSample()).isEqualTo(merges.stream().limit(RebuildPreview.SAMPLE)
        .map(m -> new RebuildPreview.Merge(m.survivor(), m.merged())).toList());

    Map<Identifier, Optional<ProfileId>> after = new HashMap<>();
    Map<ProfileId, Set<Identifier>> newProfiles = new HashMap<>();
    long moved = 0;
    for (Identifier id : every) {
      Optional<ProfileId> p = ids.resolve(id);
      after.put(id, p);
      if (!p.equals(before.get(id))) {
        moved++;
      }
      p.filter(profile -> !profilesBefore.containsKey(profile) && !wasAlias(profilesBefore, profile))
          .ifPresent(profile -> newProfiles.computeIfAbsent(profile, k -> new HashSet<>()).add(id));
    }
    assertThat(preview.movedIdentifiers()).isEqualTo(moved);
    assertThat(preview.moveSample()).hasSize((int) Math.min(RebuildPreview.SAMPLE, moved));
    for (RebuildPreview.Move move : preview.moveSample()) {
      assertThat(before.get(move.identifier())).contains(move.from());
      Optional<ProfileId> now = after.get(move.identifier());
      if (move.to().isPresent()) {
        assertThat(now).isEqualTo(move.to());
      } else {
        assertThat(newProfiles).containsKey(now.orElseThrow());
      }
    }
    assertThat(preview.splits()).isEqualTo(newProfiles.size());
    assertThat(preview.splitSample()).hasSize((int) Math.min(RebuildPreview.SAMPLE, newProfiles.size()));
    for (RebuildPreview.Split split : preview.splitSample()) {
      ProfileId made = after.get(split.identifiers().get(0)).orElseThrow();
      assertThat(newProfiles.get(made)).containsExactlyInAnyOrderElementsOf(split.identifiers());
      assertThat(before.get(split.identifiers().get(0))).contains(split.from());
    }
    assertThat(preview.unchanged()).isEqualTo(merges.isEmpty() && newProfiles.isEmpty() && moved == 0);
    return preview;
  }

  private static boolean wasAlias(Map<ProfileId, Profile> profilesBefore, ProfileId id) {
    for (Profile profile : profilesBefore.values()) {
      if (profile.mergedFrom().contains(id)) {
        return true;
      }
    }
    return false;
  }
}
