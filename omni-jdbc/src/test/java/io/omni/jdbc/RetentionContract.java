package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.Pruned;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.campaign.CascadeStep;
import io.omni.UnknownCampaignRunException;
import io.omni.cart.LineKey;
import io.omni.channel.Message;
import io.omni.spi.CampaignStore;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention on every store: processed event ids kept for the {@code processedEventRetention}, and
 * journeys bounded by age and by count per profile, pruned by {@code omni.prune(now)} — pinned at
 * the SPI and through the facade. Subclassed for the in-memory store and once per database.
 */
abstract class RetentionContract {
  static final ProfileId ANN = ProfileId.of("p-1");
  static final ProfileId BOB = ProfileId.of("p-2");
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00.123456789Z");
  static final Identifier COOKIE = Identifier.cookie("c-81");

  final TestClock clock = new TestClock();

  /** A fresh, empty store; the subclass closes what it opened after the test. */
  abstract OmniStore newStore();

  static Touchpoint touchpoint(String eventId, Instant at) {
    return Touchpoint.of(eventId, "web", EventType.PAGE_VIEW, at, Map.of());
  }

  private ChannelEvent pageView(String id, Instant at) {
    return ChannelEvent.builder("web").id(id).at(at).identifiers(COOKIE).type(EventType.PAGE_VIEW).build();
  }

  private static List<String> eventIds(List<Touchpoint> journey) {
    return journey.stream().map(Touchpoint::eventId).toList();
  }

  // --- the SPI ---

  @Test
  void processed_marks_made_before_the_instant_are_forgotten_and_the_rest_kept() {
    EventStore events = newStore().events();
    events.markProcessed("evt-old", T0.minusSeconds(60));
    events.markProcessed("evt-edge", T0);
    events.markProcessed("evt-new", T0.plusSeconds(60));

    assertThat(events.pruneProcessed(T0)).isEqualTo(1);

    assertThat(events.processed("evt-old")).isFalse();
    assertThat(events.processed("evt-edge")).isTrue();
    assertThat(events.processed("evt-new")).isTrue();
    assertThat(events.pruneProcessed(T0)).isZero();
    assertThat(events.markProcessed("evt-old", T0.plusSeconds(120))).as("a pruned id is new again").isTrue();
  }

  @Test
  void touchpoints_that_happened_before_the_instant_leave_every_journey() {
    EventStore events = newStore().events();
    events.appendTouchpoint(ANN, touchpoint("a-new", T0.plusSeconds(5)));
    events.appendTouchpoint(ANN, touchpoint("a-old", T0.minusSeconds(3600)));
    events.appendTouchpoint(ANN, touchpoint("a-edge", T0));
    events.appendTouchpoint(ANN, touchpoint("a-just-before", T0.minusNanos(1)));
    events.appendTouchpoint(BOB, touchpoint("b-old", T0.minusSeconds(1)));

    assertThat(events.pruneTouchpoints(T0)).isEqualTo(3);

    assertThat(eventIds(events.touchpoints(ANN))).containsExactly("a-new", "a-edge");
    assertThat(events.touchpoints(BOB)).isEmpty();
    assertThat(events.holding(List.of(ANN, BOB))).as("an emptied journey holds nothing to carry").containsExactly(ANN);
    assertThat(events.pruneTouchpoints(T0)).isZero();
  }

