package io.omni.journey;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.Consent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Event time, not arrival time: what a set of events leaves does not depend on when, or in which
 * order, they arrive. Each test delivers the same events on time to one Omni and late (an hour
 * after the last of them, in another order) to another, and compares.
 */
final class LateDeliveryTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Identifier COOKIE = Identifier.cookie("c-1");
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private final TestClock onTimeClock = TestClock.at("2026-03-02T09:00:00Z");
  private final TestClock lateClock = TestClock.at("2026-03-02T09:00:00Z");
  private final Omni onTime = omni(onTimeClock, CartMergePolicy.MAX);
  private final Omni late = omni(lateClock, CartMergePolicy.MAX);

  private static Omni omni(TestClock clock, CartMergePolicy policy) {
    return Omni.builder().clock(clock).discoverProviders(false).cartMergePolicy(policy)
        .sender("email", m -> { }).sender("sms", m -> { }).build();
  }

  private static ChannelEvent add(String id, Instant at, Identifier who, LineKey sku, int n) {
    return ChannelEvent.builder("web").id(id).at(at).identifiers(who).type(EventType.CART_ADD).line(sku, n).build();
  }

  private static ChannelEvent order(String id, Instant at, LineKey sku) {
    return ChannelEvent.builder("call-center").id(id).at(at).identifiers(PHONE).type(EventType.ORDER)
        .attribute("order", "o-" + id).line(sku, 1).build();
  }

  private static ProfileId known(Omni omni, TestClock clock) {
    return omni.ingest(ChannelEvent.builder("app").id("known").at(clock.instant()).identifiers(EMAIL, PHONE)
        .type(EventType.LOGIN).build());
  }

  /** Each event when it happens, in time order. */
  private void deliverOnTime(List<ChannelEvent> events) {
    for (ChannelEvent e : events) {
      onTimeClock.set(e.at());
      onTime.ingest(e);
    }
  }

  /** Every event an hour after the last, in the order given. */
  private void deliverLate(List<ChannelEvent> events) {
    lateClock.set(events.stream().map(ChannelEvent::at).max(Instant::compareTo).orElseThrow().plus(ofHours(1)));
    events.forEach(late::ingest);
  }

  @Test
  void late_delivery_of_a_cart_add_then_an_order_empties_the_line_as_on_time_delivery_does() {
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    List<ChannelEvent> events = List.of(add("add", T0, EMAIL, SKU1, 2), order("order", T0.plusSeconds(30), SKU1));

    deliverOnTime(events);
    deliverLate(events);

    assertThat(onTime.carts().get(ann).quantity(SKU1)).isZero();
    assertThat(late.carts().get(annLate).quantity(SKU1)).isZero();
    assertThat(late.carts().get(annLate).lines()).isEqualTo(onTime.carts().get(ann).lines());
  }

  @Test
  void adds_delivered_in_any_order_all_count_and_a_removal_takes_only_those_before_it() {
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    ChannelEvent first = add("a1", T0, EMAIL, SKU1, 1);
    ChannelEvent removal = ChannelEvent.builder("app").id("r").at(T0.plusSeconds(5)).identifiers(EMAIL)
        .type(EventType.CART_REMOVE).line(SKU1, 1).build();
    ChannelEvent second = add("a2", T0.plusSeconds(10), PHONE, SKU1, 2);
    ChannelEvent third = add("a3", T0.plusSeconds(20), EMAIL, SKU1, 3);

    deliverOnTime(List.of(first, removal, second, third));
    deliverLate(List.of(third, second, removal, first, second)); // the second one twice: a redelivery

    assertThat(onTime.carts().get(ann).quantity(SKU1)).isEqualTo(5);
    assertThat(late.carts().get(annLate).lines()).isEqualTo(onTime.carts().get(ann).lines());
  }

  @Test
  void an_anonymous_cart_merged_at_a_late_login_loses_the_lines_ordered_after_the_login() {
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    ChannelEvent anonymous = add("anon", T0, COOKIE, SKU1, 1);
    ChannelEvent login = ChannelEvent.builder("web").id("login").at(T0.plusSeconds(60)).identifiers(COOKIE, EMAIL)
        .type(EventType.LOGIN).build();
    ChannelEvent bought = order("bought", T0.plus(ofMinutes(5)), SKU1);
    ChannelEvent other = add("other", T0.plus(ofMinutes(6)), COOKIE, SKU2, 1);

    deliverOnTime(List.of(anonymous, login, bought, other));
    deliverLate(List.of(anonymous, login, bought, other)); // in order, an hour late: the merge is folded late

    assertThat(onTime.carts().get(ann).quantity(SKU1)).isZero();
    assertThat(late.carts().get(annLate).quantity(SKU1)).as("the line bought after the login").isZero();
    assertThat(late.carts().get(annLate).quantity(SKU2)).isEqualTo(1);
  }

  @Test
  void the_earliest_purchase_converts_a_run_whichever_arrives_first() {
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    CampaignRun run = onTime.campaigns().start(EMAIL_THEN_SMS, ann, "Spring sale");
    CampaignRun runLate = late.campaigns().start(EMAIL_THEN_SMS, annLate, "Spring sale");
    ChannelEvent byPhone = order("by-phone", T0.plusSeconds(10), SKU1);
    ChannelEvent promo = ChannelEvent.builder("web").id("promo").at(T0.plusSeconds(20)).identifiers(EMAIL)
        .type(EventType.PROMO_REDEEMED).attribute("code", run.promoCode()).build();
    ChannelEvent promoLate = ChannelEvent.builder("web").id("promo").at(T0.plusSeconds(20)).identifiers(EMAIL)
        .type(EventType.PROMO_REDEEMED).attribute("code", runLate.promoCode()).build();

    deliverOnTime(List.of(byPhone, promo));
    deliverLate(List.of(promoLate, byPhone));

    CampaignRun a = onTime.campaigns().run(run.id());
    CampaignRun b = late.campaigns().run(runLate.id());
    assertThat(a.conversion()).map(CampaignRun.Conversion::eventId).contains("by-phone");
    assertThat(b.conversion()).isEqualTo(a.conversion());
    assertThat(b.state()).isEqualTo(a.state());
    assertThat(b.endedAt()).isEqualTo(a.endedAt());
  }

  @Test
  void an_order_made_before_a_login_revealed_the_customer_converts_the_run_whichever_arrives_first() {
    Identifier device = Identifier.device("d-1");
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    CampaignRun run = onTime.campaigns().start(EMAIL_THEN_SMS, ann, "Spring sale");
    CampaignRun runLate = late.campaigns().start(EMAIL_THEN_SMS, annLate, "Spring sale");
    // bought in the app on a device not yet known to be hers, then logged in on it
    ChannelEvent bought = ChannelEvent.builder("app").id("bought").at(T0).identifiers(Identifier.account("acc-9"))
        .type(EventType.ORDER).attribute("order", "o-app").line(SKU1, 1).build();
    ChannelEvent login = ChannelEvent.builder("app").id("login").at(T0.plusSeconds(30))
        .identifiers(Identifier.account("acc-9"), EMAIL, device).type(EventType.LOGIN).build();

    deliverOnTime(List.of(bought, login));
    deliverLate(List.of(login, bought));

    assertThat(onTime.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(late.campaigns().run(runLate.id()).conversion())
        .isEqualTo(onTime.campaigns().run(run.id()).conversion());
  }

  @Test
  void two_consent_decisions_of_one_instant_keep_the_same_one_in_either_order() {
    ProfileId ann = known(onTime, onTimeClock);
    ProfileId annLate = known(late, lateClock);
    Instant at = T0.plus(ofSeconds(5));
    ChannelEvent yes = ChannelEvent.builder("web").id("yes").at(at).identifiers(EMAIL).type(EventType.CONSENT)
        .attribute("channel", "sms").attribute("granted", "true").build();
    ChannelEvent alsoYes = ChannelEvent.builder("app").id("also-yes").at(at).identifiers(EMAIL)
        .type(EventType.CONSENT).attribute("channel", "sms").attribute("granted", "true").build();
    ChannelEvent no = ChannelEvent.builder("app").id("no").at(at).identifiers(EMAIL).type(EventType.CONSENT)
        .attribute("channel", "sms").attribute("granted", "false").build();

    deliverOnTime(List.of(yes, alsoYes));
    deliverLate(List.of(alsoYes, yes));
    assertThat(late.store().events().consents(annLate)).isEqualTo(onTime.store().events().consents(ann))
        .extracting(Consent::source).containsExactly("yes");

    deliverOnTime(List.of(no, yes));
    deliverLate(List.of(yes, no));
    assertThat(onTime.store().events().consents(ann)).extracting(Consent::granted).containsExactly(false);
    assertThat(late.store().events().consents(annLate)).isEqualTo(onTime.store().events().consents(ann));
  }
}
