package io.omni.identity;

import static io.omni.identity.Identifier.account;
import static io.omni.identity.Identifier.device;
import static io.omni.identity.Identifier.email;
import static io.omni.identity.Identifier.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.CorrectionConflictException;
import io.omni.Omni;
import io.omni.UnknownCorrectionException;
import io.omni.UnknownIdentifierException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operator corrections on the in-memory store: a separation splits a fused household and binds
 * later links, a join survives a stricter rebuild, withdrawing either lets the evidence decide
 * again, {@code explain} and the change feed show them, a forget drops them, conflicts are refused
 * with the correction that blocks them. omni-jdbc's {@code CorrectionsContract} runs the same on
 * every database.
 */
final class CorrectionsTest {
  static final Identifier LANDLINE = phone("+7 495 123-45-67");
  static final Identifier ANN = email("ann@example.com");
  static final Identifier BORIS = email("boris@example.com");
  static final Identifier BORIS_MOBILE = phone("+7 916 123-45-67");
  static final Instant NOW = Instant.parse("2026-12-02T06:00:00.123Z");
  /** Rules under which a landline is a strong phone, so that it fuses a household. */
  static final IdentityRules LANDLINES_STRONG = IdentityRules.defaults().fixedLinesWeak(false).sharedAfter(0);

  private static Identities ids(IdentityRules rules) {
    return Omni.builder().identityRules(rules).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().identities();
  }

  /** Ann and Boris fused through the family landline. */
  private static Identities household() {
    Identities ids = ids(LANDLINES_STRONG);
    ids.link("call-center", LANDLINE, ANN);
    ids.link("call-center", LANDLINE, BORIS);
    ids.link("sms", BORIS_MOBILE, BORIS);
    assertThat(ids.resolve(BORIS)).isEqualTo(ids.resolve(ANN));
    return ids;
  }

  private static List<String> feed(Identities ids) {
    List<String> lines = new ArrayList<>();
    for (ProfileChange c : ids.changes(0, 10_000)) {
      lines.add(c.kind() + " " + c.profile() + " " + c.other() + " " + c.cause());
    }
    return lines;
  }

  @Test
  void a_separation_splits_a_fused_household_and_a_later_link_through_the_landline_does_not_fuse_it_again() {
    Identities ids = household();
    ProfileId family = ids.resolve(ANN).orElseThrow();

    Correction apart = ids.separate(ANN, BORIS, "agent-17", "ticket 4411: mother and son");

    assertThat(apart.id()).isEqualTo(1);
    assertThat(apart.kind()).isEqualTo(Correction.Kind.SEPARATE);
    assertThat(apart.author()).isEqualTo("agent-17");
    assertThat(apart.at()).isEqualTo(NOW);
    assertThat(apart.active()).isTrue();
    assertThat(ids.resolve(ANN)).contains(family);
    assertThat(ids.resolve(LANDLINE)).contains(family);
    ProfileId boris = ids.resolve(BORIS).orElseThrow();
    assertThat(boris).isNotEqualTo(family);
    assertThat(ids.resolve(BORIS_MOBILE)).contains(boris);

    ProfileId answered = ids.link("call-center", LANDLINE, BORIS); // Boris calls from home again
    ids.link("call-center", BORIS_MOBILE, LANDLINE);               // and through his mobile
    assertThat(ids.resolve(ANN)).contains(family);
    assertThat(ids.resolve(BORIS)).contains(boris).isNotEqualTo(ids.resolve(ANN));
    assertThat(answered).isIn(family, boris);
    List<Conflict> conflicts = new ArrayList<>(ids.profile(family).conflicts());
    conflicts.addAll(ids.profile(boris).conflicts());
    assertThat(conflicts).extracting(Conflict::kind).containsOnly(Conflict.Kind.SEPARATED).hasSize(2);
    assertThat(ids.corrections(BORIS)).containsExactly(apart);
    assertThat(ids.corrections(ANN)).containsExactly(apart);
    assertThat(ids.corrections(LANDLINE)).isEmpty();

    // profiles the separation does not name still merge
    ProfileId carl = ids.link("web", account("carl"));
    ids.link("web", email("carl@example.com"));
    ids.link("web", account("carl"), email("carl@example.com"));
    assertThat(ids.resolve(email("carl@example.com"))).contains(carl);
    // and Boris's own profile still takes what is his
    ids.link("app", BORIS, account("boris"));
    ids.link("app", account("boris-2"));
    ids.link("app", account("boris-2"), BORIS_MOBILE);
    assertThat(ids.resolve(account("boris"))).contains(boris);

    // a rebuild and a preview honour it too
    assertThat(ids.preview(LANDLINES_STRONG).unchanged()).isTrue();
    ids.rebuild();
    assertThat(ids.resolve(BORIS)).contains(boris);
    assertThat(ids.resolve(ANN)).contains(family);
  }

