package io.omni.identity;

import static io.omni.identity.Identifier.account;
import static io.omni.identity.Identifier.device;
import static io.omni.identity.Identifier.email;
import static io.omni.identity.Identifier.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.testing.PreviewCheck;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.junit.jupiter.api.Test;

/** {@code preview(rules)} tells what {@code rebuild(rules)} would do, and changes nothing. */
final class RebuildPreviewTest {

  @Test
  void a_preview_of_weak_landlines_shows_the_household_split_and_the_rebuild_makes_it() {
    Identities ids = Omni.builder().identityRules(IdentityRules.defaults().fixedLinesWeak(false)).build().identities();
    Identifier landline = phone("+7 495 123-45-67");
    ProfileId ann = ids.link("call-center", landline, email("ann@example.com"));
    ids.link("call-center", landline, email("boris@example.com"));
    ids.link("sms", phone("+7 916 123-45-67"), email("boris@example.com"));

    RebuildPreview preview = PreviewCheck.previewThenRebuild(ids, IdentityRules.defaults(),
        List.of(landline, email("ann@example.com"), email("boris@example.com"), phone("+79161234567")));

    assertThat(preview.profilesBefore()).isEqualTo(1);
    assertThat(preview.profilesAfter()).isEqualTo(2);
    assertThat(preview.merges()).isZero();
    assertThat(preview.splits()).isEqualTo(1);
    assertThat(preview.splitSample()).containsExactly(
        new RebuildPreview.Split(ann, List.of(email("boris@example.com"), phone("+79161234567"))));
    assertThat(preview.movedIdentifiers()).isEqualTo(2);
    assertThat(preview.moveSample()).containsExactly(
        new RebuildPreview.Move(email("boris@example.com"), ann, Optional.empty()),
        new RebuildPreview.Move(phone("+79161234567"), ann, Optional.empty()));
    assertThat(preview.unchanged()).isFalse();
  }

  @Test
  void a_preview_of_relaxed_rules_shows_the_merge_a_tablet_would_make() {
    Identities ids = Omni.inMemory().identities();
    ProfileId ann = ids.link("app", device("tablet"), account("ann"));
    ProfileId boris = ids.link("app", device("tablet"), account("boris"));

    RebuildPreview preview = PreviewCheck.previewThenRebuild(ids, IdentityRules.relaxed(),
        List.of(device("tablet"), account("ann"), account("boris")));

    assertThat(preview.merges()).isEqualTo(1);
    assertThat(preview.mergeSample()).containsExactly(new RebuildPreview.Merge(ann, boris));
    assertThat(preview.splits()).isZero();
    assertThat(preview.moveSample()).containsExactly(new RebuildPreview.Move(account("boris"), boris, Optional.of(ann)));
    assertThat(ids.resolve(account("boris"))).contains(ann);
  }

  @Test
  void a_preview_under_the_rules_in_force_shows_nothing_to_do() {
    Identities ids = Omni.inMemory().identities();
    ids.link("web", Identifier.cookie("c-1"), email("ann@example.com"));
    ids.link("app", email("ann@example.com"), phone("+79161234567"));
    ids.link("app", device("tablet"), account("boris"));
    ids.link("app", device("tablet"), account("ann"));

    RebuildPreview preview = ids.preview(ids.rules());

    assertThat(preview.unchanged()).isTrue();
    assertThat(preview.profilesAfter()).isEqualTo(preview.profilesBefore()).isEqualTo(ids.stats().profiles());
    assertThat(preview.mergeSample()).isEmpty();
    assertThat(preview.splitSample()).isEmpty();
    assertThat(preview.moveSample()).isEmpty();
  }

  @Test
  void the_samples_stop_at_ten_while_the_counts_go_on() {
    // shared detection off, so that the kiosk is not marked shared and relaxed rules fuse through it
    Identities ids = Omni.builder().identityRules(IdentityRules.defaults().sharedAfter(0)).build().identities();
    Set<Identifier> every = new LinkedHashSet<>();
    for (int i = 0; i < 15; i++) {
      ids.link("app", device("kiosk"), account("acc-" + i));
      every.add(account("acc-" + i));
    }
    every.add(device("kiosk"));

    RebuildPreview preview = PreviewCheck.previewThenRebuild(ids, IdentityRules.relaxed(), every);

    assertThat(preview.merges()).isEqualTo(14);
    assertThat(preview.mergeSample()).hasSize(RebuildPreview.SAMPLE);
    assertThat(preview.movedIdentifiers()).isGreaterThan(RebuildPreview.SAMPLE);
    assertThat(preview.moveSample()).hasSize(RebuildPreview.SAMPLE);
  }

  @Test
  void preview_needs_rules() {
    assertThatThrownBy(() -> Omni.inMemory().identities().preview(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("newRules");
  }

  // ------------------------------------------------------------------ the law

  record Step(String channel, List<Identifier> identifiers, boolean forget) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 9);
    Arbitrary<Identifier> identifier = Arbitraries.oneOf(
        n.map(i -> email("user" + i + "@shop.io")),
        n.map(i -> phone("+7916" + (1_000_000 + i))),
        n.map(i -> phone("+7495" + (1_000_000 + i))),
        n.map(i -> account("acc-" + i)),
        n.map(i -> Identifier.loyaltyCard("L" + i)),
        n.map(i -> device("dev-" + i)),
        n.map(i -> Identifier.cookie("ck-" + i)));
    Arbitrary<Step> step = Combinators.combine(Arbitraries.of("web", "app", "pos", "call-center"),
            identifier.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 19))
        .as((channel, ids, roll) -> new Step(channel, ids, roll == 0));
    return step.list().ofMinSize(10).ofMaxSize(120);
  }

  @Provide
  Arbitrary<IdentityRules> rules() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),   // which base
            Arbitraries.integers().between(1, 4),   // email limit
            Arbitraries.integers().between(1, 3),   // device limit
            Arbitraries.integers().between(0, 4),   // shared after
            Arbitraries.of(true, false),            // fixed lines weak
            Arbitraries.of(true, false))            // devices and cookies strong
        .as((base, emails, devices, shared, lines, strongWeak) -> {
          IdentityRules rules = switch (base) {
            case 0 -> IdentityRules.relaxed();
            case 1 -> IdentityRules.defaults();
            default -> IdentityRules.defaults().limit(IdentifierType.EMAIL, emails)
                .limit(IdentifierType.DEVICE, devices).sharedAfter(shared);
          };
          rules = rules.fixedLinesWeak(lines);
          return strongWeak && base == 3 ? rules.strong(IdentifierType.DEVICE, IdentifierType.COOKIE) : rules;
        });
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void a_preview_is_count_for_count_and_sample_for_sample_what_the_rebuild_then_does(
      @ForAll("histories") List<Step> history, @ForAll("rules") IdentityRules before, @ForAll("rules") IdentityRules after) {
    Identities ids = Omni.builder().identityRules(before).build().identities();
    Set<Identifier> every = new LinkedHashSet<>();
    for (Step step : history) {
      every.addAll(step.identifiers());
      if (step.forget()) {
        ids.forget(step.identifiers().get(0));
      } else {
        ids.link(step.channel(), step.identifiers().toArray(Identifier[]::new));
      }
    }
    RebuildPreview preview = PreviewCheck.previewThenRebuild(ids, after, every);
    Statistics.label("merges").collect(preview.merges() > 0);
    Statistics.label("splits").collect(preview.splits() > 0);
  }
}
