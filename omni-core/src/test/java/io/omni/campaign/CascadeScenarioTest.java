package io.omni.campaign;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.UnknownCampaignRunException;
import io.omni.UnknownChannelException;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.testing.TestClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CascadeScenarioTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Cascade EMAIL_SMS_VIBER =
      Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)), step("viber", ofHours(24)));

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final List<Message> delivered = new ArrayList<>();
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false)
      .sender("email", delivered::add)
      .sender("sms", delivered::add)
      .sender("viber", delivered::add)
      .build();

  private ProfileId ann(Identifier... ids) {
    return omni.ingest(ChannelEvent.builder("web").id("login-" + ids.length).at(clock.instant())
        .identifiers(ids).type(EventType.LOGIN).build());
  }

  private List<Message> advanceBy(int hours) {
    return omni.campaigns().advance(clock.advance(ofHours(hours)));
  }

  @Test
  void email_then_sms_then_viber_with_24h_windows_converts_on_a_promo_redeemed_in_viber_and_sends_nothing_after() {
    ProfileId ann = ann(EMAIL, PHONE);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Your favourite SKU-1 is 30% off");

    assertThat(advanceBy(0)).extracting(Message::channel, Message::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple("email", EMAIL));
    assertThat(advanceBy(23)).isEmpty();
    assertThat(advanceBy(1)).extracting(Message::channel).containsExactly("sms");
    assertThat(advanceBy(24)).extracting(Message::channel, Message::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple("viber", PHONE));

    clock.advance(ofHours(3));
    omni.ingest(ChannelEvent.builder("viber").id("evt-9").at(clock.instant()).identifiers(PHONE)
        .type(EventType.PROMO_REDEEMED).attribute("code", run.promoCode()).build());

    CampaignRun done = omni.campaigns().run(run.id());
    assertThat(done.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(done.convertedVia()).contains("viber");
    assertThat(done.convertedStep()).contains(2);
    assertThat(advanceBy(24)).isEmpty();
    assertThat(advanceBy(240)).isEmpty();
    assertThat(delivered).extracting(Message::channel).containsExactly("email", "sms", "viber");
    assertThat(delivered).allSatisfy(m -> {
      assertThat(m.promoCode()).isEqualTo(run.promoCode());
      assertThat(m.runId()).isEqualTo(run.id());
      assertThat(m.text()).isEqualTo("Your favourite SKU-1 is 30% off");
    });
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::type).containsExactly(EventType.LOGIN,
        EventType.MESSAGE_SENT, EventType.MESSAGE_SENT, EventType.MESSAGE_SENT, EventType.PROMO_REDEEMED);
    assertThat(omni.journeys().channelStats(ann).byChannel().get("viber").converted()).isEqualTo(1);
  }

  @Test
  void purchase_by_phone_stops_the_running_cascade() {
    ProfileId ann = ann(EMAIL, PHONE);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");
    advanceBy(0);
    advanceBy(24);

    clock.advance(ofHours(2));
    omni.ingest(ChannelEvent.builder("call-center").id("evt-10").at(clock.instant())
        .identifiers(PHONE, EMAIL).type(EventType.ORDER).attribute("order", "o-17")
        .line(LineKey.of("SKU-1"), 2).build());

    CampaignRun done = omni.campaigns().run(run.id());
    assertThat(done.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(done.convertedVia()).contains("sms");
    assertThat(done.convertedStep()).contains(1);
    assertThat(done.conversion()).map(CampaignRun.Conversion::eventId).contains("evt-10");
    assertThat(advanceBy(48)).isEmpty();
    assertThat(delivered).extracting(Message::channel).containsExactly("email", "sms");
  }

  @Test
  void an_order_placed_before_the_run_started_does_not_convert_it() {
    ProfileId ann = ann(EMAIL);
    omni.ingest(ChannelEvent.builder("pos").id("old-order").at(clock.instant().minus(ofHours(1)))
        .identifiers(EMAIL).type(EventType.ORDER).build());
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Come back");

    assertThat(advanceBy(0)).hasSize(1);
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
  }

  @Test
  void withdrawn_sms_consent_skips_sms() {
    ProfileId ann = ann(EMAIL, PHONE);
    omni.consent(ann, "sms", false);
    omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");

    assertThat(advanceBy(0)).extracting(Message::channel).containsExactly("email");
    assertThat(advanceBy(24)).extracting(Message::channel).containsExactly("viber");
    assertThat(delivered).extracting(Message::channel).doesNotContain("sms");
  }

  @Test
  void a_customer_reachable_only_by_email_gets_only_email_and_the_run_ends_exhausted() {
    ProfileId ann = ann(EMAIL);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");

    assertThat(advanceBy(0)).extracting(Message::channel).containsExactly("email");
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
    assertThat(advanceBy(24)).isEmpty();

    CampaignRun done = omni.campaigns().run(run.id());
    assertThat(done.state()).isEqualTo(CampaignRun.State.EXHAUSTED);
    assertThat(done.convertedVia()).isEmpty();
    assertThat(done.messages()).extracting(Message::channel).containsExactly("email");
    assertThat(delivered).extracting(Message::channel).containsExactly("email");
  }

  @Test
  void cheapest_first_sorts_the_steps_by_the_cost_of_their_channels() {
    ProfileId ann = ann(EMAIL, PHONE);
    CampaignRun run = omni.campaigns().start(
        Cascade.cheapestFirst(step("sms", ofHours(24)), step("viber", ofHours(24)), step("email", ofHours(24))),
        ann, "Spring sale");

    assertThat(run.steps()).extracting(CascadeStep::channel).containsExactly("email", "viber", "sms");
    advanceBy(0);
    advanceBy(24);
    advanceBy(24);
    assertThat(delivered).extracting(Message::channel).containsExactly("email", "viber", "sms");
  }

  @Test
  void a_sender_that_fails_its_only_attempt_moves_the_cascade_on_to_the_next_step() {
    // one attempt allowed: no retry (DeliveryTest covers retries with backoff)
    Omni failing = Omni.builder().clock(clock).discoverProviders(false).deliveryAttempts(1)
        .sender("email", m -> {
          throw new IllegalStateException("mail server down");
        })
        .sender("sms", delivered::add)
        .build();
    ProfileId ann = failing.identities().link("web", EMAIL, PHONE);
    CampaignRun run = failing.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");

    assertThat(failing.campaigns().advance(clock.instant())).extracting(Message::channel).containsExactly("sms");
    assertThat(failing.campaigns().run(run.id()).messages()).extracting(Message::channel).containsExactly("sms");
    assertThat(failing.campaigns().run(run.id()).failures()).singleElement().satisfies(f -> {
      assertThat(f.step()).isZero();
      assertThat(f.channel()).isEqualTo("email");
      assertThat(f.reason()).contains("mail server down");
    });
  }

  @Test
  void a_channel_without_a_sender_hands_its_messages_to_the_caller() {
    Omni noSenders = Omni.builder().clock(clock).discoverProviders(false).build();
    ProfileId ann = noSenders.identities().link("web", EMAIL);
    noSenders.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");

    assertThat(noSenders.campaigns().advance(clock.instant())).extracting(Message::channel).containsExactly("email");
  }

  @Test
  void starting_a_cascade_over_an_unknown_or_silent_channel_is_refused() {
    ProfileId ann = ann(EMAIL);

    assertThatThrownBy(() -> omni.campaigns().start(Cascade.of(step("pigeon", ofHours(1))), ann, "hi"))
        .isInstanceOf(UnknownChannelException.class)
        .hasMessageContaining("pigeon");
    assertThatThrownBy(() -> omni.campaigns().start(Cascade.of(step("web", ofHours(1))), ann, "hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("web");
    assertThat(omni.campaigns().runs(ann)).isEmpty();
    assertThatThrownBy(() -> omni.campaigns().run("run-nope"))
        .isInstanceOf(UnknownCampaignRunException.class)
        .hasMessageContaining("run-nope");
  }

  @Test
  void runs_follow_a_profile_into_the_profile_it_merges_into() {
    ProfileId byEmail = ann(EMAIL);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, byEmail, "Spring sale");
    advanceBy(0);
    ProfileId byPhone = omni.identities().link("app", PHONE);

    ProfileId merged = omni.identities().link("app", PHONE, EMAIL);
    clock.advance(ofHours(1));
    omni.ingest(ChannelEvent.builder("viber").id("redeem").at(clock.instant()).identifiers(PHONE)
        .type(EventType.PROMO_REDEEMED).attribute("code", run.promoCode()).build());

    assertThat(merged).isIn(byEmail, byPhone);
    assertThat(omni.campaigns().runs(byPhone)).extracting(CampaignRun::id).containsExactly(run.id());
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(omni.campaigns().run(run.id()).convertedVia()).contains("viber");
    assertThat(omni.campaigns().run(run.id()).convertedStep()).contains(0);
  }

  @Test
  void a_cancelled_run_sends_nothing_more() {
    ProfileId ann = ann(EMAIL, PHONE);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS_VIBER, ann, "Spring sale");
    advanceBy(0);

    CampaignRun cancelled = omni.campaigns().cancel(run.id());

    assertThat(cancelled.state()).isEqualTo(CampaignRun.State.CANCELLED);
    assertThat(advanceBy(24)).isEmpty();
    assertThat(advanceBy(24)).isEmpty();
    assertThat(omni.campaigns().cancel(run.id())).isEqualTo(cancelled);
    assertThat(delivered).extracting(Message::channel).containsExactly("email");
  }
}
