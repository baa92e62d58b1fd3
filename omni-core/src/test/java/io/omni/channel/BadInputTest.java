package io.omni.channel;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidEventException;
import io.omni.Omni;
import io.omni.UnknownChannelException;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BadInputTest {
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier BOB = Identifier.email("bob@example.com");
  private static final Identifier NEWCOMER = Identifier.phone("+79169999999");

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false).build();

  private ChannelEvent.Builder event(String channel, String id, EventType type) {
    return ChannelEvent.builder(channel).id(id).at(clock.instant()).type(type);
  }

  /** Asserts that the failed ingest stored nothing: no identity, no journey, the event id still free. */
  private void assertNothingStored(Identities.Stats before, String eventId, Identifier... identifiers) {
    assertThat(omni.identities().stats()).isEqualTo(before);
    for (Identifier identifier : identifiers) {
      assertThat(omni.identities().resolve(identifier)).isEmpty();
    }
    assertThat(omni.store().events().processed(eventId)).isFalse();
  }

  @Test
  void an_event_with_no_identifiers_is_refused_naming_the_event_and_nothing_is_stored() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("web", "e-1", EventType.PAGE_VIEW).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-1");
          assertThat(e.problem()).contains("no identifiers");
        });
    assertNothingStored(before, "e-1");
  }

  @Test
  void an_event_from_an_unknown_channel_is_refused_naming_the_channel_and_nothing_is_stored() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("pigeon", "e-1", EventType.CHAT_MESSAGE).identifiers(NEWCOMER).build()))
        .isInstanceOfSatisfying(UnknownChannelException.class, e -> assertThat(e.channel()).isEqualTo("pigeon"));
    assertNothingStored(before, "e-1", NEWCOMER);
  }

  @Test
  void a_negative_quantity_is_refused_naming_the_line_and_nothing_is_stored() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("web", "e-1", EventType.CART_ADD).identifiers(NEWCOMER)
        .line(LineKey.of("SKU-1"), 1).line(LineKey.of("SKU-2"), -3).build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("e-1")
        .hasMessageContaining("SKU-2")
        .hasMessageContaining("-3");
    assertNothingStored(before, "e-1", NEWCOMER);
  }

  @Test
  void an_order_from_further_in_the_future_than_max_drift_is_refused_before_anything_is_stored() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(ChannelEvent.builder("pos").id("e-1").at(clock.instant().plusSeconds(3600))
        .type(EventType.ORDER).identifiers(NEWCOMER).attribute("order", "o-1").line(LineKey.of("SKU-1"), 1).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-1");
          assertThat(e.problem()).contains("maxDrift");
        });
    assertNothingStored(before, "e-1", NEWCOMER);
  }

  @Test
  void a_blank_event_id_is_refused() {
    assertThatThrownBy(() -> omni.ingest(event("web", " ", EventType.PAGE_VIEW).identifiers(NEWCOMER).build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("needs an id");
    assertThat(omni.identities().resolve(NEWCOMER)).isEmpty();
  }

  @Test
  void lines_on_an_event_that_carries_none_are_refused() {
    assertThatThrownBy(() -> omni.ingest(event("web", "e-1", EventType.PAGE_VIEW).identifiers(NEWCOMER)
        .line(LineKey.of("SKU-1"), 1).build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("PAGE_VIEW");
  }

  @Test
  void a_promo_code_of_another_customers_run_is_refused_and_the_run_keeps_running() {
    ProfileId ann = omni.identities().link("web", ANN);
    ProfileId bob = omni.identities().link("web", BOB);
    CampaignRun annsRun = omni.campaigns().start(Cascade.of(step("email", ofHours(24))), ann, "Spring sale");
    omni.campaigns().advance(clock.instant());
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("viber", "e-1", EventType.PROMO_REDEEMED)
        .identifiers(BOB, NEWCOMER).attribute("code", annsRun.promoCode()).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-1");
          assertThat(e.problem()).contains(annsRun.promoCode()).contains("another customer");
        });

    assertNothingStored(before, "e-1", NEWCOMER);
    assertThat(omni.journeys().of(bob)).isEmpty();
    assertThat(omni.campaigns().run(annsRun.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
  }

  @Test
  void a_promo_code_of_no_run_is_refused() {
    omni.identities().link("web", ANN);

    assertThatThrownBy(() -> omni.ingest(event("web", "e-1", EventType.PROMO_REDEEMED)
        .identifiers(ANN).attribute("code", "FAKE-CODE").build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("FAKE-CODE")
        .hasMessageContaining("no campaign run");
  }

  @Test
  void a_consent_event_needs_a_true_or_false_decision() {
    assertThatThrownBy(() -> omni.ingest(event("sms", "e-1", EventType.CONSENT).identifiers(NEWCOMER)
        .attribute("granted", "maybe").build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("'granted'");
    assertThat(omni.identities().resolve(NEWCOMER)).isEmpty();
  }

  @Test
  void one_bad_event_in_a_batch_refuses_the_whole_batch() {
    List<ChannelEvent> batch = List.of(
        event("web", "b-1", EventType.PAGE_VIEW).identifiers(NEWCOMER).build(),
        event("web", "b-2", EventType.CART_ADD).identifiers(NEWCOMER).line(LineKey.of("SKU-1"), 0).build());
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingestAll(batch)).isInstanceOf(InvalidEventException.class).hasMessageContaining("b-2");
    assertNothingStored(before, "b-1", NEWCOMER);
  }

  @Test
  void an_event_of_nothing_but_junk_in_a_batch_is_refused_before_anything_is_stored() {
    Identifier zeroIdfa = Identifier.device("00000000-0000-0000-0000-000000000000");
    List<ChannelEvent> batch = List.of(
        event("web", "j-1", EventType.PAGE_VIEW).identifiers(NEWCOMER).build(),
        event("app", "j-2", EventType.PAGE_VIEW).identifiers(zeroIdfa).build());
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingestAll(batch))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("j-2");
          assertThat(e.problem()).contains("blocked");
        });
    assertNothingStored(before, "j-1", NEWCOMER);
  }

  @Test
  void consent_for_an_unknown_channel_is_refused() {
    ProfileId ann = omni.identities().link("web", ANN);

    assertThatThrownBy(() -> omni.consent(ann, "pigeon", false))
        .isInstanceOf(UnknownChannelException.class)
        .hasMessageContaining("pigeon");
  }

  @Test
  void a_promo_code_redeemed_as_the_code_of_another_run_is_refused() {
    ProfileId ann = omni.identities().link("web", ANN);
    CampaignRun first = omni.campaigns().start(Cascade.of(step("email", ofHours(24))), ann, "Spring sale");
    CampaignRun second = omni.campaigns().start(Cascade.of(step("email", ofHours(24))), ann, "Summer sale");

    assertThatThrownBy(() -> omni.ingest(event("web", "e-1", EventType.PROMO_REDEEMED).identifiers(ANN)
        .attribute("code", first.promoCode()).attribute("run", second.id()).build()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(first.promoCode())
        .hasMessageContaining(second.id());
    assertThat(omni.campaigns().run(first.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
    assertThat(omni.journeys().of(ann)).isEmpty();
  }
}
