package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.EventIdReusedException;
import io.omni.Omni;
import io.omni.UnknownProfileException;
import io.omni.identity.Conflict;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.Link;
import io.omni.identity.MergeEvent;
import io.omni.identity.Profile;
import io.omni.identity.ProfileId;
import io.omni.identity.RebuildPreview;
import io.omni.spi.OmniStore;
import io.omni.testing.PreviewCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OmniStore} must do for identities, pinned through the facade: subclassed once
 * per store (in memory, H2, PostgreSQL, MariaDB). The differential test runs the same random
 * history on the in-memory reference and on the store under test and wants the same answers.
 * Longer than 400 lines: one contract, subclassed per store, keeps its cases in one class.
 */
abstract class IdentityStoreContract {
  static final Identifier ANN_EMAIL = Identifier.email("ann@example.com");
  static final Identifier ANN_PHONE = Identifier.phone("+79161234567");
  static final Identifier ANN_COOKIE = Identifier.cookie("c-81");
  static final Identifier BOB_EMAIL = Identifier.email("bob@example.com");
  static final Identifier BOB_ACCOUNT = Identifier.account("acc-bob");

  final TestClock clock = new TestClock();

  /** A fresh, empty store; the subclass closes what it opened after the test. */
  abstract OmniStore newStore();

  Omni omni(IdentityRules rules) {
    return Omni.builder().store(newStore()).clock(clock).identityRules(rules).build();
  }

  Omni omni() {
    return omni(IdentityRules.defaults());
  }

  @Test
  void a_link_resolves_every_identifier_to_one_profile() {
    Identities ids = omni().identities();
    ProfileId p = ids.link("web", ANN_COOKIE, ANN_EMAIL);
    assertThat(p.value()).isEqualTo("p-1");
    assertThat(ids.resolve(ANN_COOKIE)).contains(p);
    assertThat(ids.resolve(ANN_EMAIL)).contains(p);
    assertThat(ids.resolve(BOB_EMAIL)).isEmpty();
    assertThat(ids.profile(p).identifiers()).containsExactlyInAnyOrder(ANN_COOKIE, ANN_EMAIL);
    assertThat(ids.profile(p).channels()).containsExactly("web");
    assertThat(ids.profile(p).created()).isEqualTo(clock.instant());
  }

  /**
   * The owed merge carries of the SPI ({@code IdentityTransaction.owe}, {@code
   * IdentityStore.owedCarries}, {@code IdentityStore.carried}): a note commits with its write, is
   * read oldest first and only when noted before the time asked, once per merged profile, and is
   * gone once carried.
   */
  @Test
  void owed_carries_are_kept_per_merged_profile_read_oldest_first_and_removed_when_carried() {
    OmniStore store = newStore();
    io.omni.spi.IdentityStore ids = store.identities();
    Instant t = Instant.parse("2026-12-02T08:00:00Z");
    io.omni.spi.OwedCarry late = new io.omni.spi.OwedCarry(ProfileId.ofNumber(7), ProfileId.ofNumber(2), "e-7", "web",
        t.minusSeconds(60), t.plusSeconds(5));
    io.omni.spi.OwedCarry early = new io.omni.spi.OwedCarry(ProfileId.ofNumber(9), ProfileId.ofNumber(1),
        "evidence-12", "omni:correction:3", t.minusSeconds(30), t);
    io.omni.spi.OwedCarry tie = new io.omni.spi.OwedCarry(ProfileId.ofNumber(8), ProfileId.ofNumber(1), "rebuild",
        "rebuild", t, t);
    ids.write(tx -> {
      tx.owe(late);
      tx.owe(early);
      tx.owe(tie);
      return null;
    });
    ids.write(tx -> {
      tx.owe(early); // noted again: still one note
      return null;
    });
    assertThat(ids.owedCarries(t.plusSeconds(60), 10)).containsExactly(tie, early, late);
    assertThat(ids.owedCarries(t.plusSeconds(60), 2)).containsExactly(tie, early);
    assertThat(ids.owedCarries(t.plusSeconds(5), 10)).containsExactly(tie, early);
    assertThat(ids.owedCarries(t, 10)).isEmpty();
    ids.carried(List.of(ProfileId.ofNumber(8), ProfileId.ofNumber(9), ProfileId.ofNumber(40)));
    assertThat(ids.owedCarries(t.plusSeconds(60), 10)).containsExactly(late);
    ids.carried(List.of(ProfileId.ofNumber(7)));
    ids.carried(List.of(ProfileId.ofNumber(7)));
    assertThat(ids.owedCarries(t.plusSeconds(60), 10)).isEmpty();
  }

