package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed story through the facade on a {@link JdbcStore}: a journey across channels, an email →
 * SMS cascade moved on by {@code campaigns().advance(now)}, a cart, an order by phone that converts
 * the run and takes its line out of the cart —
 * with two Omni instances over one database, and erasure of the email from every table after it.
 */
abstract class OmniOnJdbcContract {
  static final Identifier COOKIE = Identifier.cookie("c-81");
  static final Identifier EMAIL = Identifier.email("ann.story-4711@example.com");
  static final Identifier PHONE = Identifier.phone("+79161234567");
  static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  final TestClock clock = new TestClock();
  final List<Message> sentByFirst = new ArrayList<>();
  final List<Message> sentBySecond = new ArrayList<>();
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);
  Omni first;
  Omni second;

  abstract Dialect dialect();

  @BeforeEach
  void twoInstancesOnOneDatabase() {
    first = omni(sentByFirst);
    second = omni(sentBySecond);
  }

  private Omni omni(List<Message> outbox) {
    return Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).clock(clock).discoverProviders(false)
        .sender("email", outbox::add).sender("sms", outbox::add).build();
  }


  private ChannelEvent.Builder event(String channel, String id, EventType type) {
    return ChannelEvent.builder(channel).id(id).at(clock.instant()).type(type);
  }

  /** Ad click, page view, login with the email, a call by phone; on alternating instances. */
  private ProfileId journey() {
    first.ingest(event("web", "evt-1", EventType.AD_CLICK).identifiers(COOKIE).attribute("campaign", "spring").build());
    clock.advance(Duration.ofMinutes(1));
    second.ingest(event("web", "evt-2", EventType.PAGE_VIEW).identifiers(COOKIE).attribute("url", "/p/SKU-1").build());
    clock.advance(Duration.ofMinutes(1));
    first.ingest(event("web", "evt-3", EventType.LOGIN).identifiers(COOKIE, EMAIL)
        .attribute("typed", "Ann.Story-4711@Example.com").build());
    clock.advance(Duration.ofMinutes(1));
    return second.ingest(event("call-center", "evt-4", EventType.CALL).identifiers(PHONE, EMAIL)
        .attribute("note", "asked about SKU-1, mail ann.story-4711@example.com").build());
  }

  @Test
  void a_second_instance_sees_the_journey_orders_and_run_state_of_the_first() {
    ProfileId ann = journey();
    assertThat(first.identities().resolve(COOKIE)).contains(ann);

    first.ingest(event("web", "evt-cart", EventType.CART_ADD).identifiers(COOKIE).line(LineKey.of("SKU-1"), 2)
        .line(LineKey.of("SKU-2"), 1).build());
    assertThat(second.carts().get(ann).quantity(LineKey.of("SKU-1"))).isEqualTo(2);

    CampaignRun run = first.campaigns().start(EMAIL_THEN_SMS, ann, "SKU-1 is 30% off");
    assertThat(first.campaigns().advance(clock.instant())).extracting(Message::channel, Message::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("email", EMAIL));
    clock.advance(ofHours(23));
    assertThat(second.campaigns().advance(clock.instant())).isEmpty();
    clock.advance(ofHours(1));
    assertThat(second.campaigns().advance(clock.instant())).extracting(Message::channel, Message::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sms", PHONE));
    assertThat(first.campaigns().advance(clock.instant())).as("the SMS went out once").isEmpty();

    clock.advance(ofHours(2));
    second.ingest(event("call-center", "evt-5", EventType.ORDER).identifiers(PHONE)
        .attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build());
    assertThat(first.ingest(event("call-center", "evt-5", EventType.ORDER).identifiers(PHONE)
        .attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build())).as("a redelivery").isEqualTo(ann);

    for (Omni omni : List.of(first, second)) {
      CampaignRun done = omni.campaigns().run(run.id());
      assertThat(done.state()).isEqualTo(CampaignRun.State.CONVERTED);
      assertThat(done.convertedVia()).contains("sms");
      assertThat(done.convertedStep()).contains(1);
      assertThat(done.messages()).extracting(Message::channel).containsExactly("email", "sms");
      assertThat(omni.journeys().of(ann)).extracting(Touchpoint::type).containsExactly(EventType.AD_CLICK,
          EventType.PAGE_VIEW, EventType.LOGIN, EventType.CALL, EventType.CART_ADD, EventType.MESSAGE_SENT,
          EventType.MESSAGE_SENT, EventType.ORDER);
      assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-1"))).as("bought by phone").isZero();
      assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-2"))).isEqualTo(1);
      assertThat(omni.journeys().orders(ann)).extracting(Order::id, Order::channel)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("o-17", "call-center"));
      assertThat(omni.campaigns().runs(ann)).extracting(CampaignRun::id).containsExactly(run.id());
    }
    assertThat(first.journeys().of(ann)).isEqualTo(second.journeys().of(ann));
    clock.advance(ofHours(48));
    assertThat(first.campaigns().advance(clock.instant())).isEmpty();
    assertThat(second.campaigns().advance(clock.instant())).isEmpty();
    assertThat(sentByFirst).extracting(Message::channel).containsExactly("email");
    assertThat(sentBySecond).extracting(Message::channel).containsExactly("sms");
  }

  @Test
  void forget_through_omni_leaves_the_email_in_no_column_of_any_omni_table() throws SQLException {
    ProfileId ann = journey();
    first.ingest(event("web", "evt-cart", EventType.CART_ADD).identifiers(COOKIE).line(LineKey.of("SKU-2"), 1).build());
    first.consent(ann, "sms", false);
    CampaignRun run = first.campaigns().start(EMAIL_THEN_SMS, ann, "SKU-1 is 30% off");
    first.campaigns().advance(clock.instant());
    second.ingest(event("call-center", "evt-5", EventType.ORDER).identifiers(PHONE)
        .attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build());
    assertThat(JdbcStoreContract.columnsHolding(db, "story-4711")).map(c -> c.toLowerCase(java.util.Locale.ROOT)).contains(
        "omni_identifier.id_value", "omni_touchpoint.attributes", "omni_campaign_run.run");

    assertThat(second.identities().forget(EMAIL)).isTrue();

    assertThat(JdbcStoreContract.columnsHolding(db, "story-4711")).isEmpty();
    assertThat(JdbcStoreContract.columnsHolding(db, "Story-4711")).isEmpty();
    CampaignRun kept = first.campaigns().run(run.id());
    assertThat(kept.messages()).extracting(Message::channel, Message::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("email", CampaignStore.FORGOTTEN));
    assertThat(kept.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(first.journeys().of(ann)).hasSize(7);
    assertThat(second.carts().get(ann).quantity(LineKey.of("SKU-2"))).isEqualTo(1);
    assertThat(first.identities().resolve(PHONE)).isPresent();

    // a queue replays the login and the call, processed before the forget: the email stays erased
    assertThat(first.ingest(event("web", "evt-3", EventType.LOGIN).identifiers(COOKIE, EMAIL)
        .attribute("typed", "Ann.Story-4711@Example.com").build())).isEqualTo(ann);
    assertThat(second.ingest(event("call-center", "evt-4", EventType.CALL).identifiers(PHONE, EMAIL).build()))
        .isEqualTo(second.identities().resolve(PHONE).orElseThrow());
    assertThat(JdbcStoreContract.columnsHolding(db, "story-4711")).isEmpty();
    assertThat(first.identities().resolve(EMAIL)).isEmpty();
  }
}