  @Test
  void a_separation_keeps_a_family_tablet_from_fusing_two_persons_under_rules_where_devices_are_strong() {
    IdentityRules devicesStrong = IdentityRules.relaxed().sharedAfter(0);
    Identities ids = ids(devicesStrong);
    ids.link("app", device("tablet"), account("ann"));
    ids.link("app", device("tablet"), account("boris"));
    assertThat(ids.resolve(account("ann"))).isEqualTo(ids.resolve(account("boris")));

    ids.separate(account("boris"), account("ann"), "steward", "two logins, two people");
    ids.link("app", device("tablet"), account("boris"));

    assertThat(ids.resolve(account("ann"))).isNotEqualTo(ids.resolve(account("boris")));
  }

  @Test
  void a_separation_of_two_profiles_already_apart_changes_no_profile_and_binds_the_future() {
    Identities ids = ids(LANDLINES_STRONG);
    ProfileId ann = ids.link("web", ANN);
    ProfileId boris = ids.link("web", BORIS);
    ids.separate(ANN, BORIS, "agent", "");
    ids.link("call-center", ANN, LANDLINE);
    ids.link("call-center", LANDLINE, BORIS);
    assertThat(ids.resolve(ANN)).contains(ann);
    assertThat(ids.resolve(BORIS)).contains(boris);
    assertThat(feed(ids)).containsExactly("CORRECTED " + ann + " " + boris + " correction-1");
  }

  @Test
  void a_join_survives_a_rebuild_under_stricter_rules() {
    Identities ids = ids(IdentityRules.relaxed().sharedAfter(0));
    ProfileId ann = ids.link("app", device("tablet"), account("ann"));
    ids.link("app", device("tablet"), account("ann-work"));
    ids.link("app", device("tablet"), account("carl"));
    assertThat(ids.resolve(account("ann-work"))).contains(ann);

    Correction same = ids.join(account("ann"), account("ann-work"), "steward", "one person, two logins");
    ids.rebuild(IdentityRules.defaults()); // a tablet no longer joins accounts

    assertThat(ids.resolve(account("ann"))).contains(ann);
    assertThat(ids.resolve(account("ann-work"))).as("kept by the join").contains(ann);
    assertThat(ids.resolve(account("carl"))).as("split off: only the tablet joined it").isNotEqualTo(
        ids.resolve(account("ann")));
    assertThat(ids.preview(IdentityRules.relaxed().limit(IdentifierType.ACCOUNT, 1)).splits()).isZero();
    assertThat(ids.profile(ann).channels()).as("a join is no channel of the customer").containsExactly("app");
    assertThat(same.active()).isTrue();
  }

  @Test
  void a_join_merges_now_the_older_profile_surviving_and_later_links_keep_it() {
    Identities ids = ids(IdentityRules.defaults());
    ProfileId ann = ids.link("web", account("ann"));
    ProfileId work = ids.link("web", account("ann-work"), email("ann@work.example"));
    List<MergeEvent> heard = new ArrayList<>();
    ids.onMerge(heard::add);

    Correction same = ids.join(account("ann-work"), account("ann"), "agent", "confirmed by phone");

    assertThat(ids.resolve(account("ann-work"))).contains(ann);
    assertThat(ids.resolve(work)).contains(ann);
    assertThat(heard).containsExactly(new MergeEvent(ann, work, "correction-1", "omni:correction:1", NOW));
    ids.link("web", email("ann@work.example"), phone("+79161234567"));
    assertThat(ids.resolve(phone("+79161234567"))).contains(ann);
    assertThat(feed(ids)).containsExactly(
        "MERGED " + ann + " " + work + " correction-1",
        "CORRECTED " + ann + " " + ann + " correction-1");
    assertThat(same.cause()).isEqualTo("correction-1");
  }

