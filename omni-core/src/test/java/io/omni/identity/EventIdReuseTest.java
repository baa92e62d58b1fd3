package io.omni.identity;

import static io.omni.identity.Identifier.account;
import static io.omni.identity.Identifier.cookie;
import static io.omni.identity.Identifier.email;
import static io.omni.identity.Identifier.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.omni.EventIdReusedException;
import io.omni.Omni;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.journey.Touchpoint;
import io.omni.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * An event id names one set of identifiers: a second use with other identifiers is refused with
 * {@link EventIdReusedException} on every path, storing nothing; a genuine redelivery (the same
 * identifiers, in any order, from any channel, at any time) is still answered as the first one was,
 * whatever the rules, a merge, a rebuild or a correction did meanwhile.
 */
final class EventIdReuseTest {
  static final Identifier ANN = email("ann@example.com");
  static final Identifier ANN_PHONE = phone("+79161234567");
  static final Identifier ANN_COOKIE = cookie("c-81");
  static final Identifier BOB = email("bob@example.com");
  static final Identifier BOB_PHONE = phone("+79169999999");
  static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");

  private final TestClock clock = new TestClock();
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false).build();
  private final Identities ids = omni.identities();

  /** What a refusal must leave as it was. */
  record Graph(Identities.Stats stats, Optional<ProfileId> ann, Optional<ProfileId> bob, Optional<ProfileId> bobPhone,
      Optional<Explanation> annToPhone) {}

  private Graph graph() {
    return new Graph(ids.stats(), ids.resolve(ANN), ids.resolve(BOB), ids.resolve(BOB_PHONE), ids.explain(ANN, ANN_PHONE));
  }

  // ------------------------------------------------------------------ refused

  /**
   * Runs the call, which must throw {@link EventIdReusedException} with a message starting so and
   * leave the graph as it was; answers the exception.
   */
  private EventIdReusedException refused(String messageStart, ThrowingCallable call) {
    Graph before = graph();
    EventIdReusedException e = catchThrowableOfType(call, EventIdReusedException.class);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getMessage()).startsWith(messageStart);
    assertThat(graph()).as("nothing stored").isEqualTo(before);
    return e;
  }

  @Test
  void a_single_link_reusing_an_event_id_with_other_identifiers_is_refused_and_stores_nothing() {
    ProfileId ann = ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE));
    Profile annBefore = ids.profile(ann);

    EventIdReusedException e = refused("event id 'evt-1' was linked before with other identifiers: this one adds 1 "
        + "email and leaves out 1 email. An event id names one set of identifiers, and a redelivery must carry the "
        + "same ones", () -> ids.link("evt-1", "app", T0.plusSeconds(5), List.of(BOB, ANN_PHONE)));

    assertThat(e.eventId()).isEqualTo("evt-1");
    assertThat(e.added()).containsExactly(BOB);
    assertThat(e.leftOut()).containsExactly(ANN);
    assertThat(e.getMessage()).endsWith("Nothing was stored")
        .doesNotContain("bob").doesNotContain("ann").doesNotContain("+7916"); // types only, never a value
    assertThat(ids.profile(ann)).isEqualTo(annBefore);
  }

  @Test
  void a_subset_or_a_superset_of_the_first_identifiers_is_refused_too() {
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE));
    refused("event id 'evt-1' was linked before with other identifiers: this one leaves out 1 phone.",
        () -> ids.link("evt-1", "web", T0, List.of(ANN)));
    refused("event id 'evt-1' was linked before with other identifiers: this one adds 1 email.",
        () -> ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE, BOB)));
  }

  @Test
  void a_batch_naming_one_event_id_with_two_sets_of_identifiers_is_refused_whole_before_anything_is_stored() {
    ids.link("evt-0", "web", T0, List.of(ANN, ANN_PHONE));
    refused("event id 'evt-1' of link 2 of the batch was used by link 0 of the batch with other identifiers: this "
        + "one adds 1 email and leaves out 1 phone.", () -> ids.linkAll(List.of(
            new Link("evt-1", "web", T0, List.of(BOB_PHONE, ANN_COOKIE)),
            new Link("evt-2", "web", T0, List.of(ANN_COOKIE, ANN)),
            new Link("evt-1", "pos", T0, List.of(BOB, ANN_COOKIE)))));
    assertThat(ids.resolve(ANN_COOKIE)).isEmpty(); // links 0 and 1 were not stored either
  }

  @Test
  void a_batch_reusing_an_event_id_of_an_earlier_call_with_other_identifiers_is_refused_whole() {
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE));
    EventIdReusedException e = refused("event id 'evt-1' of link 1 of the batch was linked before with other "
        + "identifiers: this one adds 1 phone and leaves out 1 phone.", () -> ids.linkAll(List.of(
            new Link("evt-2", "web", T0, List.of(BOB, ANN_COOKIE)),
            new Link("evt-1", "web", T0, List.of(BOB_PHONE, ANN)))));
    assertThat(e.added()).containsExactly(BOB_PHONE);
    assertThat(ids.resolve(ANN_COOKIE)).isEmpty();
  }

  @Test
  void ingest_of_an_event_processed_before_with_other_identifiers_is_refused() {
    omni.ingest(pageView("evt-1", ANN, ANN_PHONE));
    ProfileId ann = ids.resolve(ANN).orElseThrow();
    List<Touchpoint> journey = omni.journeys().of(ann);
    refused("event id 'evt-1' was linked before", () -> omni.ingest(pageView("evt-1", BOB)));
    assertThat(omni.journeys().of(ann)).isEqualTo(journey);
  }

  @Test
  void ingest_of_an_event_linked_but_not_processed_with_other_identifiers_is_refused_and_stays_unprocessed() {
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE)); // as a first delivery that failed after its link
    refused("event id 'evt-1' was linked before", () -> omni.ingest(cartAdd("evt-1", BOB)));
    assertThat(omni.store().events().processed("evt-1")).isFalse();
    assertThat(omni.journeys().of(ids.resolve(ANN).orElseThrow())).isEmpty();
    assertThat(omni.carts().get(ANN).lines()).isEmpty();
    // the genuine retry then completes the event
    ProfileId ann = omni.ingest(cartAdd("evt-1", ANN_PHONE, ANN));
    assertThat(omni.store().events().processed("evt-1")).isTrue();
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::eventId).containsExactly("evt-1");
  }

  @Test
  void ingest_all_naming_one_event_id_with_two_sets_of_identifiers_is_refused_before_anything_is_stored() {
    refused("event id 'evt-1' of event 2 of the batch was used by event 0 of the batch", () -> omni.ingestAll(
        List.of(pageView("evt-1", ANN), pageView("evt-2", ANN_PHONE), pageView("evt-1", BOB))));
    assertThat(omni.store().events().processed("evt-1")).isFalse();
    assertThat(omni.store().events().processed("evt-2")).isFalse();
  }

  @Test
  void ingest_all_of_an_event_linked_before_with_other_identifiers_is_refused() {
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE));
    refused("event id 'evt-1' of event 0 of the batch was linked before with other identifiers",
        () -> omni.ingestAll(List.of(pageView("evt-1", BOB))));
    assertThat(omni.store().events().processed("evt-1")).isFalse();
  }

  // ------------------------------------------------------------------ genuine redeliveries

  @Test
  void the_same_identifiers_in_another_order_from_another_channel_at_another_time_are_a_redelivery() {
    ProfileId ann = ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE, ANN_COOKIE));
    Graph before = graph();
    assertThat(ids.link("evt-1", "app", T0.plusSeconds(60), List.of(ANN_COOKIE, ANN_PHONE, ANN, ANN_PHONE)))
        .isEqualTo(ann);
    assertThat(ids.linkAll(List.of(new Link("evt-1", "pos", null, List.of(ANN_PHONE, ANN_COOKIE, ANN)),
        new Link("evt-1", "pos", null, List.of(ANN_COOKIE, ANN, ANN_PHONE))))).containsExactly(ann, ann);
    assertThat(graph()).isEqualTo(before);
  }

  @Test
  void a_redelivery_after_a_merge_answers_the_survivor() {
    ProfileId ann = ids.link("evt-0", "web", T0, List.of(ANN));
    ProfileId bob = ids.link("evt-1", "web", T0, List.of(BOB_PHONE, ANN_COOKIE));
    ids.link("evt-2", "web", T0, List.of(ANN, BOB_PHONE)); // merges bob into ann, the older profile
    ProfileId survivor = ids.resolve(BOB_PHONE).orElseThrow();
    assertThat(survivor).isNotEqualTo(bob).isEqualTo(ids.resolve(ann).orElseThrow());
    assertThat(ids.link("evt-1", "web", T0, List.of(ANN_COOKIE, BOB_PHONE))).isEqualTo(survivor);
    assertThat(ids.linkAll(List.of(new Link("evt-1", "web", T0, List.of(ANN_COOKIE, BOB_PHONE)))))
        .containsExactly(survivor);
  }

  @Test
  void a_redelivery_whose_first_delivery_lost_a_blocked_value_is_still_a_redelivery() {
    Identifier junk = cookie("undefined"); // built-in junk: never stored
    ProfileId ann = ids.link("evt-1", "web", T0, List.of(ANN, junk));
    assertThat(ids.resolve(junk)).isEmpty();
    assertThat(ids.link("evt-1", "web", T0, List.of(junk, ANN))).isEqualTo(ann);
    assertThat(ids.linkAll(List.of(new Link("evt-1", "web", T0, List.of(ANN, junk))))).containsExactly(ann);
    omni.ingest(pageView("evt-1", junk, ANN)); // linked, not processed: goes the link path
    assertThat(omni.store().events().processed("evt-1")).isTrue();
    assertThat(ids.stats().evidence()).isEqualTo(1);
  }

  @Test
  void a_redelivery_whose_first_delivery_was_held_back_or_shared_is_still_a_redelivery() {
    Omni guarded = Omni.builder().clock(clock).discoverProviders(false)
        .identityRules(IdentityRules.defaults().sharedAfter(2)).build();
    Identities g = guarded.identities();
    Identifier kiosk = Identifier.device("kiosk-1");
    for (int i = 0; i < 4; i++) { // a weak device never bridges accounts: conflicts, until it is shared
      g.link("evt-" + i, "pos", T0, List.of(account("acc-" + i), kiosk));
    }
    assertThat(g.stats().sharedIdentifiers()).isEqualTo(1);
    Identities.Stats before = g.stats();
    for (int i = 0; i < 4; i++) {
      assertThat(g.link("evt-" + i, "web", T0, List.of(kiosk, account("acc-" + i)))).as("evt-%s", i)
          .isEqualTo(g.resolve(account("acc-" + i)).orElseThrow());
    }
    assertThat(g.stats()).isEqualTo(before);
  }

  @Test
  void a_rebuild_under_rules_that_block_a_stored_value_leaves_the_redelivery_a_redelivery() {
    ProfileId ann = ids.link("evt-1", "web", T0, List.of(ANN, ANN_COOKIE));
    ids.rebuild();
    assertThat(ids.link("evt-1", "web", T0, List.of(ANN_COOKIE, ANN))).isEqualTo(ann);
    ids.rebuild(IdentityRules.defaults().block(IdentifierType.COOKIE, "c-.*"));
    // the evidence still holds the cookie, the redelivery's is now dropped as blocked: the same event
    assertThat(ids.resolve(ids.link("evt-1", "web", T0, List.of(ANN_COOKIE, ANN)))).isEqualTo(ids.resolve(ANN));
    assertThat(ids.stats().evidence()).isEqualTo(1);
  }

  @Test
  void corrections_and_their_withdrawal_leave_a_redelivery_a_redelivery() {
    ids.link("evt-0", "web", T0, List.of(BOB));
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE, ANN_COOKIE));
    Correction apart = ids.separate(ANN, ANN_PHONE, "agent-1", "two people");
    assertThat(ids.link("evt-1", "web", T0, List.of(ANN_COOKIE, ANN_PHONE, ANN)))
        .isIn(ids.resolve(ANN).orElseThrow(), ids.resolve(ANN_PHONE).orElseThrow());
    ids.withdraw(apart.id(), "agent-1");
    ids.join(ANN, BOB, "agent-1", "same person");
    assertThat(ids.link("evt-1", "web", T0, List.of(ANN_PHONE, ANN, ANN_COOKIE))).isEqualTo(ids.resolve(BOB).orElseThrow());
    assertThat(ids.stats().evidence()).isEqualTo(3); // evt-0, evt-1 and the operator's join
  }

  @Test
  void after_a_forget_took_the_evidence_a_redelivery_is_not_refused() {
    ids.link("evt-1", "web", T0, List.of(ANN, ANN_PHONE));
    ids.forget(ANN_PHONE); // removes the evidence that held it, and with it the event id
    assertThat(ids.stats().evidence()).isZero();
    ids.link("evt-1", "web", T0, List.of(ANN_PHONE, ANN));
    assertThat(ids.stats().evidence()).isEqualTo(1);
  }

  private ChannelEvent pageView(String id, Identifier... who) {
    return ChannelEvent.builder("web").id(id).at(T0).identifiers(who).type(EventType.PAGE_VIEW).build();
  }

  private ChannelEvent cartAdd(String id, Identifier... who) {
    return ChannelEvent.builder("web").id(id).at(T0).identifiers(who).type(EventType.CART_ADD)
        .line(io.omni.cart.LineKey.of("SKU-1"), 1).build();
  }
}
