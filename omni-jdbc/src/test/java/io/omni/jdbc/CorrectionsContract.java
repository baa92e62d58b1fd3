package io.omni.jdbc;

import static io.omni.identity.Identifier.account;
import static io.omni.identity.Identifier.device;
import static io.omni.identity.Identifier.email;
import static io.omni.identity.Identifier.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.CorrectionConflictException;
import io.omni.Omni;
import io.omni.UnknownIdentifierException;
import io.omni.identity.Correction;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.identity.RebuildPreview;
import io.omni.spi.Evidence;
import io.omni.spi.OmniStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operator corrections on every store: a separation splits a fused household and binds later
 * links, a join survives a rebuild under stricter rules, withdrawing either restores what the
 * evidence says, {@code explain} names them, the change feed records each once and in order, a
 * forget of a corrected identifier leaves its value nowhere, and conflicting corrections are
 * refused with nothing stored. Subclassed for the in-memory store and once per database.
 */
abstract class CorrectionsContract {
  static final Identifier LANDLINE = phone("+7 495 123-45-67");
  static final Identifier ANN = email("ann@example.com");
  static final Identifier BORIS = email("boris@example.com");
  static final Identifier BORIS_MOBILE = phone("+7 916 123-45-67");
  /** Rules under which a landline is a strong phone, so that it fuses a household. */
  static final IdentityRules LANDLINES_STRONG = IdentityRules.defaults().fixedLinesWeak(false).sharedAfter(0);

  final TestClock clock = new TestClock();

  /** A fresh, empty store. */
  abstract OmniStore newStore();

  /**
   * How many things the store keeps hold this value, read through the storage SPI: identifiers,
   * pieces of evidence and corrections naming it. A database store adds the rows of its tables.
   */
  long rowsHolding(OmniStore store, String value) {
    return store.identities().read(r -> {
      long[] count = {0};
      r.forEachEvidence(e -> count[0] += e.identifiers().stream().filter(i -> i.value().equals(value)).count());
      count[0] += r.corrections().stream().filter(c -> c.a().value().equals(value) || c.b().value().equals(value)
          || c.reason().contains(value)).count();
      count[0] += r.find(BORIS).isPresent() && BORIS.value().equals(value) ? 1 : 0;
      return count[0];
    });
  }

  Omni omni(OmniStore store, IdentityRules rules) {
    return Omni.builder().store(store).clock(clock).identityRules(rules).discoverProviders(false).build();
  }

  private Identities household(OmniStore store) {
    Identities ids = omni(store, LANDLINES_STRONG).identities();
    ids.link("call-center", LANDLINE, ANN);
    ids.link("call-center", LANDLINE, BORIS);
    ids.link("sms", BORIS_MOBILE, BORIS);
    assertThat(ids.resolve(BORIS)).isEqualTo(ids.resolve(ANN));
    return ids;
  }

  private static List<String> feed(Identities ids) {
    List<String> lines = new ArrayList<>();
    for (ProfileChange c : ids.changes(0, 10_000)) {
      lines.add(c.position() + " " + c.kind() + " " + c.profile() + " " + c.other() + " " + c.cause());
    }
    return lines;
  }

  @Test
  void a_separation_splits_a_fused_household_and_a_later_link_through_the_landline_does_not_fuse_it_again() {
    Identities ids = household(newStore());
    ProfileId family = ids.resolve(ANN).orElseThrow();

    Correction apart = ids.separate(ANN, BORIS, "agent-17", "ticket 4411: mother and son");

    ProfileId boris = ids.resolve(BORIS).orElseThrow();
    assertThat(boris).isNotEqualTo(family);
    assertThat(ids.resolve(ANN)).contains(family);
    assertThat(ids.resolve(LANDLINE)).contains(family);
    assertThat(ids.resolve(BORIS_MOBILE)).contains(boris);
    ids.link("call-center", LANDLINE, BORIS);
    ids.link("call-center", BORIS_MOBILE, LANDLINE);
    assertThat(ids.resolve(BORIS)).contains(boris);
    assertThat(ids.resolve(ANN)).contains(family);
    assertThat(ids.corrections(BORIS)).containsExactly(apart);
    assertThat(apart.id()).isEqualTo(1);
    assertThat(apart.at()).isEqualTo(clock.instant());
    assertThat(ids.preview(LANDLINES_STRONG).unchanged()).isTrue();
    ids.rebuild();
    assertThat(ids.resolve(BORIS)).contains(boris);
    assertThat(ids.resolve(ANN)).contains(family);
  }

