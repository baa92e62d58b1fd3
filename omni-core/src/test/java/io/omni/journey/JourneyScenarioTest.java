package io.omni.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.omni.Omni;
import io.omni.UnknownProfileException;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class JourneyScenarioTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Identifier COOKIE = Identifier.cookie("c-81");
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");

  private final TestClock clock = new TestClock(T0);
  // the journeys below are replayed from a log that runs up to a few hours ahead of the test clock
  private final Omni omni = Omni.builder().clock(clock).maxDrift(java.time.Duration.ofDays(1))
      .discoverProviders(false).build();

  private static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  private static ChannelEvent.Builder event(String channel, String id, int minutes, EventType type, Identifier... ids) {
    return ChannelEvent.builder(channel).id(id).at(t(minutes)).type(type).identifiers(ids);
  }

  @Test
  void journey_across_ad_site_messenger_chat_call_and_order_lands_on_one_profile_in_time_order() {
    // Delivered out of order, as webhooks are: the chat and the call arrive before the web events.
    omni.ingest(event("viber", "e-chat", 30, EventType.CHAT_MESSAGE, PHONE).attribute("text", "is SKU-1 in stock?").build());
    omni.ingest(event("call-center", "e-call", 45, EventType.CALL, PHONE, EMAIL).build());
    omni.ingest(event("web", "e-ad", 0, EventType.AD_CLICK, COOKIE).attribute("campaign", "spring").build());
    omni.ingest(event("web", "e-page", 5, EventType.PAGE_VIEW, COOKIE).attribute("url", "/sku-1").build());
    omni.ingest(event("web", "e-login", 10, EventType.LOGIN, COOKIE, EMAIL).build());
    ProfileId ann = omni.ingest(event("call-center", "e-order", 50, EventType.ORDER, PHONE)
        .attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build());

    assertThat(omni.identities().resolve(COOKIE)).contains(ann);
    assertThat(omni.identities().resolve(PHONE)).contains(ann);
    assertThat(omni.journeys().of(ann))
        .extracting(Touchpoint::eventId, Touchpoint::channel, Touchpoint::type)
        .containsExactly(
            tuple("e-ad", "web", EventType.AD_CLICK),
            tuple("e-page", "web", EventType.PAGE_VIEW),
            tuple("e-login", "web", EventType.LOGIN),
            tuple("e-chat", "viber", EventType.CHAT_MESSAGE),
            tuple("e-call", "call-center", EventType.CALL),
            tuple("e-order", "call-center", EventType.ORDER));
    assertThat(omni.journeys().orders(ann)).singleElement()
        .satisfies(o -> {
          assertThat(o.id()).isEqualTo("o-17");
          assertThat(o.channel()).isEqualTo("call-center");
          assertThat(o.lines()).containsExactly(new OrderLine(LineKey.of("SKU-1"), 2));
        });
  }

  @Test
  void every_id_of_a_merged_profile_reads_the_whole_journey() {
    ProfileId byPhone = omni.ingest(event("viber", "e1", 0, EventType.CHAT_MESSAGE, PHONE).build());
    ProfileId byEmail = omni.ingest(event("email", "e2", 1, EventType.MESSAGE_OPENED, EMAIL).build());
    assertThat(byPhone).isNotEqualTo(byEmail);

    omni.ingest(event("call-center", "e3", 2, EventType.CALL, PHONE, EMAIL).build());

    assertThat(omni.journeys().of(byPhone)).extracting(Touchpoint::eventId).containsExactly("e1", "e2", "e3");
    assertThat(omni.journeys().of(byEmail)).isEqualTo(omni.journeys().of(byPhone));
  }

  @Test
  void the_same_event_delivered_twice_counts_once() {
    ChannelEvent order = event("pos", "e-order", 0, EventType.ORDER, PHONE).line(LineKey.of("SKU-1"), 1).build();
    ProfileId first = omni.ingest(order);
    ProfileId again = omni.ingest(order);
    int appliedInBatch = omni.ingestAll(List.of(order, order));

    assertThat(again).isEqualTo(first);
    assertThat(appliedInBatch).isZero();
    assertThat(omni.journeys().of(first)).hasSize(1);
    assertThat(omni.journeys().orders(first)).hasSize(1);
    assertThat(omni.journeys().channelStats(first).byChannel().get("pos").orders()).isEqualTo(1);
  }

  @Test
  void a_batch_back_fill_is_applied_in_time_order_and_counts_each_new_event() {
    int applied = omni.ingestAll(List.of(
        event("web", "b3", 20, EventType.PAGE_VIEW, COOKIE, EMAIL).build(),
        event("web", "b1", 0, EventType.AD_CLICK, COOKIE).build(),
        event("web", "b2", 10, EventType.PAGE_VIEW, COOKIE).build()));

    assertThat(applied).isEqualTo(3);
    ProfileId ann = omni.identities().resolve(EMAIL).orElseThrow();
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::eventId).containsExactly("b1", "b2", "b3");
  }

  @Test
  void favourites_across_web_and_pos_orders_put_the_most_bought_first() {
    omni.ingest(event("web", "o1", 0, EventType.ORDER, EMAIL)
        .line(LineKey.of("SKU-1"), 1).line(LineKey.of("SKU-2"), 1).build());
    omni.ingest(event("pos", "o2", 60, EventType.ORDER, EMAIL, Identifier.loyaltyCard("L-77"))
        .line(LineKey.of("SKU-1"), 2).line(LineKey.of("SKU-3"), 1).build());
    ProfileId ann = omni.ingest(event("web", "o3", 120, EventType.ORDER, EMAIL).line(LineKey.of("SKU-3"), 1).build());

    assertThat(omni.journeys().orders(ann)).extracting(Order::channel).containsExactly("web", "pos", "web");
    assertThat(omni.journeys().favourites(ann, 2)).containsExactly(LineKey.of("SKU-1"), LineKey.of("SKU-3"));
    assertThat(omni.journeys().favourites(ann, 10))
        .containsExactly(LineKey.of("SKU-1"), LineKey.of("SKU-3"), LineKey.of("SKU-2"));
  }

  @Test
  void last_tells_where_to_resume_the_last_channel_the_open_cart_and_the_last_conversation() {
    omni.ingest(event("web", "a1", 0, EventType.CART_ADD, COOKIE, EMAIL).line(LineKey.of("SKU-1"), 1).build());
    omni.ingest(event("viber", "a2", 5, EventType.CHAT_MESSAGE, PHONE, EMAIL).attribute("text", "delivery?").build());
    ProfileId ann = omni.ingest(event("app", "a3", 9, EventType.PAGE_VIEW, EMAIL).build());

    Journeys.Resume resume = omni.journeys().last(ann);

    assertThat(resume.channel()).contains("app");
    assertThat(resume.openCart()).isTrue();
    assertThat(resume.cartChangedAt()).contains(t(0));
    assertThat(resume.lastConversation()).map(Touchpoint::eventId).contains("a2");
  }

  @Test
  void an_order_in_any_channel_takes_its_lines_out_of_the_cart() {
    omni.ingest(event("web", "c1", 0, EventType.CART_ADD, EMAIL).line(LineKey.of("SKU-1"), 2).build());
    ProfileId ann = omni.ingest(event("call-center", "c2", 10, EventType.ORDER, EMAIL, PHONE)
        .line(LineKey.of("SKU-1"), 2).build());

    assertThat(omni.journeys().last(ann).openCart()).isFalse();
  }

  @Test
  void channel_stats_count_touches_orders_and_messages_and_prefer_the_channel_ordered_in_most() {
    omni.ingest(event("web", "s1", 0, EventType.PAGE_VIEW, EMAIL).build());
    omni.ingest(event("web", "s2", 1, EventType.PAGE_VIEW, EMAIL).build());
    omni.ingest(event("email", "s3", 2, EventType.MESSAGE_OPENED, EMAIL).build());
    ProfileId ann = omni.ingest(event("pos", "s4", 3, EventType.ORDER, EMAIL).line(LineKey.of("SKU-1"), 1).build());

    Journeys.ChannelStats stats = omni.journeys().channelStats(ann);

    assertThat(stats.byChannel()).containsOnlyKeys("web", "email", "pos");
    assertThat(stats.byChannel().get("web")).isEqualTo(new Journeys.Usage(2, 0, 0, 0, 0));
    assertThat(stats.byChannel().get("email")).isEqualTo(new Journeys.Usage(1, 0, 0, 1, 0));
    assertThat(stats.byChannel().get("pos")).isEqualTo(new Journeys.Usage(1, 1, 0, 0, 0));
    assertThat(stats.preferred()).contains("pos");
  }

  @Test
  void consent_is_granted_by_default_and_follows_the_latest_decision_even_when_back_filled() {
    ProfileId ann = omni.ingest(event("web", "k0", 0, EventType.LOGIN, EMAIL, PHONE).build());
    assertThat(omni.hasConsent(ann, "sms")).isTrue();

    omni.ingest(event("sms", "k2", 20, EventType.CONSENT, PHONE).attribute("granted", "false").build());
    omni.ingest(event("sms", "k1", 10, EventType.CONSENT, PHONE).attribute("granted", "true").build());

    assertThat(omni.hasConsent(ann, "sms")).isFalse();
    assertThat(omni.hasConsent(ann, "email")).isTrue();
  }

  @Test
  void the_same_event_delivered_concurrently_counts_once() throws Exception {
    ChannelEvent order = event("web", "race", 0, EventType.ORDER, EMAIL).line(LineKey.of("SKU-1"), 1).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<ProfileId>> deliveries = java.util.Collections.nCopies(16, () -> omni.ingest(order));
      for (Future<ProfileId> delivery : pool.invokeAll(deliveries)) {
        delivery.get();
      }
    } finally {
      pool.shutdownNow();
    }

    ProfileId ann = omni.identities().resolve(EMAIL).orElseThrow();
    assertThat(omni.journeys().orders(ann)).hasSize(1);
    assertThat(omni.journeys().of(ann)).hasSize(1);
  }

  @Test
  void a_refusal_on_a_merged_profile_survives_the_merge() {
    ProfileId byEmail = omni.ingest(event("web", "m1", 0, EventType.LOGIN, EMAIL).build());
    ProfileId byPhone = omni.ingest(event("sms", "m2", 1, EventType.CONSENT, PHONE).attribute("granted", "false").build());

    omni.ingest(event("call-center", "m3", 2, EventType.CALL, EMAIL, PHONE).build());

    assertThat(omni.hasConsent(byEmail, "sms")).isFalse();
    assertThat(omni.hasConsent(byPhone, "sms")).isFalse();
  }

  @Test
  void a_profile_never_issued_has_no_journey() {
    assertThatThrownBy(() -> omni.journeys().of(ProfileId.of("p-404")))
        .isInstanceOf(UnknownProfileException.class)
        .hasMessageContaining("p-404");
  }
}
