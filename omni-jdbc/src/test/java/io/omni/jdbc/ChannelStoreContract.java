package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.campaign.CampaignRun;
import io.omni.campaign.CascadeStep;
import io.omni.cart.LineKey;
import io.omni.channel.Consent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import io.omni.spi.OutboxMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OmniStore} must do with events and campaigns, pinned at the SPI: subclassed
 * once for the in-memory reference store and once per database, with the same assertions.
 */
abstract class ChannelStoreContract {
  static final ProfileId ANN = ProfileId.of("p-1");
  static final ProfileId BOB = ProfileId.of("p-2");
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00.123456789Z");
  static final Identifier ANN_EMAIL = Identifier.email("ann@example.com");
  static final Identifier ANN_PHONE = Identifier.phone("+79161234567");

  /** A fresh, empty store; the subclass closes what it opened after the test. */
  abstract OmniStore newStore();

  static Touchpoint touchpoint(String eventId, Instant at, Map<String, String> attributes) {
    return Touchpoint.of(eventId, "web", EventType.PAGE_VIEW, at, attributes);
  }

  static CampaignRun run(String id, ProfileId profile, String promoCode, CampaignRun.State state) {
    return new CampaignRun(id, profile, List.of(step("email", ofHours(24)), step("sms", ofHours(12))), "Spring sale",
        promoCode, T0, state, 0, T0, false, List.of(), Optional.empty(), Optional.empty(),
        state == CampaignRun.State.RUNNING ? Optional.empty() : Optional.of(T0.plusSeconds(60)));
  }

  static Message message(CampaignRun run, String channel, Identifier to, int step, Instant at) {
    return new Message(channel, to, run.text(), run.id(), run.promoCode(), run.profile(), step, at);
  }

  // --- what a merge must carry ---

  @Test
  void holding_names_the_profiles_with_a_journey_an_order_a_consent_a_run_or_a_watched_cart() {
    OmniStore store = newStore();
    ProfileId touched = ProfileId.of("p-11");
    ProfileId ordered = ProfileId.of("p-12");
    ProfileId consented = ProfileId.of("p-13");
    ProfileId running = ProfileId.of("p-14");
    ProfileId watched = ProfileId.of("p-15");
    ProfileId empty = ProfileId.of("p-16");
    ProfileId rekeyed = ProfileId.of("p-17");
    store.events().appendTouchpoint(touched, touchpoint("evt-h1", T0, Map.of()));
    store.events().appendOrder(ordered, new Order("o-h", ordered, "pos", T0, List.of()));
    store.events().putConsent(consented, Consent.of("sms", true, T0, "api"));
    store.campaigns().save(run("run-h", running, "PROMO-H", CampaignRun.State.RUNNING));
    store.campaigns().watchCart(watched);
    store.events().appendTouchpoint(rekeyed, touchpoint("evt-h2", T0, Map.of()));
    store.events().rekey(rekeyed, touched);
    List<ProfileId> all = List.of(touched, ordered, consented, running, watched, empty, rekeyed);

    assertThat(store.events().holding(all)).containsExactlyInAnyOrder(touched, ordered, consented);
    assertThat(store.campaigns().holding(all)).containsExactlyInAnyOrder(running, watched);
    assertThat(store.events().holding(List.of())).isEmpty();
    assertThat(store.campaigns().holding(List.of(empty))).isEmpty();
  }

  // --- processed event ids ---

  @Test
  void an_event_id_is_marked_processed_once() {
    EventStore events = newStore().events();
    assertThat(events.processed("evt-1")).isFalse();
    assertThat(events.markProcessed("evt-1", T0)).isTrue();
    assertThat(events.markProcessed("evt-1", T0.plusSeconds(5))).isFalse();
    assertThat(events.processed("evt-1")).isTrue();
    assertThat(events.processed("evt-2")).isFalse();
  }

  // --- touchpoints ---

