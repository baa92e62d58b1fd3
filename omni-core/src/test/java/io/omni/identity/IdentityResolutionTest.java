package io.omni.identity;

import static io.omni.identity.Identifier.account;
import static io.omni.identity.Identifier.cookie;
import static io.omni.identity.Identifier.device;
import static io.omni.identity.Identifier.email;
import static io.omni.identity.Identifier.loyaltyCard;
import static io.omni.identity.Identifier.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidIdentifierException;
import io.omni.Omni;
import io.omni.UnknownProfileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class IdentityResolutionTest {
  private final Omni omni = Omni.inMemory();
  private final Identities ids = omni.identities();

  @Test
  void a_transitive_chain_of_links_is_one_profile() {
    ProfileId first = ids.link("web", cookie("c-1"), email("ann@example.com"));
    ids.link("app", email("ann@example.com"), phone("+79161234567"));
    ids.link("pos", phone("+79161234567"), loyaltyCard("4000-1"));
    ids.link("call-center", loyaltyCard("40001"), account("ann-1"));

    for (Identifier id : List.of(cookie("c-1"), email("ann@example.com"), phone("+79161234567"),
        loyaltyCard("40001"), account("ann-1"))) {
      assertThat(ids.resolve(id)).as(id.toString()).contains(first);
    }
    Profile profile = ids.profile(first);
    assertThat(profile.identifiers()).hasSize(5);
    assertThat(profile.channels()).containsExactlyInAnyOrder("web", "app", "pos", "call-center");
  }

  @Test
  void two_known_profiles_merge_and_the_older_id_survives_as_the_younger_becomes_an_alias() {
    ProfileId older = ids.link("web", email("ann@example.com"));
    ProfileId younger = ids.link("app", phone("+79161234567"));
    List<MergeEvent> merges = new ArrayList<>();
    ids.onMerge(merges::add);

    ProfileId joined = ids.link("evt-1", "call-center", Instant.parse("2026-01-01T00:00:00Z"),
        List.of(phone("+79161234567"), email("ann@example.com")));

    assertThat(joined).isEqualTo(older);
    assertThat(ids.resolve(younger)).contains(older);
    assertThat(ids.profile(younger).id()).isEqualTo(older);
    assertThat(ids.profile(older).mergedFrom()).containsExactly(younger);
    assertThat(merges).containsExactly(new MergeEvent(older, younger, "evt-1", "call-center",
        Instant.parse("2026-01-01T00:00:00Z")));
  }

  @Test
  void aliases_resolve_through_chains_of_merges() {
    ProfileId a = ids.link("web", email("a@shop.io"));
    ProfileId b = ids.link("web", email("b@shop.io"));
    ProfileId c = ids.link("web", email("c@shop.io"));
    ids.link("web", email("b@shop.io"), email("c@shop.io")); // c -> b
    ids.link("web", email("a@shop.io"), email("b@shop.io")); // b -> a
    assertThat(ids.resolve(c)).contains(a);
    assertThat(ids.resolve(b)).contains(a);
    assertThat(ids.profile(c).id()).isEqualTo(a);
    assertThat(ids.profile(a).mergedFrom()).containsExactlyInAnyOrder(b, c);
    assertThat(ids.resolve(ProfileId.of("p-999"))).isEmpty();
    assertThatThrownBy(() -> ids.profile(ProfileId.of("p-999"))).isInstanceOf(UnknownProfileException.class)
        .hasMessageContaining("p-999");
  }

  @Test
  void an_anonymous_cookie_profile_merges_into_the_account_at_login() {
    ProfileId anonymous = ids.link("web", cookie("c-9"));
    ProfileId known = ids.link("app", account("ann-1"), email("ann@example.com"));
    ProfileId atLogin = ids.link("web", cookie("c-9"), account("ann-1"));
    assertThat(atLogin).isEqualTo(anonymous); // the anonymous one is older, so its id lives on
    assertThat(ids.resolve(known)).contains(anonymous);
    assertThat(ids.profile(atLogin).identifiers()).contains(cookie("c-9"), account("ann-1"), email("ann@example.com"));
  }

  @Test
  void two_accounts_are_never_merged_through_a_shared_family_tablet() {
    ProfileId ann = ids.link("app", device("tablet-1"), account("ann"));
    ProfileId boris = ids.link("app", device("tablet-1"), account("boris"));
    ids.link("app", device("tablet-1"), email("boris@example.com"));

    assertThat(boris).isNotEqualTo(ann);
    assertThat(ids.resolve(account("boris"))).isNotEqualTo(ids.resolve(account("ann")));
    assertThat(ids.resolve(email("boris@example.com"))).isNotEqualTo(ids.resolve(account("ann")));
    assertThat(ids.profile(boris).conflicts())
        .extracting(Conflict::identifier, Conflict::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(device("tablet-1"), Conflict.Kind.WEAK_BRIDGE));
  }

  @Test
  void a_weak_identifier_does_not_bring_a_new_strong_identifier_into_a_known_profile() {
    ProfileId ann = ids.link("app", device("phone-1"), email("ann@example.com"));
    ProfileId other = ids.link("app", device("phone-1"), email("someone@example.com"));
    assertThat(other).isNotEqualTo(ann);
    assertThat(ids.profile(ann).identifiers()).containsExactlyInAnyOrder(device("phone-1"), email("ann@example.com"));
  }

  @Test
  void a_household_landline_joins_no_second_member_while_each_members_own_mobile_still_joins() {
    Identifier landline = phone("+7 495 123-45-67"); // Moscow, a fixed line
    ProfileId ann = ids.link("call-center", landline, email("ann@example.com"));
    ProfileId boris = ids.link("call-center", landline, email("boris@example.com"));
    ids.link("call-center", phone("+7 916 123-45-67"), email("boris@example.com")); // his mobile

    assertThat(boris).isNotEqualTo(ann);
    assertThat(ids.resolve(landline)).contains(ann); // it attached to the first member it was seen with
    assertThat(ids.resolve(phone("+79161234567"))).contains(boris);
    assertThat(ids.profile(boris).conflicts())
        .extracting(Conflict::identifier, Conflict::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(landline, Conflict.Kind.WEAK_BRIDGE));
    // nor does it bring a new email into Ann's profile
    ProfileId stranger = ids.link("call-center", landline, email("someone@example.com"));
    assertThat(stranger).isNotIn(ann, boris);
    assertThat(ids.profile(ann).identifiers()).containsExactlyInAnyOrder(landline, email("ann@example.com"));
  }

  @Test
  void a_landline_first_seen_alone_attaches_to_the_first_member_who_calls_from_it_and_no_other() {
    Identifier landline = phone("+7 495 123-45-67");
    ProfileId alone = ids.link("call-center", landline); // an order by phone, before anyone gave a name
    ProfileId ann = ids.link("call-center", landline, email("ann@example.com"));
    ProfileId boris = ids.link("call-center", landline, email("boris@example.com"));

    assertThat(ann).isEqualTo(alone);
    assertThat(boris).isNotEqualTo(ann);
    assertThat(ids.profile(ann).identifiers()).containsExactlyInAnyOrder(landline, email("ann@example.com"));
    // a rebuild under the same rules replays it the same way
    ids.rebuild();
    assertThat(ids.resolve(email("ann@example.com"))).contains(ann);
    assertThat(ids.resolve(landline)).contains(ann);
    assertThat(ids.resolve(email("boris@example.com"))).contains(boris);
  }

  @Test
  void a_mobile_seen_alone_first_is_a_known_customer_that_a_landline_does_not_bridge() {
    Identifier landline = phone("+7 495 123-45-67");
    ProfileId mobile = ids.link("sms", phone("+7 916 123-45-67"), landline);
    ProfileId ann = ids.link("call-center", landline, email("ann@example.com"));
    assertThat(ann).isNotEqualTo(mobile);
    assertThat(ids.resolve(landline)).contains(mobile);
  }

  @Test
  void with_fixed_lines_strong_the_landline_fuses_the_household_and_rebuild_under_the_defaults_splits_it() {
    Identities strongLines = Omni.builder().identityRules(IdentityRules.defaults().fixedLinesWeak(false)).build()
        .identities();
    Identifier landline = phone("+7 495 123-45-67");
    ProfileId ann = strongLines.link("call-center", landline, email("ann@example.com"));
    ProfileId boris = strongLines.link("call-center", landline, email("boris@example.com"));
    assertThat(boris).isEqualTo(ann);

    strongLines.rebuild(IdentityRules.defaults());

    assertThat(strongLines.resolve(email("ann@example.com"))).contains(ann);
    assertThat(strongLines.resolve(landline)).contains(ann);
    assertThat(strongLines.resolve(email("boris@example.com"))).isPresent().isNotEqualTo(Optional.of(ann));
  }

  @Test
  void a_store_kiosk_used_by_many_customers_merges_none_of_them_and_becomes_shared() {
    Identifier kiosk = device("kiosk-12");
    List<ProfileId> customers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      customers.add(ids.link("pos", kiosk, loyaltyCard("4000" + i)));
    }
    assertThat(customers).doesNotHaveDuplicates();
    for (int i = 0; i < 8; i++) {
      assertThat(ids.resolve(loyaltyCard("4000" + i))).contains(customers.get(i));
    }
    // the first customer keeps their id; the kiosk now joins nobody
    Profile first = ids.profile(customers.get(0));
    assertThat(first.identifiers()).containsExactly(loyaltyCard("40000"));
    assertThat(first.shared()).containsExactly(kiosk);
    ProfileId kioskProfile = ids.resolve(kiosk).orElseThrow();
    assertThat(ids.profile(kioskProfile).identifiers()).containsExactly(kiosk);
    assertThat(ids.stats().sharedIdentifiers()).isEqualTo(1);
    // and later customers at the kiosk are not joined to it either
    ProfileId later = ids.link("pos", kiosk, loyaltyCard("5000"));
    assertThat(later).isNotEqualTo(kioskProfile);
    assertThat(ids.resolve(kiosk)).contains(kioskProfile);
    // seen alone, the kiosk answers with its own profile and issues no new one
    long profiles = ids.stats().profiles();
    assertThat(ids.link("pos", kiosk)).isEqualTo(kioskProfile);
    assertThat(ids.stats().profiles()).isEqualTo(profiles);
  }

  @Test
  void a_shared_identifier_is_split_out_of_what_it_had_joined() {
    // the kiosk first joined an anonymous cookie to Ann's profile
    ProfileId ann = ids.link("pos", device("kiosk-7"), account("ann"));
    ids.link("pos", device("kiosk-7"), cookie("c-anon"));
    assertThat(ids.resolve(cookie("c-anon"))).contains(ann);
    for (int i = 0; i < 3; i++) {
      ids.link("pos", device("kiosk-7"), account("stranger-" + i));
    }
    assertThat(ids.resolve(account("ann"))).contains(ann);
    assertThat(ids.resolve(cookie("c-anon"))).isNotEqualTo(Optional.of(ann));
    assertThat(ids.resolve(device("kiosk-7"))).isNotEqualTo(Optional.of(ann));
  }

  @Test
  void zero_idfa_and_other_junk_never_link() {
    ProfileId ann = ids.link("app", device("00000000-0000-0000-0000-000000000000"), email("ann@example.com"));
    ProfileId bob = ids.link("app", device("00000000-0000-0000-0000-000000000000"), email("bob@example.com"));
    ids.link("web", cookie("undefined"), email("ann@example.com"));
    ids.link("web", cookie("undefined"), email("bob@example.com"));
    ids.link("web", email("test@test.com"), account("ann"));
    ids.link("web", email("test@test.com"), account("bob"));
    ids.link("web", loyaltyCard("0000000000"), account("ann"));
    ids.link("web", loyaltyCard("0000000000"), account("bob"));

    assertThat(ann).isNotEqualTo(bob);
    assertThat(ids.resolve(device("00000000-0000-0000-0000-000000000000"))).isEmpty();
    assertThat(ids.resolve(cookie("undefined"))).isEmpty();
    assertThat(ids.resolve(email("test@test.com"))).isEmpty();
    assertThat(ids.resolve(account("ann"))).isNotEqualTo(ids.resolve(account("bob")));
    assertThatThrownBy(() -> ids.link("app", device("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("blocked");
    assertThat(ids.stats().identifiers()).isEqualTo(4);
  }

  @Test
  void an_identifier_named_twice_in_one_link_is_linked_and_recorded_once() {
    ProfileId ann = ids.link("web", email("Ann@Example.com"), account("ann"), email("ann@example.com"));
    assertThat(ids.profile(ann).identifiers()).containsExactlyInAnyOrder(email("ann@example.com"), account("ann"));
    assertThat(ids.explain(account("ann"), email("ann@example.com")).orElseThrow().steps().get(0).identifiers())
        .containsExactly(email("ann@example.com"), account("ann"));
    assertThat(ids.stats().identifiers()).isEqualTo(2);
  }

  @Test
  void user_patterns_are_blocked_too() {
    Identities custom = Omni.builder()
        .identityRules(IdentityRules.defaults().block(IdentifierType.EMAIL, ".*@mailinator\\.com"))
        .build().identities();
    custom.link("web", email("x@mailinator.com"), account("a"));
    custom.link("web", email("x@mailinator.com"), account("b"));
    assertThat(custom.resolve(email("x@mailinator.com"))).isEmpty();
    assertThat(custom.resolve(account("a"))).isNotEqualTo(custom.resolve(account("b")));
  }

  @Test
  void a_limit_is_never_exceeded_and_the_lower_priority_identifier_is_held_back() {
    Identities limited = Omni.builder().identityRules(IdentityRules.defaults().limit(IdentifierType.EMAIL, 2).sharedAfter(0))
        .build().identities();
    ProfileId ann = limited.link("web", account("ann"), email("a1@x.io"));
    limited.link("web", account("ann"), email("a2@x.io"));
    ProfileId third = limited.link("web", account("ann"), email("a3@x.io"));
    assertThat(third).isEqualTo(ann);
    assertThat(limited.profile(ann).identifiers(IdentifierType.EMAIL)).hasSize(2);
    assertThat(limited.resolve(email("a3@x.io"))).isPresent().isNotEqualTo(Optional.of(ann));
    assertThat(limited.profile(ann).conflicts()).extracting(Conflict::kind).containsExactly(Conflict.Kind.LIMIT);

    // one account per profile: a second account never merges in, whoever links it
    ProfileId other = limited.link("web", account("other"), email("o@x.io"));
    ProfileId result = limited.link("web", email("o@x.io"), email("a1@x.io"));
    assertThat(limited.resolve(account("other"))).isNotEqualTo(limited.resolve(account("ann")));
    for (ProfileId p : List.of(ann, other, result)) {
      Profile profile = limited.profile(p);
      assertThat(profile.identifiers(IdentifierType.ACCOUNT)).hasSizeLessThanOrEqualTo(1);
      assertThat(profile.identifiers(IdentifierType.EMAIL)).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void priority_decides_which_identifier_of_a_conflicting_link_wins() {
    Identities byPhone = Omni.builder().identityRules(IdentityRules.defaults()
        .priority(IdentifierType.PHONE, IdentifierType.ACCOUNT).sharedAfter(0)).build().identities();
    ProfileId ann = byPhone.link("web", account("ann"), phone("+79161234567"));
    ProfileId bob = byPhone.link("web", account("bob"));
    // phone outranks account here: the link joins the phone's profile and holds bob's account back
    ProfileId result = byPhone.link("web", account("bob"), phone("+79161234567"));
    assertThat(result).isEqualTo(ann);
    assertThat(byPhone.resolve(account("bob"))).contains(bob);
  }

  @Test
  void explain_gives_the_shortest_chain_of_evidence() {
    Instant t = Instant.parse("2026-05-01T10:00:00Z");
    ids.link("e1", "web", t, List.of(cookie("c-81"), email("ann@example.com")));
    ids.link("e2", "app", t.plusSeconds(60), List.of(email("ann@example.com"), device("idfa-1")));
    ids.link("e3", "app", t.plusSeconds(120), List.of(device("idfa-1"), phone("+79161234567")));
    ids.link("e4", "call-center", t.plusSeconds(180), List.of(email("ann@example.com"), phone("+79161234567")));

    Explanation why = ids.explain(cookie("c-81"), phone("+79161234567")).orElseThrow();
    assertThat(why.steps()).extracting(Explanation.Step::eventId).containsExactly("e1", "e4");
    assertThat(why.steps().get(1).channel()).isEqualTo("call-center");
    assertThat(why.steps().get(1).at()).isEqualTo(t.plusSeconds(180));
    assertThat(why.steps().get(1).identifiers()).containsExactly(email("ann@example.com"), phone("+79161234567"));

    ids.link("web", email("bob@example.com"));
    assertThat(ids.explain(cookie("c-81"), email("bob@example.com"))).isEmpty();
    assertThat(ids.explain(cookie("c-81"), email("nobody@example.com"))).isEmpty();
  }

  @Test
  void explain_only_walks_evidence_that_was_accepted() {
    ids.link("e1", "app", null, List.of(device("tablet"), account("ann")));
    ids.link("e2", "app", null, List.of(device("tablet"), account("boris"))); // refused bridge
    ids.link("e3", "web", null, List.of(account("boris"), email("boris@example.com")));
    assertThat(ids.explain(account("boris"), email("boris@example.com")).orElseThrow().steps())
        .extracting(Explanation.Step::eventId).containsExactly("e3");
    assertThat(ids.explain(device("tablet"), account("boris"))).isEmpty();
  }

  @Test
  void generated_event_ids_show_in_explanations() {
    ids.link("web", cookie("c-1"), email("ann@example.com"));
    assertThat(ids.explain(cookie("c-1"), email("ann@example.com")).orElseThrow().steps().get(0).eventId())
        .startsWith("evidence-");
  }

  @Test
  void the_same_event_linked_twice_is_recorded_once() {
    ProfileId first = ids.link("evt-7", "web", null, List.of(cookie("c-1"), email("ann@example.com")));
    ProfileId again = ids.link("evt-7", "web", null, List.of(cookie("c-1"), email("ann@example.com")));
    assertThat(again).isEqualTo(first);
    assertThat(ids.stats().evidence()).isEqualTo(1);
  }

  @Test
  void forget_splits_a_profile_whose_only_bridge_was_the_forgotten_contact_and_leaves_no_trace() {
    ProfileId ann = ids.link("web", cookie("c-81"), email("ann@example.com"));
    ids.link("app", email("ann@example.com"), phone("+79161234567"));
    ids.link("app", phone("+79161234567"), device("idfa-ann"));
    assertThat(ids.resolve(device("idfa-ann"))).contains(ann);

    assertThat(ids.forget(email("ann@example.com"))).isTrue();

    assertThat(ids.resolve(email("ann@example.com"))).isEmpty();
    ProfileId web = ids.resolve(cookie("c-81")).orElseThrow();
    ProfileId app = ids.resolve(phone("+79161234567")).orElseThrow();
    assertThat(web).isEqualTo(ann); // the oldest identifier's part keeps the id
    assertThat(app).isNotEqualTo(ann);
    assertThat(ids.resolve(device("idfa-ann"))).contains(app);
    assertThat(ids.profile(web).identifiers()).containsExactly(cookie("c-81"));
    assertThat(ids.profile(app).identifiers()).containsExactlyInAnyOrder(phone("+79161234567"), device("idfa-ann"));
    // no evidence or explanation mentions it any more
    assertThat(ids.explain(phone("+79161234567"), device("idfa-ann")).orElseThrow().steps())
        .flatExtracting(Explanation.Step::identifiers).doesNotContain(email("ann@example.com"));
    assertThat(ids.stats().evidence()).isEqualTo(1);
    assertThat(ids.forget(email("ann@example.com"))).isFalse();
  }

  @Test
  void forget_keeps_a_profile_whole_when_other_evidence_still_joins_it() {
    ProfileId ann = ids.link("web", cookie("c-81"), email("ann@example.com"));
    ids.link("app", email("ann@example.com"), phone("+79161234567"));
    ids.link("pos", cookie("c-81"), phone("+79161234567"));
    ids.forget(email("ann@example.com"));
    assertThat(ids.resolve(cookie("c-81"))).contains(ann);
    assertThat(ids.resolve(phone("+79161234567"))).contains(ann);
  }

  @Test
  void a_forgotten_identifier_linked_again_starts_afresh() {
    ids.link("web", cookie("c-1"), email("ann@example.com"));
    ids.forget(email("ann@example.com"));
    ProfileId again = ids.link("web", email("ann@example.com"));
    assertThat(ids.profile(again).identifiers()).containsExactly(email("ann@example.com"));
  }

  @Test
  void rebuild_under_new_rules_re_resolves_from_the_evidence() {
    Identities relaxedFirst = Omni.builder().identityRules(IdentityRules.relaxed()).build().identities();
    ProfileId ann = relaxedFirst.link("app", device("tablet"), account("ann"));
    ProfileId boris = relaxedFirst.link("app", device("tablet"), account("boris"));
    assertThat(boris).isEqualTo(ann); // no guards: the tablet fused them

    relaxedFirst.rebuild(IdentityRules.defaults());

    assertThat(relaxedFirst.resolve(account("ann"))).contains(ann);
    assertThat(relaxedFirst.resolve(account("boris"))).isPresent().isNotEqualTo(Optional.of(ann));
    assertThat(relaxedFirst.resolve(device("tablet"))).contains(ann);
    assertThat(relaxedFirst.rules().isWeak(IdentifierType.DEVICE)).isTrue();
  }

  @Test
  void rebuild_fusing_two_profiles_keeps_the_older_id_and_announces_the_merge() {
    Identities strict = Omni.builder().identityRules(IdentityRules.defaults()).build().identities();
    ProfileId ann = strict.link("app", device("tablet"), account("ann"));
    ProfileId boris = strict.link("app", device("tablet"), account("boris"));
    List<MergeEvent> merges = new ArrayList<>();
    strict.onMerge(merges::add);
    strict.rebuild(IdentityRules.relaxed());
    assertThat(strict.resolve(account("boris"))).contains(ann);
    assertThat(strict.resolve(boris)).contains(ann);
    assertThat(merges).extracting(MergeEvent::survivor, MergeEvent::merged)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ann, boris));
  }

  @Test
  void bad_links_are_refused_and_store_nothing() {
    assertThatThrownBy(() -> ids.link(" ", cookie("c-1"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel");
    assertThatThrownBy(() -> ids.link("web")).hasMessageContaining("at least one identifier");
    assertThatThrownBy(() -> ids.link("web", cookie("c-1"), null)).hasMessageContaining("identifier 1");
    assertThatThrownBy(() -> ids.link(" ", "web", null, List.of(cookie("c-1")))).hasMessageContaining("eventId");
    assertThat(ids.stats()).isEqualTo(new Identities.Stats(0, 0, 0, 0));
  }

  @Test
  void a_listener_that_throws_does_not_undo_the_merge_or_stop_others() {
    List<MergeEvent> seen = new ArrayList<>();
    ids.onMerge(e -> {
      throw new IllegalStateException("boom");
    });
    ids.onMerge(seen::add);
    ids.link("web", email("a@x.io"));
    ids.link("web", email("b@x.io"));
    ProfileId merged = ids.link("web", email("a@x.io"), email("b@x.io"));
    assertThat(seen).hasSize(1);
    assertThat(ids.resolve(email("b@x.io"))).contains(merged);
  }
  @Test
  void a_batch_with_one_bad_link_names_it_and_stores_nothing_of_the_others() {
    List<Link> batch = new ArrayList<>();
    batch.add(Link.of("web", cookie("c-1"), email("ann@example.com")));
    batch.add(Link.of("app", device("00000000-0000-0000-0000-000000000000")));
    assertThatThrownBy(() -> ids.linkAll(batch))
        .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("link 1 of the batch");

    batch.set(1, new Link("evt-2", " ", null, List.of(email("bob@example.com"))));
    assertThatThrownBy(() -> ids.linkAll(batch))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("link 1 of the batch").hasMessageContaining("channel");

    batch.set(1, new Link("evt-2", "pos", null, java.util.Arrays.asList(email("bob@example.com"), null)));
    assertThatThrownBy(() -> ids.linkAll(batch))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("link 1 of the batch").hasMessageContaining("null");

    batch.set(1, null);
    assertThatThrownBy(() -> ids.linkAll(batch)).hasMessageContaining("link 1 of the batch is null");
    assertThat(ids.stats().identifiers()).isZero();
    assertThat(ids.resolve(cookie("c-1"))).isEmpty();
  }

  @Test
  void a_batch_answers_each_links_profile_and_later_links_see_earlier_ones() {
    Instant at = Instant.parse("2026-11-23T09:00:00Z");
    List<ProfileId> answers = ids.linkAll(List.of(
        new Link("e1", "web", at, List.of(cookie("c-1"), email("ann@example.com"))),
        new Link("e2", "pos", at, List.of(loyaltyCard("L-1"), phone("+79161234567"))),
        new Link("e3", "app", at, List.of(email("ann@example.com"), phone("+79161234567"))),
        new Link("e1", "web", at, List.of(cookie("c-1"), email("ann@example.com")))));
    assertThat(answers).hasSize(4);
    ProfileId ann = answers.get(0);
    assertThat(answers.get(2)).isEqualTo(ann);
    assertThat(answers.get(3)).isEqualTo(ann); // the redelivered e1 answers the current profile
    assertThat(ids.resolve(answers.get(1))).contains(ann);
    assertThat(ids.resolve(loyaltyCard("L-1"))).contains(ann);
    assertThat(ids.stats().evidence()).isEqualTo(3);
    assertThat(ids.linkAll(List.of())).isEmpty();
  }
}