  @Test
  void a_separation_or_a_join_made_again_answers_the_one_kept_and_stores_nothing_more() {
    Identities ids = household(newStore());
    ProfileId family = ids.resolve(ANN).orElseThrow();
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");
    ids.link("web", account("carl"), BORIS_MOBILE);
    Correction same = ids.join(account("carl"), BORIS, "agent", "one person");

    assertThat(ids.separate(BORIS, ANN, "agent-18", "the same call, again")).isEqualTo(apart);
    assertThat(ids.join(BORIS, account("carl"), "agent-2", "again")).isEqualTo(same);

    assertThat(ids.corrections(ANN)).containsExactly(apart);
    assertThat(ids.corrections(account("carl"))).containsExactly(same);
    assertThat(feed(ids)).filteredOn(line -> line.contains(" CORRECTED ")).hasSize(2);
    ids.withdraw(apart.id(), "agent-19");
    assertThat(ids.resolve(BORIS)).as("one withdrawal undoes it").contains(family);
  }

  @Test
  void a_join_survives_a_rebuild_under_stricter_rules_and_the_preview_says_so() {
    Identities ids = omni(newStore(), IdentityRules.relaxed().sharedAfter(0)).identities();
    ProfileId ann = ids.link("app", device("tablet"), account("ann"));
    ids.link("app", device("tablet"), account("ann-work"));
    ids.link("app", device("tablet"), account("carl"));
    ids.join(account("ann"), account("ann-work"), "steward", "one person, two logins");

    RebuildPreview preview = ids.preview(IdentityRules.defaults());
    ids.rebuild(IdentityRules.defaults());

    assertThat(ids.resolve(account("ann"))).contains(ann);
    assertThat(ids.resolve(account("ann-work"))).contains(ann);
    ProfileId carl = ids.resolve(account("carl")).orElseThrow();
    assertThat(carl).isNotEqualTo(ann);
    assertThat(preview.splits()).isEqualTo(1);
    assertThat(preview.profilesAfter()).isEqualTo(ids.stats().profiles());
    assertThat(ids.profile(ann).channels()).containsExactly("app");
  }

  @Test
  void withdrawing_a_separation_or_a_join_restores_what_the_evidence_says() {
    Identities ids = household(newStore());
    ProfileId family = ids.resolve(ANN).orElseThrow();
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");
    ProfileId boris = ids.resolve(BORIS).orElseThrow();

    Correction withdrawn = ids.withdraw(apart.id(), "agent-18");
    assertThat(withdrawn.active()).isFalse();
    assertThat(withdrawn.withdrawnBy()).isEqualTo("agent-18");
    assertThat(ids.corrections(ANN)).containsExactly(withdrawn);
    assertThat(ids.resolve(BORIS)).contains(family);
    assertThat(ids.resolve(BORIS_MOBILE)).contains(family);
    assertThat(ids.resolve(boris)).contains(family);

    ids.link("web", account("carl"));
    Correction wrong = ids.join(account("carl"), ANN, "agent", "looked alike");
    assertThat(ids.resolve(account("carl"))).contains(family);
    ids.withdraw(wrong.id(), "agent-2");
    assertThat(ids.resolve(account("carl"))).isNotEqualTo(ids.resolve(ANN));
    assertThat(ids.resolve(BORIS)).as("the evidence still joins Boris").contains(family);
  }