  @Test
  void touchpoints_read_back_exactly_in_append_order() {
    EventStore events = newStore().events();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("url", "/p/SKU-1?x=\"q\"&y=%_");
    attributes.put("title", "Ünïcødé 😀 \\ back\nslash");
    attributes.put("empty", "");
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, attributes));
    events.appendTouchpoint(ANN, Touchpoint.of("evt-2", "call-center", EventType.ORDER, T0.plusNanos(1), Map.of()));
    events.appendTouchpoint(BOB, touchpoint("evt-3", T0.minusSeconds(3600), Map.of("k", "v")));
    events.appendTouchpoint(ANN, touchpoint("evt-0", T0.minusSeconds(60), Map.of()));

    List<Touchpoint> journey = events.touchpoints(ANN);
    assertThat(journey).extracting(Touchpoint::eventId).containsExactly("evt-1", "evt-2", "evt-0");
    assertThat(journey.get(0)).isEqualTo(touchpoint("evt-1", T0, attributes));
    assertThat(journey.get(0).attributes().keySet()).containsExactly("url", "title", "empty");
    assertThat(journey.get(1).at()).isEqualTo(T0.plusNanos(1));
    assertThat(journey.get(1).type()).isEqualTo(EventType.ORDER);
    assertThat(events.touchpoints(BOB)).containsExactly(touchpoint("evt-3", T0.minusSeconds(3600), Map.of("k", "v")));
    assertThat(events.touchpoints(ProfileId.of("p-404"))).isEmpty();
  }

  // --- orders ---

  @Test
  void orders_read_back_with_their_lines_in_order() {
    EventStore events = newStore().events();
    LineKey shirt = LineKey.of("TSHIRT-9", "red-M").with("giftWrap", "yes").with("store", "Msk-1");
    Order first = new Order("o-1", ANN, "web", T0, List.of(new OrderLine(shirt, 2), new OrderLine(LineKey.of("SKU-1"), 1)));
    Order noLines = new Order("o-2", BOB, "call-center", T0.plusSeconds(10), List.of());
    events.appendOrder(ANN, first);
    events.appendOrder(ANN, noLines);
    events.appendOrder(BOB, new Order("o-3", BOB, "pos", T0, List.of(new OrderLine(LineKey.of("SKU-2"), 5))));

    assertThat(events.orders(ANN)).containsExactly(first, noLines);
    assertThat(events.orders(ANN).get(0).lines().get(0).key().attributes()).containsEntry("store", "Msk-1");
    assertThat(events.orders(BOB)).extracting(Order::id).containsExactly("o-3");
    assertThat(events.orders(ProfileId.of("p-404"))).isEmpty();
  }

  // --- consent ---

  @Test
  void a_touchpoint_is_appended_once_per_event_id_whichever_profile_it_is_appended_to() {
    EventStore events = newStore().events();
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, Map.of("page", "/a")));
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, Map.of("page", "/a")));   // a retried ingest
    events.appendTouchpoint(BOB, touchpoint("evt-1", T0, Map.of("page", "/a")));   // after a merge moved it
    events.appendTouchpoint(ANN, touchpoint("evt-2", T0, Map.of()));
    assertThat(events.touchpoints(ANN)).extracting(Touchpoint::eventId).containsExactly("evt-1", "evt-2");
    assertThat(events.touchpoints(BOB)).isEmpty();
  }

  @Test
  void an_order_is_appended_once_per_order_id_and_the_first_is_answered() {
    EventStore events = newStore().events();
    Order first = new Order("o-17", ANN, "web", T0, List.of(new OrderLine(LineKey.of("SKU-1"), 2)));
    Order again = new Order("o-17", BOB, "pos", T0.plusSeconds(60), List.of(new OrderLine(LineKey.of("SKU-2"), 1)));
    assertThat(events.appendOrder(ANN, first)).isEqualTo(first);
    assertThat(events.appendOrder(BOB, again)).isEqualTo(first);
    assertThat(events.orders(ANN)).containsExactly(first);
    assertThat(events.orders(BOB)).isEmpty();
    assertThat(events.order("o-17")).contains(first);
    assertThat(events.order("o-18")).isEmpty();
  }

  @Test
  void a_consent_replaces_the_one_stored_for_its_channel_only() {
    EventStore events = newStore().events();
    events.putConsent(ANN, Consent.of("sms", true, T0, "evt-1"));
    events.putConsent(ANN, Consent.of("email", false, T0, "api"));
    events.putConsent(ANN, Consent.of("sms", false, T0.plusNanos(7), "evt-2"));
    events.putConsent(BOB, Consent.of("sms", true, T0, "evt-3"));

    assertThat(events.consents(ANN)).containsExactlyInAnyOrder(
        Consent.of("sms", false, T0.plusNanos(7), "evt-2"), Consent.of("email", false, T0, "api"));
    assertThat(events.consents(BOB)).containsExactly(Consent.of("sms", true, T0, "evt-3"));
    assertThat(events.consents(ProfileId.of("p-404"))).isEmpty();
  }

  @Test
  void a_consent_is_replaced_only_over_the_decision_its_writer_read() {
    EventStore events = newStore().events();
    Consent first = Consent.of("sms", true, T0, "evt-1");
    Consent later = Consent.of("sms", false, T0.plusSeconds(5), "evt-2");
    Consent earlier = Consent.of("sms", true, T0.minusSeconds(5), "evt-0");

    assertThat(events.replaceConsent(ANN, null, first)).isTrue();
    assertThat(events.replaceConsent(ANN, null, earlier)).as("one is stored already").isFalse();
    assertThat(events.replaceConsent(ANN, first, later)).isTrue();
    // a writer that read the first decision before the later one was stored puts nothing back
    assertThat(events.replaceConsent(ANN, first, earlier)).isFalse();
    assertThat(events.consents(ANN)).containsExactly(later);
    assertThat(events.replaceConsent(ANN, null, Consent.of("email", true, T0, "api"))).as("another channel").isTrue();
    assertThat(events.consents(ANN)).hasSize(2);
  }

  // --- rekey ---

  @Test
  void a_rekey_appends_the_merged_journey_and_orders_after_the_survivors_and_drops_its_consents() {
    EventStore events = newStore().events();
    events.appendTouchpoint(BOB, touchpoint("bob-1", T0.minusSeconds(100), Map.of()));
    events.appendTouchpoint(ANN, touchpoint("ann-1", T0, Map.of()));
    events.appendTouchpoint(BOB, touchpoint("bob-2", T0.minusSeconds(50), Map.of()));
    events.appendTouchpoint(ANN, touchpoint("ann-2", T0.plusSeconds(1), Map.of()));
    Order bobs = new Order("o-b", BOB, "pos", T0, List.of(new OrderLine(LineKey.of("SKU-1"), 1)));
    Order anns = new Order("o-a", ANN, "web", T0, List.of());
    events.appendOrder(BOB, bobs);
    events.appendOrder(ANN, anns);
    events.putConsent(BOB, Consent.of("sms", false, T0, "evt-b"));
    events.putConsent(ANN, Consent.of("email", true, T0, "evt-a"));

    events.rekey(BOB, ANN);

    assertThat(events.touchpoints(ANN)).extracting(Touchpoint::eventId).containsExactly("ann-1", "ann-2", "bob-1", "bob-2");
    assertThat(events.touchpoints(BOB)).isEmpty();
    assertThat(events.orders(ANN)).containsExactly(anns, bobs);
    assertThat(events.orders(BOB)).isEmpty();
    assertThat(events.consents(ANN)).containsExactly(Consent.of("email", true, T0, "evt-a"));
    assertThat(events.consents(BOB)).isEmpty();

    events.appendTouchpoint(ANN, touchpoint("ann-3", T0.plusSeconds(2), Map.of()));
    assertThat(events.touchpoints(ANN)).extracting(Touchpoint::eventId).endsWith("bob-2", "ann-3");
  }

  @Test
  void a_rekey_onto_a_profile_without_records_moves_everything() {
    EventStore events = newStore().events();
    events.appendTouchpoint(BOB, touchpoint("bob-1", T0, Map.of()));
    events.appendOrder(BOB, new Order("o-b", BOB, "pos", T0, List.of()));
    events.rekey(BOB, ANN);
    assertThat(events.touchpoints(ANN)).extracting(Touchpoint::eventId).containsExactly("bob-1");
    assertThat(events.orders(ANN)).extracting(Order::profile).containsExactly(BOB);
    events.rekey(ProfileId.of("p-404"), ANN);
    assertThat(events.touchpoints(ANN)).hasSize(1);
  }

  // --- campaign runs ---

  @Test
  void a_run_reads_back_with_every_field() {
    CampaignStore campaigns = newStore().campaigns();
    CampaignRun bare = run("run-1", ANN, "PROMO-1", CampaignRun.State.CONVERTED);
    CampaignRun full = new CampaignRun(bare.id(), ANN,
        List.of(CascadeStep.step("email", Duration.ofMinutes(90)), CascadeStep.step("sms", Duration.ofNanos(1500))),
        "Ünïcødé \"30%\" off 😀", "PROMO-1", T0, CampaignRun.State.CONVERTED, 2, T0.plusNanos(3), true,
        List.of(message(bare, "email", ANN_EMAIL, 0, T0.plusSeconds(1)), message(bare, "sms", ANN_PHONE, 1, T0.plusNanos(9))),
        Optional.of(T0.minusSeconds(600)),
        Optional.of(new CampaignRun.Conversion("evt-9", "sms", Optional.of(1), T0.plusSeconds(7200))),
        Optional.of(T0.plusSeconds(7200)),
        List.of(new CampaignRun.Failure(0, "viber", 5, "java.io.IOException: gateway said \"no\" 😀", T0.plusNanos(7))));
    CampaignRun noStep = new CampaignRun("run-2", BOB, bare.steps(), "x", "PROMO-2", T0, CampaignRun.State.CONVERTED,
        0, T0, false, List.of(), Optional.empty(),
        Optional.of(new CampaignRun.Conversion("evt-1", "pos", Optional.empty(), T0)), Optional.of(T0));
    campaigns.save(full);
    campaigns.save(noStep);

    assertThat(campaigns.find("run-1")).contains(full);
    assertThat(campaigns.find("run-2")).contains(noStep);
    assertThat(campaigns.find("run-404")).isEmpty();
  }

  @Test
  void a_save_replaces_the_run_with_its_id_and_keeps_its_place() {
    CampaignStore campaigns = newStore().campaigns();
    CampaignRun first = run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING);
    campaigns.save(first);
    campaigns.save(run("run-2", BOB, "PROMO-2", CampaignRun.State.RUNNING));
    CampaignRun moved = new CampaignRun("run-1", ANN, first.steps(), first.text(), "PROMO-1", T0,
        CampaignRun.State.RUNNING, 1, T0.plusSeconds(5), true, List.of(message(first, "email", ANN_EMAIL, 0, T0)),
        Optional.empty(), Optional.empty(), Optional.empty());
    campaigns.save(moved);

    assertThat(campaigns.find("run-1")).contains(moved);
    assertThat(campaigns.running()).extracting(CampaignRun::id).containsExactly("run-1", "run-2");
  }

  @Test
  void a_run_is_found_by_its_promo_code() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.save(run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING));
    campaigns.save(run("run-2", ANN, "PROMO-2", CampaignRun.State.EXHAUSTED));
    assertThat(campaigns.byPromoCode("PROMO-2")).map(CampaignRun::id).contains("run-2");
    assertThat(campaigns.byPromoCode("PROMO-404")).isEmpty();
    assertThat(campaigns.byPromoCode("promo-1")).isEmpty();
  }

  @Test
  void running_lists_only_running_runs_in_the_order_first_saved() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.save(run("run-b", ANN, "PROMO-1", CampaignRun.State.RUNNING));
    campaigns.save(run("run-a", BOB, "PROMO-2", CampaignRun.State.RUNNING));
    campaigns.save(run("run-c", BOB, "PROMO-3", CampaignRun.State.CANCELLED));
    campaigns.save(run("run-d", ANN, "PROMO-4", CampaignRun.State.RUNNING));
    campaigns.save(run("run-b", ANN, "PROMO-1", CampaignRun.State.CONVERTED));

    assertThat(campaigns.running()).extracting(CampaignRun::id).containsExactly("run-a", "run-d");
  }

  @Test
  void runs_of_a_profile_follow_a_re_save_under_the_survivor() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.save(run("run-1", BOB, "PROMO-1", CampaignRun.State.RUNNING));
    campaigns.save(run("run-2", ANN, "PROMO-2", CampaignRun.State.RUNNING));
    campaigns.save(run("run-3", BOB, "PROMO-3", CampaignRun.State.EXHAUSTED));
    assertThat(campaigns.byProfile(BOB)).extracting(CampaignRun::id).containsExactly("run-1", "run-3");

    campaigns.save(run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING));

    assertThat(campaigns.byProfile(ANN)).extracting(CampaignRun::id).containsExactly("run-1", "run-2");
    assertThat(campaigns.byProfile(BOB)).extracting(CampaignRun::id).containsExactly("run-3");
    assertThat(campaigns.byProfile(ProfileId.of("p-404"))).isEmpty();
  }

  @Test
  void insert_stores_a_run_only_under_a_new_id() {
    CampaignStore campaigns = newStore().campaigns();
    CampaignRun first = run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING);
    assertThat(campaigns.insert(first)).isTrue();
    assertThat(campaigns.insert(run("run-1", BOB, "PROMO-9", CampaignRun.State.RUNNING))).isFalse();
    assertThat(campaigns.find("run-1")).contains(first);
    assertThat(campaigns.byPromoCode("PROMO-9")).isEmpty();
    assertThat(campaigns.running()).containsExactly(first);
  }

  @Test
  void replace_writes_only_over_the_run_it_expects() {
    CampaignStore campaigns = newStore().campaigns();
    CampaignRun first = run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING);
    CampaignRun sent = new CampaignRun("run-1", ANN, first.steps(), first.text(), "PROMO-1", T0,
        CampaignRun.State.RUNNING, 0, T0.plusNanos(5), true, List.of(message(first, "email", ANN_EMAIL, 0, T0.plusNanos(5))),
        Optional.empty(), Optional.empty(), Optional.empty());
    CampaignRun converted = run("run-1", ANN, "PROMO-1", CampaignRun.State.CONVERTED);
    campaigns.save(first);

    assertThat(campaigns.replace(first, sent)).isTrue();
    assertThat(campaigns.replace(first, converted)).as("a stale expectation").isFalse();
    assertThat(campaigns.find("run-1")).contains(sent);
    assertThat(campaigns.replace(sent, converted)).isTrue();
    assertThat(campaigns.find("run-1")).contains(converted);
    assertThat(campaigns.running()).isEmpty();
    assertThat(campaigns.replace(run("run-404", ANN, "PROMO-4", CampaignRun.State.RUNNING),
        run("run-404", ANN, "PROMO-4", CampaignRun.State.CANCELLED))).isFalse();
    assertThat(campaigns.find("run-404")).isEmpty();
  }

  // --- the outbox ---

  /** A whole second, so that a store keeping due times to the microsecond compares exactly. */
  static final Instant S0 = Instant.parse("2026-03-02T10:00:00Z");

  static Message due(String runId, int step, Identifier to, Instant at) {
    return new Message(step == 0 ? "email" : "sms", to, "Spring sale", runId, "PROMO-" + runId, ANN, step, at);
  }

  @Test
  void a_step_has_one_outbox_entry_ever_and_it_reads_back_exactly() {
    CampaignStore campaigns = newStore().campaigns();
    Message message = new Message("email", ANN_EMAIL, "Ünïcødé \"30%\" off 😀", "run-1", "PROMO-1", ANN, 0, T0);

    assertThat(campaigns.enqueue(message)).isTrue();
    assertThat(campaigns.enqueue(new Message("sms", ANN_PHONE, "other", "run-1", "PROMO-1", ANN, 0, T0.plusSeconds(9))))
        .isFalse();

    OutboxMessage stored = campaigns.outbox("run-1", 0).orElseThrow();
    assertThat(stored.message()).isEqualTo(message);
    assertThat(stored.status()).isEqualTo(OutboxMessage.Status.PENDING);
    assertThat(stored.attempts()).isZero();
    assertThat(stored.claims()).isZero();
    assertThat(stored.leasedUntil()).isEmpty();
    assertThat(stored.lastFailure()).isEmpty();
    assertThat(Duration.between(stored.due(), T0)).isBetween(Duration.ZERO, Duration.ofNanos(999));
    assertThat(stored.key()).isEqualTo("run-1:0");
    assertThat(campaigns.outbox("run-1", 1)).isEmpty();
    assertThat(campaigns.outbox("run-404", 0)).isEmpty();
  }

  @Test
  void a_claim_takes_due_entries_oldest_first_and_holds_them_until_its_lease_ends() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.enqueue(due("run-c", 0, ANN_EMAIL, S0.plusSeconds(2)));
    campaigns.enqueue(due("run-a", 0, ANN_EMAIL, S0));
    campaigns.enqueue(due("run-b", 0, ANN_EMAIL, S0.plusSeconds(1)));
    campaigns.enqueue(due("run-later", 0, ANN_EMAIL, S0.plusSeconds(60)));
    Instant now = S0.plusSeconds(10);
    Instant lease = now.plusSeconds(300);

    List<OutboxMessage> first = campaigns.claim(now, lease, 2);
    assertThat(first).extracting(OutboxMessage::key).containsExactly("run-a:0", "run-b:0");
    assertThat(first).allSatisfy(e -> {
      assertThat(e.claims()).isEqualTo(1);
      assertThat(e.leasedUntil()).contains(lease);
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.PENDING);
    });
    assertThat(campaigns.claim(now, lease, 10)).extracting(OutboxMessage::key).containsExactly("run-c:0");
    assertThat(campaigns.claim(now, lease, 10)).as("every due entry is held").isEmpty();
    assertThat(campaigns.claim(lease.minusNanos(1000), lease.plusSeconds(600), 10)).as("a µs before the lease ends")
        .extracting(OutboxMessage::key).containsExactly("run-later:0");

    List<OutboxMessage> again = campaigns.claim(lease, lease.plusSeconds(300), 10);
    assertThat(again).extracting(OutboxMessage::key).containsExactly("run-a:0", "run-b:0", "run-c:0");
    assertThat(again).extracting(OutboxMessage::claims).containsOnly(2);
    assertThat(campaigns.outbox("run-a", 0)).hasValueSatisfying(e -> assertThat(e.claims()).isEqualTo(2));
  }

  @Test
  void only_the_current_claim_settles_an_entry_and_a_settled_entry_is_claimed_no_more() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.enqueue(due("run-1", 0, ANN_EMAIL, S0));
    OutboxMessage lapsed = campaigns.claim(S0, S0.plusSeconds(60), 1).get(0);
    OutboxMessage current = campaigns.claim(S0.plusSeconds(60), S0.plusSeconds(120), 1).get(0);
    Instant sentAt = S0.plusSeconds(61).plusNanos(123_456_789);

    assertThat(campaigns.settle(lapsed, lapsed.sent(sentAt))).as("a lapsed claim").isFalse();
    assertThat(campaigns.settle(current, current.sent(sentAt))).isTrue();
    assertThat(campaigns.settle(current, current.failed(sentAt, "late"))).as("settled already").isFalse();

    OutboxMessage sent = campaigns.outbox("run-1", 0).orElseThrow();
    assertThat(sent.status()).isEqualTo(OutboxMessage.Status.SENT);
    assertThat(sent.message()).isEqualTo(due("run-1", 0, ANN_EMAIL, sentAt));
    assertThat(sent.leasedUntil()).isEmpty();
    assertThat(sent.claims()).isEqualTo(2);
    assertThat(campaigns.claim(S0.plusSeconds(3600), S0.plusSeconds(3700), 10)).isEmpty();
  }

  @Test
  void a_failed_attempt_puts_the_entry_off_until_it_is_due_again_and_counts_it() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.enqueue(due("run-1", 0, ANN_EMAIL, S0));
    OutboxMessage claimed = campaigns.claim(S0, S0.plusSeconds(300), 1).get(0);

    assertThat(campaigns.settle(claimed, claimed.retry(S0.plusSeconds(60), "java.io.IOException: timeout"))).isTrue();

    OutboxMessage waiting = campaigns.outbox("run-1", 0).orElseThrow();
    assertThat(waiting.status()).isEqualTo(OutboxMessage.Status.PENDING);
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.due()).isEqualTo(S0.plusSeconds(60));
    assertThat(waiting.leasedUntil()).isEmpty();
    assertThat(waiting.lastFailure()).contains("java.io.IOException: timeout");
    assertThat(campaigns.claim(S0.plusSeconds(59), S0.plusSeconds(359), 1)).as("not due yet, lease or none").isEmpty();
    OutboxMessage second = campaigns.claim(S0.plusSeconds(60), S0.plusSeconds(360), 1).get(0);
    assertThat(second.attempts()).isEqualTo(1);
    assertThat(campaigns.settle(second, second.failed(S0.plusSeconds(61), "java.io.IOException: refused"))).isTrue();
    OutboxMessage failed = campaigns.outbox("run-1", 0).orElseThrow();
    assertThat(failed.status()).isEqualTo(OutboxMessage.Status.FAILED);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(failed.message().at()).isEqualTo(S0.plusSeconds(61));
    assertThat(failed.lastFailure()).contains("java.io.IOException: refused");
  }

  @Test
  void forget_drops_pending_messages_to_the_identifier_readdresses_the_rest_and_scrubs_failure_texts() {
    CampaignStore campaigns = newStore().campaigns();
    campaigns.enqueue(due("run-1", 0, ANN_EMAIL, S0));
    campaigns.enqueue(due("run-2", 0, ANN_EMAIL, S0));
    campaigns.enqueue(due("run-3", 1, ANN_PHONE, S0));
    OutboxMessage claimed = campaigns.claim(S0, S0.plusSeconds(60), 1).get(0);
    campaigns.settle(claimed, claimed.sent(S0));
    OutboxMessage phone = campaigns.claim(S0, S0.plusSeconds(60), 10).stream()
        .filter(e -> e.key().equals("run-3:1")).findFirst().orElseThrow();
    campaigns.settle(phone, phone.retry(S0.plusSeconds(60), "rejected: ann@example.com is on a block list"));

    campaigns.forget(ANN_EMAIL);
    campaigns.forget(ANN_EMAIL);

    assertThat(campaigns.outbox("run-1", 0)).hasValueSatisfying(e -> {
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.SENT);
      assertThat(e.message().to()).isEqualTo(CampaignStore.FORGOTTEN);
    });
    assertThat(campaigns.outbox("run-2", 0)).hasValueSatisfying(e -> {
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.DROPPED);
      assertThat(e.message().to()).isEqualTo(CampaignStore.FORGOTTEN);
      assertThat(e.lastFailure()).contains(CampaignStore.RECIPIENT_FORGOTTEN);
    });
    assertThat(campaigns.outbox("run-3", 1)).hasValueSatisfying(e -> {
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.PENDING);
      assertThat(e.message().to()).isEqualTo(ANN_PHONE);
      assertThat(e.lastFailure()).contains("rejected: forgotten is on a block list");
    });
    assertThat(campaigns.claim(S0.plusSeconds(600), S0.plusSeconds(700), 10)).extracting(OutboxMessage::key)
        .containsExactly("run-3:1");
  }

  // --- watched carts ---

  @Test
  void watched_carts_keep_the_order_first_noted_and_noting_again_changes_nothing() {
    CampaignStore campaigns = newStore().campaigns();
    ProfileId carl = ProfileId.of("p-3");
    campaigns.watchCart(BOB);
    campaigns.watchCart(ANN);
    campaigns.watchCart(BOB);
    campaigns.watchCart(carl);
    assertThat(campaigns.watchedCarts()).containsExactly(BOB, ANN, carl);

    campaigns.unwatchCart(BOB);
    campaigns.unwatchCart(ProfileId.of("p-404"));
    assertThat(campaigns.watchedCarts()).containsExactly(ANN, carl);
    campaigns.watchCart(BOB);
    assertThat(campaigns.watchedCarts()).containsExactly(ANN, carl, BOB);
  }

  // --- forget ---

  @Test
  void forget_drops_the_touchpoint_attributes_holding_the_value_in_any_case() {
    EventStore events = newStore().events();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("url", "/checkout");
    attributes.put("contact", "Mail: ANN@Example.com!");
    attributes.put("ann@example.com", "as a name");
    attributes.put("note", "bob@example.com");
    attributes.put("friend", "joann@example.com");
    attributes.put("long", "ann@example.community");
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, attributes));
    events.appendTouchpoint(BOB, touchpoint("evt-2", T0, Map.of("note", "bob@example.com")));
    events.appendTouchpoint(ANN, touchpoint("evt-3", T0, Map.of("email", "ann@example.com")));

    events.forget(ANN_EMAIL);
    events.forget(ANN_EMAIL);

    assertThat(events.touchpoints(ANN)).containsExactly(
        touchpoint("evt-1", T0, Map.of("url", "/checkout", "note", "bob@example.com", "friend", "joann@example.com",
            "long", "ann@example.community")),
        touchpoint("evt-3", T0, Map.of()));
    assertThat(events.touchpoints(BOB)).containsExactly(touchpoint("evt-2", T0, Map.of("note", "bob@example.com")));
  }

  @Test
  void forget_drops_a_short_value_only_where_it_stands_as_a_whole_word() {
    EventStore events = newStore().events();
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, Map.of("price", "1299", "account", "42", "ref", "acc-42/x",
        "sku", "SKU-421")));

    events.forget(Identifier.account("42"));

    assertThat(events.touchpoints(ANN)).containsExactly(touchpoint("evt-1", T0, Map.of("price", "1299",
        "sku", "SKU-421")));
  }

  @Test
  void forget_readdresses_the_messages_sent_to_the_identifier_and_keeps_the_rest_of_the_run() {
    CampaignStore campaigns = newStore().campaigns();
    CampaignRun bare = run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING);
    Message email = message(bare, "email", ANN_EMAIL, 0, T0);
    Message sms = message(bare, "sms", ANN_PHONE, 1, T0.plusSeconds(86_400));
    CampaignRun sent = new CampaignRun("run-1", ANN, bare.steps(), bare.text(), "PROMO-1", T0,
        CampaignRun.State.RUNNING, 1, sms.at(), true, List.of(email, sms), Optional.empty(), Optional.empty(),
        Optional.empty());
    CampaignRun other = run("run-2", BOB, "PROMO-2", CampaignRun.State.RUNNING);
    campaigns.save(sent);
    campaigns.save(other);

    campaigns.forget(ANN_EMAIL);
    campaigns.forget(ANN_EMAIL);

    CampaignRun kept = campaigns.find("run-1").orElseThrow();
    assertThat(kept.messages()).extracting(Message::to).containsExactly(CampaignStore.FORGOTTEN, ANN_PHONE);
    assertThat(kept.messages().get(0).at()).isEqualTo(T0);
    assertThat(kept.messages().get(0).step()).isZero();
    assertThat(kept).isEqualTo(CampaignStore.withoutIdentifier(sent, ANN_EMAIL));
    assertThat(campaigns.find("run-2")).contains(other);
    assertThat(campaigns.running()).extracting(CampaignRun::id).containsExactly("run-1", "run-2");
  }
}