  @Test
  void withdrawing_a_separation_lets_the_evidence_fuse_the_household_again() {
    Identities ids = household();
    ProfileId family = ids.resolve(ANN).orElseThrow();
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");
    ProfileId boris = ids.resolve(BORIS).orElseThrow();

    Correction withdrawn = ids.withdraw(apart.id(), "agent-18");

    assertThat(withdrawn.active()).isFalse();
    assertThat(withdrawn.withdrawnBy()).isEqualTo("agent-18");
    assertThat(withdrawn.withdrawnAt()).isEqualTo(NOW);
    assertThat(ids.corrections(ANN)).containsExactly(withdrawn);
    assertThat(ids.resolve(BORIS)).contains(family);
    assertThat(ids.resolve(BORIS_MOBILE)).contains(family);
    assertThat(ids.resolve(boris)).contains(family);
    assertThat(feed(ids)).containsExactly(
        "SPLIT " + family + " " + boris + " correction-1",
        "CORRECTED " + family + " " + boris + " correction-1",
        "MERGED " + family + " " + boris + " correction-1",
        "WITHDRAWN " + family + " " + family + " correction-1");
    assertThat(ids.withdraw(apart.id(), "agent-19")).as("withdrawing again changes nothing").isEqualTo(withdrawn);
    assertThat(feed(ids)).hasSize(4);
    ids.link("call-center", LANDLINE, BORIS);
    assertThat(ids.resolve(BORIS)).contains(family);
  }

  @Test
  void a_separation_made_again_answers_the_one_kept_so_that_one_withdrawal_undoes_it() {
    Identities ids = household();
    ProfileId family = ids.resolve(ANN).orElseThrow();
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");

    Correction again = ids.separate(BORIS, ANN, "agent-18", "a second agent, the same call");

    assertThat(again).as("no second correction").isEqualTo(apart);
    assertThat(ids.corrections(ANN)).containsExactly(apart);
    assertThat(feed(ids)).filteredOn(line -> line.startsWith("CORRECTED")).hasSize(1);
    ids.withdraw(apart.id(), "agent-19");
    assertThat(ids.resolve(BORIS)).as("the one withdrawal lets the evidence fuse the household").contains(family);
  }

  @Test
  void withdrawing_a_join_splits_what_the_evidence_does_not_join_and_keeps_what_it_does() {
    Identities ids = ids(IdentityRules.defaults());
    ProfileId ann = ids.link("web", account("ann"), ANN);
    ProfileId boris = ids.link("web", account("boris"), BORIS);
    ids.link("sms", phone("+79161234567"));
    Correction wrong = ids.join(ANN, BORIS, "agent", "looked alike");
    Correction right = ids.join(account("ann"), phone("+79161234567"), "agent", "");
    assertThat(ids.resolve(BORIS)).contains(ann);

    ids.withdraw(wrong.id(), "agent-2");

    ProfileId borisNow = ids.resolve(BORIS).orElseThrow();
    assertThat(borisNow).isNotEqualTo(ann);
    assertThat(ids.resolve(account("boris"))).contains(borisNow);
    assertThat(ids.resolve(ANN)).contains(ann);
    assertThat(ids.explain(ANN, BORIS)).isEmpty();
    assertThat(feed(ids)).containsSubsequence(
        "MERGED " + ann + " " + boris + " correction-1",
        "CORRECTED " + ann + " " + ann + " correction-1",
        "SPLIT " + ann + " " + borisNow + " correction-1",
        "WITHDRAWN " + ann + " " + borisNow + " correction-1");
    assertThat(ids.corrections(ANN).get(0).active()).isFalse();
    assertThat(ids.corrections(account("ann"))).containsExactly(right);
  }

  @Test
  void withdrawing_a_join_the_evidence_agrees_with_changes_no_profile() {
    Identities ids = ids(IdentityRules.defaults());
    ProfileId ann = ids.link("web", account("ann"), ANN);
    ids.link("app", ANN, BORIS_MOBILE);
    Correction join = ids.join(account("ann"), BORIS_MOBILE, "agent", "");
    ids.withdraw(join.id(), "agent");
    assertThat(ids.resolve(BORIS_MOBILE)).contains(ann);
    assertThat(feed(ids)).containsExactly(
        "CORRECTED " + ann + " " + ann + " correction-1",
        "WITHDRAWN " + ann + " " + ann + " correction-1");
  }