  /**
   * {@code IdentityStore.postpone}: the notes postponed get the new noted time and keep the rest, so
   * {@code owedCarries} answers them only for a time after it, behind the notes made meanwhile;
   * profiles without a note are passed over.
   */
  @Test
  void postponed_owed_carries_are_answered_only_after_their_new_noted_time() {
    io.omni.spi.IdentityStore ids = newStore().identities();
    Instant t = Instant.parse("2026-12-02T08:00:00Z");
    io.omni.spi.OwedCarry a = new io.omni.spi.OwedCarry(ProfileId.ofNumber(7), ProfileId.ofNumber(2), "e-7", "web",
        t.minusSeconds(60), t);
    io.omni.spi.OwedCarry b = new io.omni.spi.OwedCarry(ProfileId.ofNumber(9), ProfileId.ofNumber(1), "e-9", "app",
        t.minusSeconds(30), t.plusSeconds(1));
    io.omni.spi.OwedCarry c = new io.omni.spi.OwedCarry(ProfileId.ofNumber(8), ProfileId.ofNumber(1), "e-8", "web",
        t, t.plusSeconds(10));
    ids.write(tx -> {
      tx.owe(a);
      tx.owe(b);
      tx.owe(c);
      return null;
    });
    Instant later = t.plusSeconds(120);
    ids.postpone(List.of(ProfileId.ofNumber(7), ProfileId.ofNumber(9), ProfileId.ofNumber(40)), later);
    assertThat(ids.owedCarries(t.plusSeconds(60), 10)).containsExactly(c);
    assertThat(ids.owedCarries(later, 10)).containsExactly(c);
    io.omni.spi.OwedCarry a2 = new io.omni.spi.OwedCarry(a.merged(), a.survivor(), a.cause(), a.channel(), a.at(), later);
    io.omni.spi.OwedCarry b2 = new io.omni.spi.OwedCarry(b.merged(), b.survivor(), b.cause(), b.channel(), b.at(), later);
    assertThat(ids.owedCarries(later.plusMillis(1), 10)).containsExactly(c, a2, b2);
    ids.postpone(List.of(ProfileId.ofNumber(41)), later.plusSeconds(5)); // unknown profiles only
    ids.postpone(List.of(), later.plusSeconds(5));
    assertThat(ids.owedCarries(later.plusSeconds(60), 10)).containsExactly(c, a2, b2);
    ids.carried(List.of(ProfileId.ofNumber(7)));
    assertThat(ids.owedCarries(later.plusSeconds(60), 10)).containsExactly(c, b2);
  }

  /** Through the facade: a link that merges notes each merge, and Omni removes the notes once it carried them. */
  @Test
  void a_link_that_merges_notes_its_merge_as_owed_and_omni_removes_the_note_once_carried() {
    Omni omni = omni();
    Identities ids = omni.identities();
    ProfileId ann = ids.link("web", ANN_EMAIL);
    ids.link("sms", ANN_PHONE);
    ids.link("web", ANN_COOKIE);
    List<io.omni.spi.OwedCarry> seen = new ArrayList<>();
    ids.onMerge(m -> seen.addAll(omni.store().identities().owedCarries(Instant.parse("5999-01-01T00:00:00Z"), 10)));
    ids.link("call-center", ANN_PHONE, ANN_EMAIL, ANN_COOKIE);
    // onMerge listeners run after the carrying: the notes are gone by then
    assertThat(seen).isEmpty();
    assertThat(omni.store().identities().owedCarries(Instant.parse("5999-01-01T00:00:00Z"), 10)).isEmpty();
    assertThat(ids.resolve(ANN_COOKIE)).contains(ann);
  }