  @Test
  void each_journey_keeps_its_latest_touchpoints_in_append_order() {
    EventStore events = newStore().events();
    events.appendTouchpoint(ANN, touchpoint("a-3", T0.plusSeconds(3)));
    events.appendTouchpoint(ANN, touchpoint("a-1", T0.plusSeconds(1)));   // delivered late
    events.appendTouchpoint(ANN, touchpoint("a-4", T0.plusSeconds(4)));
    events.appendTouchpoint(ANN, touchpoint("a-2", T0.plusSeconds(2)));
    events.appendTouchpoint(ANN, touchpoint("a-4-again", T0.plusSeconds(4))); // same instant, appended later
    events.appendTouchpoint(BOB, touchpoint("b-1", T0));
    events.appendTouchpoint(BOB, touchpoint("b-2", T0.plusSeconds(1)));

    assertThat(events.keepLatestTouchpoints(2)).isEqualTo(3);

    assertThat(eventIds(events.touchpoints(ANN))).containsExactly("a-4", "a-4-again");
    assertThat(eventIds(events.touchpoints(BOB))).containsExactly("b-1", "b-2");
    assertThat(events.keepLatestTouchpoints(1)).isEqualTo(2);
    assertThat(eventIds(events.touchpoints(ANN))).containsExactly("a-4-again");
    assertThat(eventIds(events.touchpoints(BOB))).containsExactly("b-2");
    // what is left still grows by appends in order
    events.appendTouchpoint(ANN, touchpoint("a-5", T0.plusSeconds(5)));
    assertThat(eventIds(events.touchpoints(ANN))).containsExactly("a-4-again", "a-5");
    assertThatThrownBy(() -> events.keepLatestTouchpoints(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("perProfile must not be negative, was -1");
  }

  // --- through the facade ---

  private Omni omni(Omni.Builder settings) {
    return settings.store(newStore()).clock(clock).discoverProviders(false).build();
  }

  @Test
  void a_redelivery_inside_the_processed_event_retention_is_a_no_op() {
    Omni omni = omni(Omni.builder().processedEventRetention(Duration.ofDays(7)));
    ChannelEvent view = pageView("evt-1", clock.instant());
    ProfileId ann = omni.ingest(view);

    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(omni.prune(clock.instant())).isEqualTo(new Pruned(0, 0));

    assertThat(omni.ingestAll(List.of(view))).as("events applied by the redelivery").isZero();
    assertThat(omni.ingest(view)).isEqualTo(ann);
    assertThat(eventIds(omni.journeys().of(ann))).containsExactly("evt-1");
  }

  @Test
  void a_redelivery_past_the_processed_event_retention_is_applied_again() {
    Omni omni = omni(Omni.builder().processedEventRetention(Duration.ofDays(7)));
    // a back-fill: the horizon counts from when the event was processed, not from when it happened
    ChannelEvent old = pageView("evt-old", clock.instant().minus(Duration.ofDays(365)));
    ChannelEvent recent = pageView("evt-recent", clock.instant());
    omni.ingestAll(List.of(old));
    clock.advance(Duration.ofDays(3));
    ProfileId ann = omni.ingest(recent);

    clock.advance(Duration.ofDays(5)); // old was processed 8 days ago, recent 5
    assertThat(omni.prune(clock.instant())).isEqualTo(new Pruned(1, 0));

    assertThat(omni.store().events().processed("evt-old")).isFalse();
    assertThat(omni.ingestAll(List.of(old, recent))).as("events applied by the redelivery").isEqualTo(1);
    assertThat(omni.store().events().processed("evt-old")).isTrue();
    assertThat(omni.identities().resolve(COOKIE)).contains(ann);
  }

  @Test
  void prune_bounds_journeys_by_age_and_by_count_per_profile_and_keeps_orders() {
    Omni omni = omni(Omni.builder().journeyRetention(Duration.ofDays(30)).journeyLimit(3));
    Instant now = clock.instant();
    ProfileId ann = omni.ingest(pageView("evt-40d", now.minus(Duration.ofDays(40))));
    for (int day = 5; day >= 1; day--) {
      omni.ingest(pageView("evt-" + day + "d", now.minus(Duration.ofDays(day))));
    }
    omni.ingest(ChannelEvent.builder("call-center").id("evt-order").at(now.minus(Duration.ofDays(45)))
        .identifiers(COOKIE).type(EventType.ORDER).attribute("order", "o-1").build());
    ProfileId bob = omni.ingest(ChannelEvent.builder("web").id("evt-bob").at(now)
        .identifiers(Identifier.cookie("c-82")).type(EventType.PAGE_VIEW).build());

    Pruned pruned = omni.prune(now);

    // by age: the 40- and 45-day-old touchpoints; by count: the 5- and 4-day-old ones
    assertThat(pruned).isEqualTo(new Pruned(0, 4));
    assertThat(eventIds(omni.journeys().of(ann))).containsExactly("evt-3d", "evt-2d", "evt-1d");
    assertThat(eventIds(omni.journeys().of(bob))).containsExactly("evt-bob");
    assertThat(omni.journeys().orders(ann)).extracting(o -> o.id()).containsExactly("o-1");
    assertThat(omni.prune(now)).isEqualTo(new Pruned(0, 0));
  }

  @Test
  void without_journey_settings_prune_keeps_every_touchpoint() {
    Omni omni = omni(Omni.builder());
    ProfileId ann = omni.ingest(pageView("evt-1", clock.instant().minus(Duration.ofDays(3650))));
    clock.advance(Duration.ofDays(29));
    assertThat(omni.prune(clock.instant())).isEqualTo(new Pruned(0, 0));
    clock.advance(Duration.ofDays(2));
    assertThat(omni.prune(clock.instant())).as("the 30-day default").isEqualTo(new Pruned(1, 0));
    assertThat(eventIds(omni.journeys().of(ann))).containsExactly("evt-1");
  }

  // --- ended campaign runs ---

  private static final Identifier ANN_EMAIL = Identifier.email("ann@example.com");
  private static final Identifier BOB_EMAIL = Identifier.email("bob@example.com");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(CascadeStep.step("email", Duration.ofHours(24)),
      CascadeStep.step("sms", Duration.ofHours(24)));

  @Test
  void an_ended_run_leaves_with_its_outbox_after_the_campaign_retention_and_a_running_one_stays() {
    List<Message> sent = new ArrayList<>();
    Omni omni = omni(Omni.builder().campaignRetention(Duration.ofDays(30)).sender("email", sent::add)
        .sender("sms", sent::add));
    ProfileId ann = omni.identities().link("web", ANN_EMAIL);
    ProfileId bob = omni.identities().link("web", BOB_EMAIL);
    CampaignRun annRun = omni.campaigns().start(EMAIL_THEN_SMS, ann, "Spring sale");
    CampaignRun bobRun = omni.campaigns().start(EMAIL_THEN_SMS, bob, "Spring sale");
    Instant t0 = clock.instant();
    assertThat(omni.campaigns().advance(t0)).hasSize(2);
    clock.advance(Duration.ofHours(1));
    Instant ended = omni.campaigns().cancel(annRun.id()).endedAt().orElseThrow();
    CampaignStore runs = omni.store().campaigns();
    assertThat(runs.outbox(annRun.id(), 0)).isPresent();

    assertThat(omni.prune(ended.plus(Duration.ofDays(30)))).as("ended exactly 30 days ago: kept")
        .isEqualTo(new Pruned(0, 0, 0, 0));
    assertThat(omni.prune(ended.plus(Duration.ofDays(30)).plusMillis(1))).isEqualTo(new Pruned(0, 0, 0, 1));

    assertThatThrownBy(() -> omni.campaigns().run(annRun.id())).isInstanceOf(UnknownCampaignRunException.class);
    assertThat(runs.outbox(annRun.id(), 0)).isEmpty();
    assertThat(runs.byPromoCode(annRun.promoCode())).isEmpty();
    assertThat(omni.campaigns().runs(ann)).isEmpty();
    // Bob's run never ended, however old: it and the entry that keeps its email from going out again stay
    assertThat(omni.campaigns().run(bobRun.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
    assertThat(runs.outbox(bobRun.id(), 0)).isPresent();
    assertThat(omni.prune(ended.plus(Duration.ofDays(365)))).isEqualTo(new Pruned(0, 0, 0, 0));
    omni.campaigns().advance(ended.plus(Duration.ofDays(365)));
    assertThat(sent).extracting(Message::idempotencyKey).containsOnlyOnce(bobRun.id() + ":0");
  }

  @Test
  void an_abandoned_cart_is_not_reminded_of_again_once_its_reminder_was_pruned() {
    List<Message> sent = new ArrayList<>();
    Omni omni = omni(Omni.builder().campaignRetention(Duration.ofDays(10)).sender("email", sent::add)
        .abandonedCarts(AbandonedCartPolicy.after(Duration.ofHours(2),
            Cascade.of(CascadeStep.step("email", Duration.ofHours(24))), "Still thinking?")));
    Instant t0 = clock.instant();
    omni.ingest(ChannelEvent.builder("web").id("ann-cart").at(t0).identifiers(ANN_EMAIL)
        .type(EventType.CART_ADD).line(LineKey.of("SKU-1"), 1).build());
    omni.campaigns().advance(t0.plus(Duration.ofHours(3)));
    omni.campaigns().advance(t0.plus(Duration.ofHours(4)));
    omni.campaigns().advance(t0.plus(Duration.ofDays(2)));
    assertThat(sent).hasSize(1);
    ProfileId ann = omni.identities().resolve(ANN_EMAIL).orElseThrow();
    assertThat(omni.campaigns().runs(ann)).singleElement()
        .satisfies(run -> assertThat(run.state()).isEqualTo(CampaignRun.State.EXHAUSTED));

    Instant later = t0.plus(Duration.ofDays(13));
    assertThat(omni.prune(later).campaignRuns()).isEqualTo(1);
    omni.campaigns().advance(later);
    omni.campaigns().advance(later.plus(Duration.ofDays(2)));

    assertThat(omni.campaigns().runs(ann)).as("no second reminder of the same cart change").isEmpty();
    assertThat(sent).hasSize(1);
    // a change to the cart is a new change, reminded of as usual
    clock.set(later);
    omni.ingest(ChannelEvent.builder("web").id("ann-cart-2").at(later).identifiers(ANN_EMAIL)
        .type(EventType.CART_ADD).line(LineKey.of("SKU-2"), 1).build());
    omni.campaigns().advance(later.plus(Duration.ofHours(3)));
    omni.campaigns().advance(later.plus(Duration.ofHours(4)));
    assertThat(sent).hasSize(2);
  }

  @Test
  void a_campaign_retention_of_ages_prunes_no_run_and_fails_nothing() {
    Omni omni = omni(Omni.builder().campaignRetention(Duration.ofSeconds(Long.MAX_VALUE)).sender("email", m -> { })
        .sender("sms", m -> { }));
    ProfileId ann = omni.identities().link("web", ANN_EMAIL);
    CampaignRun run = omni.campaigns().cancel(omni.campaigns().start(EMAIL_THEN_SMS, ann, "Spring sale").id());

    assertThat(omni.prune(clock.instant().plus(Duration.ofDays(3650))).campaignRuns()).isZero();
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.CANCELLED);
  }
}