  @Test
  void explain_names_the_join_on_the_chain_and_the_separation_that_keeps_two_apart() {
    Identities ids = household();
    Correction apart = ids.separate(ANN, BORIS, "agent-17", "mother and son");

    Explanation why = ids.explain(LANDLINE, BORIS_MOBILE).map(e -> e).orElse(null);
    assertThat(why).isNotNull();
    assertThat(why.separated()).isTrue();
    assertThat(why.steps()).isEmpty();
    assertThat(why.corrections()).containsExactly(apart);
    assertThat(why.corrections().get(0).reason()).isEqualTo("mother and son");
    assertThat(ids.explain(BORIS, BORIS_MOBILE).orElseThrow().separated()).isFalse();
    assertThat(ids.explain(BORIS, BORIS_MOBILE).orElseThrow().corrections()).isEmpty();

    ids.link("web", account("boris"));
    Correction join = ids.join(BORIS_MOBILE, account("boris"), "agent-3", "same customer");
    ids.link("web", account("boris"), Identifier.cookie("ck-1"));
    Explanation chain = ids.explain(BORIS, Identifier.cookie("ck-1")).orElseThrow();
    assertThat(chain.separated()).isFalse();
    assertThat(chain.corrections()).containsExactly(join);
    assertThat(chain.steps()).extracting(Explanation.Step::eventId).contains("correction-2");
    assertThat(chain.steps()).extracting(Explanation.Step::channel).contains("omni:correction:2");
    assertThat(chain.steps()).hasSize(3);
    ids.link("web", account("carl"));
    assertThat(ids.explain(ANN, account("carl"))).as("apart, but by no correction").isEmpty();
  }

  @Test
  void a_forget_of_a_corrected_identifier_drops_its_corrections_and_lets_the_evidence_decide() {
    Identities ids = household();
    ProfileId family = ids.resolve(ANN).orElseThrow();
    Correction apart = ids.separate(ANN, BORIS, "agent", "mother and son");
    ids.link("web", account("boris"));
    Correction join = ids.join(BORIS, account("boris"), "agent", "");
    ProfileId boris = ids.resolve(BORIS).orElseThrow();
    ids.link("call-center", LANDLINE, BORIS_MOBILE); // refused: Boris's mobile would bring him in
    assertThat(ids.resolve(BORIS_MOBILE)).contains(boris);

    assertThat(ids.forget(ANN)).isTrue();

    assertThat(ids.corrections(ANN)).isEmpty();
    assertThat(ids.corrections(BORIS)).containsExactly(join);
    assertThat(ids.corrections(account("boris"))).containsExactly(join);
    // the landline is no longer kept apart from Boris: the evidence joins it to him again
    assertThat(ids.resolve(LANDLINE)).isEqualTo(ids.resolve(BORIS));
    assertThatThrownBy(() -> ids.withdraw(apart.id(), "agent")).isInstanceOf(UnknownCorrectionException.class)
        .hasMessageContaining("unknown correction 1");
    assertThat(ids.forget(BORIS)).isTrue();
    assertThat(ids.corrections(account("boris"))).isEmpty();
    assertThat(ids.explain(account("boris"), BORIS_MOBILE)).as("the join and the sms link held Boris's email").isEmpty();
    assertThat(String.join("|", feed(ids))).doesNotContain("ann@example.com", "boris@example.com");
    assertThat(family).isNotNull();
  }