  @Test
  void a_merge_keeps_the_oldest_id_and_the_merged_id_resolves_through_its_alias() {
    Identities ids = omni().identities();
    List<MergeEvent> merges = new ArrayList<>();
    ids.onMerge(merges::add);
    ProfileId ann = ids.link("web", ANN_COOKIE, ANN_EMAIL);
    ProfileId phone = ids.link("sms", ANN_PHONE);
    ProfileId third = ids.link("pos", Identifier.loyaltyCard("L-1"));
    assertThat(phone).isNotEqualTo(ann);

    ProfileId joined = ids.link("call-center", ANN_PHONE, ANN_EMAIL);
    ProfileId all = ids.link("pos", Identifier.loyaltyCard("L-1"), ANN_PHONE);

    assertThat(joined).isEqualTo(ann);
    assertThat(all).isEqualTo(ann);
    assertThat(ids.resolve(phone)).contains(ann);
    assertThat(ids.resolve(third)).contains(ann);
    assertThat(ids.profile(phone).id()).isEqualTo(ann);
    assertThat(ids.profile(ann).mergedFrom()).containsExactlyInAnyOrder(phone, third);
    assertThat(ids.profile(ann).channels()).containsExactlyInAnyOrder("web", "sms", "call-center", "pos");
    assertThat(merges).extracting(MergeEvent::survivor, MergeEvent::merged)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ann, phone), org.assertj.core.groups.Tuple.tuple(ann, third));
    assertThat(ids.stats()).isEqualTo(new Identities.Stats(4, 1, 5, 0));
  }

  @Test
  void an_unknown_or_foreign_profile_id_is_refused() {
    Identities ids = omni().identities();
    ids.link("web", ANN_EMAIL);
    assertThat(ids.resolve(ProfileId.of("p-999"))).isEmpty();
    assertThat(ids.resolve(ProfileId.of("not-ours"))).isEmpty();
    assertThatThrownBy(() -> ids.profile(ProfileId.of("p-999"))).isInstanceOf(UnknownProfileException.class);
  }

  @Test
  void an_event_id_is_recorded_once() {
    Identities ids = omni().identities();
    ProfileId first = ids.link("evt-1", "web", clock.instant(), List.of(ANN_EMAIL, ANN_COOKIE));
    ProfileId again = ids.link("evt-1", "web", clock.instant(), List.of(ANN_EMAIL, ANN_COOKIE));
    assertThat(again).isEqualTo(first);
    assertThat(ids.stats().evidence()).isEqualTo(1);
  }

  @Test
  void an_event_id_names_one_set_of_identifiers() {
    Identities ids = omni().identities();
    ProfileId first = ids.link("evt-1", "web", clock.instant(), List.of(ANN_EMAIL, ANN_COOKIE));
    // a redelivery: the same identifiers in another order, from another channel, alone or in a batch
    assertThat(ids.link("evt-1", "app", null, List.of(ANN_COOKIE, ANN_EMAIL))).isEqualTo(first);
    assertThat(ids.linkAll(List.of(new Link("evt-1", "pos", null, List.of(ANN_COOKIE, ANN_EMAIL)),
        new Link("evt-1", "pos", null, List.of(ANN_EMAIL, ANN_COOKIE))))).containsExactly(first, first);
    Identities.Stats stats = ids.stats();
    // the same id with other identifiers: refused, alone or in a batch, and nothing stored
    Identifier bob = Identifier.email("bob@example.com");
    assertThatThrownBy(() -> ids.link("evt-1", "web", null, List.of(ANN_EMAIL, bob)))
        .isInstanceOf(EventIdReusedException.class).hasMessageStartingWith("event id 'evt-1' was linked before");
    assertThatThrownBy(() -> ids.linkAll(List.of(new Link("evt-2", "web", null, List.of(bob)),
        new Link("evt-1", "web", null, List.of(ANN_COOKIE)))))
        .isInstanceOf(EventIdReusedException.class).hasMessageStartingWith("event id 'evt-1' of link 1 of the batch");
    assertThatThrownBy(() -> ids.linkAll(List.of(new Link("evt-2", "web", null, List.of(bob)),
        new Link("evt-2", "web", null, List.of(bob, ANN_COOKIE)))))
        .isInstanceOf(EventIdReusedException.class).hasMessageStartingWith("event id 'evt-2' of link 1 of the batch");
    assertThat(ids.stats()).isEqualTo(stats);
    assertThat(ids.resolve(bob)).isEmpty();
  }

  @Test
  void explain_gives_the_chain_of_evidence() {
    Identities ids = omni().identities();
    ids.link("e-1", "web", clock.instant(), List.of(ANN_COOKIE, ANN_EMAIL));
    clock.advance(Duration.ofMinutes(1));
    ids.link("e-2", "app", clock.instant(), List.of(ANN_EMAIL, ANN_PHONE));
    Explanation why = ids.explain(ANN_COOKIE, ANN_PHONE).orElseThrow();
    assertThat(why.steps()).extracting(Explanation.Step::eventId).containsExactly("e-1", "e-2");
    assertThat(why.steps().get(1).at()).isEqualTo(clock.instant());
    assertThat(ids.explain(ANN_COOKIE, BOB_EMAIL)).isEmpty();
  }

  @Test
  void values_keep_their_case_and_characters() {
    Identities ids = omni().identities();
    ProfileId upper = ids.link("web", Identifier.cookie("Ab-9"));
    ProfileId lower = ids.link("web", Identifier.cookie("ab-9"));
    ProfileId handle = ids.link("tg", Identifier.of(IdentifierType.of("telegram"), "@Аня_ü"));
    assertThat(upper).isNotEqualTo(lower);
    Identifier longest = Identifier.cookie("\uD83D\uDED2".repeat(64) + "x".repeat(128)); // 256 chars, emoji
    ProfileId cart = ids.link("app", longest);
    assertThat(ids.resolve(longest)).contains(cart);
    assertThat(ids.profile(cart).identifiers()).containsExactly(longest);
    assertThat(ids.resolve(Identifier.of(IdentifierType.of("telegram"), "@Аня_ü"))).contains(handle);
    assertThat(ids.profile(handle).identifiers()).containsExactly(Identifier.of(IdentifierType.of("telegram"), "@Аня_ü"));
  }

  @Test
  void forget_removes_the_identifier_and_its_evidence_and_splits_the_profile() {
    Identities ids = omni().identities();
    ProfileId ann = ids.link("web", ANN_COOKIE, ANN_EMAIL);
    clock.advance(Duration.ofMinutes(1));
    ids.link("app", ANN_EMAIL, ANN_PHONE);

    assertThat(ids.forget(ANN_EMAIL)).isTrue();
    assertThat(ids.forget(ANN_EMAIL)).isFalse();

    assertThat(ids.resolve(ANN_EMAIL)).isEmpty();
    ProfileId cookie = ids.resolve(ANN_COOKIE).orElseThrow();
    ProfileId phone = ids.resolve(ANN_PHONE).orElseThrow();
    assertThat(cookie).isEqualTo(ann);
    assertThat(phone).isNotEqualTo(ann);
    assertThat(ids.stats()).isEqualTo(new Identities.Stats(2, 2, 0, 0));
  }

  @Test
  void a_limit_holds_back_the_extra_identifier_as_a_conflict_and_repeated_collisions_mark_it_shared() {
    Identities ids = omni(IdentityRules.defaults()).identities();
    Identifier kiosk = Identifier.account("kiosk");
    ProfileId first = ids.link("pos", kiosk, Identifier.email("front-desk@shopmail.com"));
    for (int i = 0; i < 3; i++) {
      ids.link("pos", Identifier.account("acc-" + i), Identifier.email("front-desk@shopmail.com"));
    }
    List<Conflict> conflicts = new ArrayList<>();
    for (ProfileId p : new TreeSet<>(List.of(first, ids.resolve(Identifier.account("acc-0")).orElseThrow(),
        ids.resolve(Identifier.account("acc-1")).orElseThrow(), ids.resolve(Identifier.account("acc-2")).orElseThrow()))) {
      conflicts.addAll(ids.profile(p).conflicts());
    }
    assertThat(conflicts).extracting(Conflict::kind).contains(Conflict.Kind.LIMIT);
    assertThat(ids.stats().sharedIdentifiers()).isEqualTo(1);
    assertThat(ids.stats().identifiers()).isEqualTo(5);
  }

  @Test
  void the_spi_keeps_aliases_flat_and_reassigns_members_as_told() {
    io.omni.spi.IdentityStore store = newStore().identities();
    Instant at = clock.instant();
    List<ProfileId> ids = store.write(tx -> {
      ProfileId a = tx.createProfile(at);
      ProfileId b = tx.createProfile(at);
      ProfileId c = tx.createProfile(at);
      tx.add(ANN_EMAIL, a);
      tx.add(ANN_PHONE, b);
      tx.add(ANN_COOKIE, c);
      assertThat(tx.lock(new TreeSet<>(List.of(a, b, c)))).isIn(true, false);
      tx.merge(b, c); // c -> b
      tx.merge(a, b); // b -> a, and c with it
      return List.of(a, b, c);
    });
    ProfileId a = ids.get(0);
    ProfileId b = ids.get(1);
    ProfileId c = ids.get(2);
    store.read(r -> {
      assertThat(r.canonical(c)).contains(a);
      assertThat(r.canonical(b)).contains(a);
      assertThat(r.profile(b)).isEmpty();
      assertThat(r.profile(a).orElseThrow().mergedFrom()).containsExactlyInAnyOrder(b, c);
      assertThat(r.profile(a).orElseThrow().members()).extracting(io.omni.spi.StoredIdentifier::identifier)
          .containsExactly(ANN_EMAIL, ANN_PHONE, ANN_COOKIE);
      assertThat(r.profiles()).containsExactly(a);
      return null;
    });
    ProfileId split = store.write(tx -> {
      tx.lock(List.of(a));
      ProfileId d = tx.createProfile(at);
      tx.reassign(List.of(new io.omni.spi.IdentityTransaction.Part(a, List.of(ANN_EMAIL)),
          new io.omni.spi.IdentityTransaction.Part(d, List.of(ANN_PHONE, ANN_COOKIE))));
      return d;
    });
    store.write(tx -> {
      assertThat(tx.find(ANN_COOKIE).orElseThrow().profile()).isEqualTo(split);
      assertThat(tx.typeCounts(split)[IdentifierType.COOKIE.ordinal()]).isEqualTo(1);
      assertThat(tx.typeCounts(split)[IdentifierType.EMAIL.ordinal()]).isZero();
      assertThat(tx.order(a)).isLessThan(tx.order(split));
      assertThat(tx.profiles()).containsExactly(a, split);
      return null;
    });
  }

  /** The same random history on the in-memory reference and on this store gives the same graph. */
  @Test
  void a_random_history_gives_the_same_graph_as_the_in_memory_reference() {
    IdentityRules rules = IdentityRules.defaults().limit(IdentifierType.EMAIL, 2);
    TestClock referenceClock = new TestClock();
    Identities reference = Omni.builder().clock(referenceClock).identityRules(rules).build().identities();
    Identities subject = omni(rules).identities();
    Random random = new Random(42);
    List<Identifier> pool = pool(random, 60);
    java.util.Map<String, List<Identifier>> events = new java.util.HashMap<>();
    for (int step = 0; step < 160; step++) {
      clock.advance(Duration.ofSeconds(1));
      referenceClock.advance(Duration.ofSeconds(1));
      int what = random.nextInt(20);
      if (what == 0) {
        Identifier victim = pool.get(random.nextInt(pool.size()));
        assertThat(subject.forget(victim)).isEqualTo(reference.forget(victim));
      } else {
        List<Identifier> link = new ArrayList<>();
        int size = 1 + random.nextInt(3);
        for (int k = 0; k < size; k++) {
          link.add(pool.get(random.nextInt(pool.size())));
        }
        String eventId = random.nextInt(4) == 0 ? "evt-" + random.nextInt(40) : null;
        if (eventId != null && events.containsKey(eventId)) { // a redelivery: the same identifiers, in any order
          link = new ArrayList<>(events.get(eventId));
          java.util.Collections.shuffle(link, random);
        } else if (eventId != null) {
          events.put(eventId, link);
        }
        String channel = List.of("web", "app", "pos", "sms").get(random.nextInt(4));
        assertThat(subject.link(eventId, channel, clock.instant(), link))
            .isEqualTo(reference.link(eventId, channel, referenceClock.instant(), link));
      }
      if (step % 40 == 39) {
        assertSameGraph(reference, subject, pool, random);
      }
    }
    IdentityRules stricter = IdentityRules.defaults().limit(IdentifierType.EMAIL, 1).limit(IdentifierType.COOKIE, 2);
    reference.rebuild(stricter);
    subject.rebuild(stricter);
    assertSameGraph(reference, subject, pool, random);
  }

  /**
   * A preview of a rule change on this store is what the rebuild then does, count for count and
   * sample for sample, and it changes nothing; it answers as the in-memory reference does.
   */
  @Test
  void a_preview_of_a_rule_change_is_what_the_rebuild_then_does_and_changes_nothing() {
    IdentityRules strongLines = IdentityRules.defaults().fixedLinesWeak(false).limit(IdentifierType.EMAIL, 3);
    Identities reference = Omni.builder().clock(new TestClock()).identityRules(strongLines).build().identities();
    Identities subject = omni(strongLines).identities();
    Random random = new Random(1616);
    List<Identifier> pool = pool(random, 60);
    for (int i = 0; i < 6; i++) {
      pool.add(Identifier.phone("+7495" + (1_000_000 + i))); // household landlines
    }
    Instant t0 = t("2026-12-02T08:00:00Z");
    for (int step = 0; step < 220; step++) {
      List<Identifier> link = new ArrayList<>();
      int size = 1 + random.nextInt(3);
      for (int k = 0; k < size; k++) {
        link.add(pool.get(random.nextInt(pool.size())));
      }
      String channel = List.of("web", "app", "pos", "call-center").get(random.nextInt(4));
      if (random.nextInt(30) == 0) {
        subject.forget(link.get(0));
        reference.forget(link.get(0));
      } else {
        subject.link("evt-" + step, channel, t0.plusSeconds(step), link);
        reference.link("evt-" + step, channel, t0.plusSeconds(step), link);
      }
    }
    // weak landlines split households; relaxed rules fuse through tablets and kiosks
    for (IdentityRules next : List.of(IdentityRules.defaults(), IdentityRules.relaxed())) {
      RebuildPreview expected = reference.preview(next);
      RebuildPreview preview = PreviewCheck.previewThenRebuild(subject, next, pool);
      assertThat(preview.merges() + preview.splits()).as("the change does something").isPositive();
      assertThat(preview.merges()).isEqualTo(expected.merges());
      assertThat(preview.splits()).isEqualTo(expected.splits());
      assertThat(preview.movedIdentifiers()).isEqualTo(expected.movedIdentifiers());
      assertThat(preview.profilesAfter()).isEqualTo(expected.profilesAfter());
      assertThat(preview.splitSample()).extracting(RebuildPreview.Split::identifiers)
          .isEqualTo(expected.splitSample().stream().map(RebuildPreview.Split::identifiers).toList());
      reference.rebuild(next);
    }
  }

  @Test
  void a_random_history_linked_in_batches_ends_where_the_in_memory_reference_one_by_one_ends() {
    IdentityRules rules = IdentityRules.defaults().limit(IdentifierType.EMAIL, 2).sharedAfter(3);
    Identities reference = Omni.builder().clock(new TestClock()).identityRules(rules).build().identities();
    Identities subject = omni(rules).identities();
    List<MergeEvent> heardByReference = new ArrayList<>();
    List<MergeEvent> heardBySubject = new ArrayList<>();
    reference.onMerge(heardByReference::add);
    subject.onMerge(heardBySubject::add);
    Random random = new Random(4242);
    List<Identifier> pool = pool(random, 80);
    Instant t0 = t("2026-11-23T08:00:00Z");
    List<Link> history = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      List<Identifier> link = new ArrayList<>();
      int size = 1 + random.nextInt(3);
      for (int k = 0; k < size; k++) {
        link.add(pool.get(random.nextInt(pool.size())));
      }
      int kind = random.nextInt(10);
      // mostly fresh event ids; some redelivered (within a batch or across: the same identifiers in
      // another order, from any channel), some generated
      Link earlier = kind == 1 && step > 0 ? history.get(random.nextInt(step)) : null;
      String eventId = kind == 0 ? null : earlier != null ? earlier.eventId() : "evt-" + step;
      if (earlier != null) {
        link = new ArrayList<>(earlier.identifiers());
        java.util.Collections.shuffle(link, random);
      }
      history.add(new Link(eventId, List.of("web", "app", "pos", "sms").get(random.nextInt(4)), t0.plusSeconds(step),
          link));
    }
    List<ProfileId> expected = new ArrayList<>();
    for (Link link : history) {
      expected.add(reference.link(link.eventId(), link.channel(), link.at(), link.identifiers()));
    }
    List<ProfileId> answered = new ArrayList<>();
    for (int from = 0; from < history.size(); ) {
      int to = Math.min(history.size(), from + 1 + random.nextInt(80));
      answered.addAll(subject.linkAll(history.subList(from, to)));
      from = to;
    }

    // Profile ids may differ (a database store may skip numbers); the partition and every
    // profile's content may not. Pair the ids through the identifiers they hold.
    java.util.Map<ProfileId, ProfileId> twin = new java.util.HashMap<>();
    for (Identifier id : pool) {
      Optional<ProfileId> ours = reference.resolve(id);
      Optional<ProfileId> theirs = subject.resolve(id);
      assertThat(theirs.isPresent()).as("%s is stored", id).isEqualTo(ours.isPresent());
      ours.ifPresent(p -> assertThat(twin.computeIfAbsent(p, k -> theirs.get())).as("twin of %s", p)
          .isEqualTo(theirs.get()));
    }
    assertThat(new java.util.HashSet<>(twin.values())).hasSameSizeAs(twin.keySet());
    for (java.util.Map.Entry<ProfileId, ProfileId> pair : twin.entrySet()) {
      Profile ours = reference.profile(pair.getKey());
      Profile theirs = subject.profile(pair.getValue());
      assertThat(theirs.identifiers()).isEqualTo(ours.identifiers());
      assertThat(theirs.channels()).isEqualTo(ours.channels());
      assertThat(theirs.created()).isEqualTo(ours.created());
      assertThat(theirs.conflicts()).isEqualTo(ours.conflicts());
      assertThat(theirs.shared()).isEqualTo(ours.shared());
      assertThat(theirs.mergedFrom()).hasSameSizeAs(ours.mergedFrom());
    }
    for (int k = 0; k < history.size(); k++) {
      ProfileId live = reference.resolve(expected.get(k)).orElseThrow();
      if (twin.containsKey(live)) {
        assertThat(subject.resolve(answered.get(k))).as("answer to link %s", k).contains(twin.get(live));
      }
    }
    assertThat(subject.stats()).isEqualTo(reference.stats());
    assertThat(heardBySubject).hasSameSizeAs(heardByReference);
  }

  static List<Identifier> pool(Random random, int size) {
    List<Identifier> pool = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      switch (i % 5) {
        case 0 -> pool.add(Identifier.email("user" + i + "@example.com"));
        case 1 -> pool.add(Identifier.phone("+7916" + (1_000_000 + i)));
        case 2 -> pool.add(Identifier.cookie("c-" + i));
        case 3 -> pool.add(Identifier.account("acc-" + (i % 15)));
        default -> pool.add(Identifier.device("dev-" + i));
      }
    }
    return pool;
  }

  static void assertSameGraph(Identities reference, Identities subject, List<Identifier> pool, Random random) {
    assertThat(subject.stats()).isEqualTo(reference.stats());
    Set<ProfileId> profiles = new TreeSet<>();
    for (Identifier id : pool) {
      Optional<ProfileId> expected = reference.resolve(id);
      assertThat(subject.resolve(id)).as("profile of %s", id).isEqualTo(expected);
      expected.ifPresent(profiles::add);
    }
    for (ProfileId p : profiles) {
      assertThat(subject.profile(p)).isEqualTo(reference.profile(p));
      for (ProfileId alias : reference.profile(p).mergedFrom()) {
        assertThat(subject.resolve(alias)).contains(p);
      }
    }
    for (int k = 0; k < 20; k++) {
      Identifier a = pool.get(random.nextInt(pool.size()));
      Identifier b = pool.get(random.nextInt(pool.size()));
      assertThat(subject.explain(a, b)).isEqualTo(reference.explain(a, b));
    }
  }

  static Instant t(String text) {
    return Instant.parse(text);
  }
}
