package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.Pruned;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import java.time.Duration;
import java.time.Instant;
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
}