  @Test
  void explain_names_the_join_on_the_chain_and_the_separation_that_keeps_two_apart() {
    Identities ids = household(newStore());
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");
    Explanation why = ids.explain(LANDLINE, BORIS_MOBILE).orElseThrow();
    assertThat(why.separated()).isTrue();
    assertThat(why.corrections()).containsExactly(apart);

    ids.link("web", account("boris"));
    Correction join = ids.join(BORIS_MOBILE, account("boris"), "agent-3", "same customer");
    Explanation chain = ids.explain(BORIS, account("boris")).orElseThrow();
    assertThat(chain.corrections()).containsExactly(join);
    assertThat(chain.corrections().get(0).author()).isEqualTo("agent-3");
    assertThat(chain.corrections().get(0).reason()).isEqualTo("same customer");
    assertThat(chain.steps()).extracting(Explanation.Step::eventId).containsExactly("evidence-3", "correction-2");
  }

  @Test
  void the_feed_records_each_correction_once_in_order_after_what_it_did() {
    Identities ids = household(newStore());
    ProfileId family = ids.resolve(ANN).orElseThrow();
    assertThat(feed(ids)).as("Boris joined the household as a new identifier: no merge").isEmpty();

    Correction apart = ids.separate(ANN, BORIS, "agent", "");
    ProfileId boris = ids.resolve(BORIS).orElseThrow();
    ids.withdraw(apart.id(), "agent");
    ids.withdraw(apart.id(), "agent"); // a second withdrawal changes nothing

    assertThat(feed(ids)).containsExactly(
        "1 SPLIT " + family + " " + boris + " correction-1",
        "2 CORRECTED " + family + " " + boris + " correction-1",
        "3 MERGED " + family + " " + boris + " correction-1",
        "4 WITHDRAWN " + family + " " + family + " correction-1");
  }

  @Test
  void a_forget_of_a_corrected_identifier_leaves_its_value_nowhere() {
    OmniStore store = newStore();
    Identities ids = household(store);
    ids.link("web", account("boris"));
    Correction apart = ids.separate(ANN, BORIS, "agent", "mother and son");
    Correction join = ids.join(BORIS, account("boris"), "agent", "");
    ids.withdraw(join.id(), "agent");
    ids.join(account("boris"), BORIS, "agent", "again");
    assertThat(rowsHolding(store, BORIS.value())).isPositive();

    assertThat(ids.forget(BORIS)).isTrue();

    assertThat(ids.corrections(BORIS)).isEmpty();
    assertThat(ids.corrections(ANN)).isEmpty();
    assertThat(ids.corrections(account("boris"))).isEmpty();
    List<Correction> kept = store.identities().read(r -> r.corrections());
    assertThat(kept).isEmpty();
    List<Evidence> evidence = new ArrayList<>();
    store.identities().read(r -> {
      r.forEachEvidence(evidence::add);
      return null;
    });
    assertThat(evidence).noneMatch(e -> e.identifiers().contains(BORIS));
    assertThat(String.join("|", feed(ids))).doesNotContain(BORIS.value());
    assertThat(rowsHolding(store, BORIS.value())).isZero();
    assertThat(apart.names(BORIS)).isTrue();
  }

  @Test
  void conflicting_corrections_and_unknown_identifiers_are_refused_with_nothing_stored() {
    Identities ids = household(newStore());
    Correction apart = ids.separate(ANN, BORIS, "agent", "");
    List<String> before = feed(ids);

    assertThatThrownBy(() -> ids.join(LANDLINE, BORIS_MOBILE, "agent-2", ""))
        .isInstanceOf(CorrectionConflictException.class)
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking()).isEqualTo(apart));
    ids.link("web", account("x"));
    ids.join(ANN, account("x"), "agent", "");
    assertThatThrownBy(() -> ids.separate(account("x"), ANN, "agent", ""))
        .isInstanceOf(CorrectionConflictException.class)
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking().kind()).isEqualTo(Correction.Kind.JOIN));
    assertThatThrownBy(() -> ids.separate(ANN, email("nobody@example.com"), "agent", ""))
        .isInstanceOf(UnknownIdentifierException.class);
    assertThat(ids.corrections(ANN)).hasSize(2);
    assertThat(ids.corrections(LANDLINE)).isEmpty();
    assertThat(feed(ids)).hasSize(before.size() + 2);
  }
}
