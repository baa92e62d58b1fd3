package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.CorrectionConflictException;
import io.omni.Omni;
import io.omni.testing.PreviewCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Laws of operator corrections over random evidence and random corrections: a rebuild under the
 * same rules gives the partition live linking gave, every active separation keeps its pair apart
 * and every active join its pair together, and a preview of other rules is what the rebuild then
 * does.
 */
final class CorrectionPropertiesTest {

  /** One step: a link, a forget, or a correction (separate, join, withdraw) of two picks. */
  record Step(int kind, String channel, List<Identifier> identifiers, int x, int y) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 7);
    Arbitrary<Identifier> identifier = Arbitraries.oneOf(
        n.map(i -> Identifier.email("user" + i + "@shop.io")),
        n.map(i -> Identifier.phone("+7916" + (1_000_000 + i))),
        n.map(i -> Identifier.phone("+7495" + (1_000_000 + i))),
        n.map(i -> Identifier.account("acc-" + i)),
        n.map(i -> Identifier.device("dev-" + i)),
        n.map(i -> Identifier.cookie("ck-" + i)));
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 19),
            Arbitraries.of("web", "app", "pos", "call-center"), identifier.list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000))
        .as(Step::new);
    return step.list().ofMinSize(10).ofMaxSize(80);
  }

  @Provide
  Arbitrary<IdentityRules> rules() {
    return Arbitraries.of(IdentityRules.defaults().sharedAfter(0),
        IdentityRules.defaults().fixedLinesWeak(false).sharedAfter(0),
        IdentityRules.relaxed().sharedAfter(0),
        IdentityRules.defaults().limit(IdentifierType.EMAIL, 1).sharedAfter(0));
  }

  /**
   * Plays the history; returns every identifier linked.
   *
   * @param everything whether forgets, withdrawals and separations of two identifiers in one profile
   *     are played (else forget and withdraw steps link, and such separations are skipped): each of
   *     those re-resolves only the profiles it touched and only splits them, so evidence it freed (a
   *     link refused by a limit or a weak bridge that the smaller profile would now accept) is
   *     accepted by a later rebuild but not at once — the known difference between live linking and
   *     a rebuild that forgets and shared marks have too
   */
  private static Set<Identifier> play(Identities ids, List<Step> history, boolean everything) {
    List<Identifier> seen = new ArrayList<>();
    Set<Identifier> every = new LinkedHashSet<>();
    List<Correction> made = new ArrayList<>();
    for (Step step : history) {
      if (step.kind() >= 5 || seen.size() < 2 || !everything && (step.kind() == 0 || step.kind() == 4)) {
        ids.link(step.channel(), step.identifiers().toArray(Identifier[]::new));
        for (Identifier id : step.identifiers()) {
          if (!seen.contains(id)) {
            seen.add(id);
          }
        }
        every.addAll(step.identifiers());
        continue;
      }
      Identifier a = seen.get(step.x() % seen.size());
      Identifier b = seen.get(step.y() % seen.size());
      try {
        switch (step.kind()) {
          case 0 -> {
            ids.forget(a);
            seen.remove(a);
          }
          case 1, 2 -> {
            if (!a.equals(b) && (everything || !ids.resolve(a).equals(ids.resolve(b)))) {
              made.add(ids.separate(a, b, "agent", "p"));
            }
          }
          case 3 -> {
            if (!a.equals(b)) {
              made.add(ids.join(a, b, "agent", "p"));
            }
          }
          default -> {
            if (!made.isEmpty()) {
              ids.withdraw(made.get(step.x() % made.size()).id(), "agent");
            }
          }
        }
      } catch (CorrectionConflictException e) {
        Statistics.label("refused").collect(true);
      } catch (io.omni.UnknownCorrectionException e) {
        Statistics.label("dropped by a forget").collect(true);
      }
    }
    return every;
  }

  private static Map<Identifier, Optional<ProfileId>> assignment(Identities ids, Set<Identifier> every) {
    Map<Identifier, Optional<ProfileId>> out = new HashMap<>();
    for (Identifier id : every) {
      out.put(id, ids.resolve(id));
    }
    return out;
  }

  private static void checkCorrectionsHold(Identities ids, Set<Identifier> every) {
    Set<Correction> active = new LinkedHashSet<>();
    for (Identifier id : every) {
      ids.corrections(id).stream().filter(Correction::active).forEach(active::add);
    }
    for (Correction c : active) {
      Optional<ProfileId> a = ids.resolve(c.a());
      Optional<ProfileId> b = ids.resolve(c.b());
      assertThat(a).as("%s names stored identifiers", c).isPresent();
      assertThat(b).as("%s names stored identifiers", c).isPresent();
      if (c.kind() == Correction.Kind.SEPARATE) {
        assertThat(a).as("%s keeps them apart", c).isNotEqualTo(b);
      } else {
        assertThat(a).as("%s holds them together", c).isEqualTo(b);
      }
    }
    Statistics.label("active corrections").collect(active.size());
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void a_rebuild_under_the_same_rules_keeps_the_partition_of_live_linking_and_every_active_correction_holds(
      @ForAll("histories") List<Step> history, @ForAll("rules") IdentityRules rules) {
    Identities ids = Omni.builder().identityRules(rules).build().identities();
    Set<Identifier> every = play(ids, history, false);
    checkCorrectionsHold(ids, every);
    Map<Identifier, Optional<ProfileId>> live = assignment(ids, every);

    ids.rebuild();

    assertThat(assignment(ids, every)).isEqualTo(live);
    checkCorrectionsHold(ids, every);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void with_corrections_a_preview_is_count_for_count_what_the_rebuild_under_other_rules_does_and_they_hold(
      @ForAll("histories") List<Step> history, @ForAll("rules") IdentityRules before,
      @ForAll("rules") IdentityRules after) {
    Identities ids = Omni.builder().identityRules(before).build().identities();
    Set<Identifier> every = play(ids, history, true);
    checkCorrectionsHold(ids, every);
    PreviewCheck.previewThenRebuild(ids, after, every);
    checkCorrectionsHold(ids, every);
  }
}