  @Test
  void a_join_of_two_identifiers_an_active_separation_keeps_apart_is_refused_naming_it_and_nothing_is_stored() {
    Identities ids = household();
    Correction apart = ids.separate(ANN, BORIS, "agent", "");
    List<String> before = feed(ids);

    assertThatThrownBy(() -> ids.join(BORIS, ANN, "agent-2", "")).isInstanceOf(CorrectionConflictException.class)
        .hasMessageContaining("active correction 1 (SEPARATE by agent)")
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking()).isEqualTo(apart));
    // the same through the profiles: the landline is Ann's, Boris's mobile is his
    assertThatThrownBy(() -> ids.join(LANDLINE, BORIS_MOBILE, "agent-2", ""))
        .isInstanceOf(CorrectionConflictException.class)
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking()).isEqualTo(apart));
    assertThat(ids.corrections(ANN)).containsExactly(apart);
    assertThat(ids.corrections(LANDLINE)).isEmpty();
    assertThat(feed(ids)).isEqualTo(before);
    assertThat(ids.resolve(LANDLINE)).isNotEqualTo(ids.resolve(BORIS_MOBILE));
  }

  @Test
  void a_separation_of_identifiers_active_joins_hold_together_is_refused_naming_the_join() {
    Identities ids = ids(IdentityRules.defaults());
    ids.link("web", ANN);
    ids.link("web", BORIS);
    ids.link("web", account("x"));
    Correction first = ids.join(ANN, account("x"), "agent", "");
    ids.join(account("x"), BORIS, "agent", "");

    assertThatThrownBy(() -> ids.separate(BORIS, ANN, "agent", "")).isInstanceOf(CorrectionConflictException.class)
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking().kind()).isEqualTo(Correction.Kind.JOIN));
    assertThatThrownBy(() -> ids.separate(ANN, account("x"), "agent", ""))
        .isInstanceOf(CorrectionConflictException.class)
        .satisfies(e -> assertThat(((CorrectionConflictException) e).blocking()).isEqualTo(first));
    assertThat(ids.corrections(ANN)).containsExactly(first);
    assertThat(ids.resolve(BORIS)).isEqualTo(ids.resolve(ANN));
  }

  @Test
  void unknown_identifiers_and_corrections_and_bad_arguments_are_refused_and_nothing_is_stored() {
    Identities ids = household();
    Identifier stranger = email("nobody@example.com");
    assertThatThrownBy(() -> ids.separate(ANN, stranger, "agent", "")).isInstanceOf(UnknownIdentifierException.class)
        .hasMessageContaining("separate names an identifier of type email").hasMessageNotContaining("nobody")
        .satisfies(e -> assertThat(((UnknownIdentifierException) e).identifier()).isEqualTo(stranger));
    assertThatThrownBy(() -> ids.join(stranger, ANN, "agent", "")).isInstanceOf(UnknownIdentifierException.class)
        .hasMessageStartingWith("join names");
    assertThatThrownBy(() -> ids.separate(ANN, ANN, "agent", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ids.separate(ANN, BORIS, " ", "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("author");
    assertThatThrownBy(() -> ids.join(ANN, BORIS, "agent", "x".repeat(1001)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    assertThatThrownBy(() -> ids.withdraw(7, "agent")).isInstanceOf(UnknownCorrectionException.class)
        .satisfies(e -> assertThat(((UnknownCorrectionException) e).correctionId()).isEqualTo(7));
    Correction apart = ids.separate(ANN, BORIS, "agent", "");
    assertThatThrownBy(() -> ids.withdraw(apart.id(), "")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ids.corrections(ANN)).containsExactly(apart);
    assertThat(ids.corrections(ANN).get(0).active()).isTrue();
    assertThat(feed(ids)).hasSize(2);
    assertThatThrownBy(() -> ids.link("omni:correction:1", ANN, BORIS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keeps for its own evidence");
    assertThatThrownBy(() -> ids.separate(null, BORIS, "a", "")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ids.corrections(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void a_link_over_three_profiles_keeps_apart_only_the_two_a_separation_names() {
    Identities ids = ids(IdentityRules.defaults());
    ProfileId a = ids.link("web", email("a@shop.io"));
    ProfileId b = ids.link("web", email("b@shop.io"));
    ProfileId c = ids.link("web", email("c@shop.io"));
    ProfileId d = ids.link("web", email("d@shop.io"));
    ids.separate(email("b@shop.io"), email("c@shop.io"), "agent", "");
    ids.separate(email("c@shop.io"), email("d@shop.io"), "agent", "");

    ids.link("web", email("a@shop.io"), email("b@shop.io"), email("c@shop.io"));

    assertThat(ids.resolve(email("b@shop.io"))).contains(a);
    assertThat(ids.resolve(email("c@shop.io"))).contains(c);
    ProfileId e = ids.link("web", email("e@shop.io"));
    ids.link("web", email("e@shop.io"), email("a@shop.io"), email("d@shop.io"));
    assertThat(ids.resolve(email("e@shop.io"))).as("d's separation names no profile of this link but c's")
        .contains(a);
    assertThat(ids.resolve(email("d@shop.io"))).contains(a);
    assertThat(List.of(b, d, e)).doesNotContainNull();
  }
}
