package io.omni.journey;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One order path: a checkout through the cart API is an order exactly as an ORDER event is. */
final class OrderPathTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final List<Message> sent = new ArrayList<>();

  private Omni omni(AbandonedCartPolicy policy) {
    Omni.Builder builder = Omni.builder().clock(clock).discoverProviders(false)
        .sender("email", sent::add).sender("sms", sent::add);
    return (policy == null ? builder : builder.abandonedCarts(policy)).build();
  }

  private ProfileId ann(Omni omni) {
    return omni.ingest(ChannelEvent.builder("app").id("login").at(clock.instant())
        .identifiers(EMAIL, PHONE).type(EventType.LOGIN).build());
  }

  @Test
  void checkout_through_the_cart_api_stops_a_cascade_and_appears_in_orders_favourites_and_the_journey() {
    Omni omni = omni(null);
    ProfileId ann = ann(omni);
    omni.carts().add(ann, "web", SKU1, 2);
    CampaignRun run = omni.campaigns().start(EMAIL_THEN_SMS, ann, "SKU-1 is 30% off");
    omni.campaigns().advance(clock.instant());                   // the email
    clock.advance(ofHours(2));

    Order order = omni.carts().checkout(ann, "web", "o-1");

    assertThat(omni.journeys().orders(ann)).containsExactly(order);
    assertThat(omni.journeys().favourites(ann, 3)).containsExactly(SKU1);
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::type).contains(EventType.ORDER);
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(omni.campaigns().advance(clock.advance(ofHours(30)))).isEmpty(); // no SMS after the purchase
    assertThat(sent).extracting(Message::channel).containsExactly("email");
  }

  @Test
  void checkout_through_the_cart_api_cancels_the_abandoned_cart_reminder() {
    Omni omni = omni(AbandonedCartPolicy.after(ofHours(2), EMAIL_THEN_SMS, "Still thinking?"));
    ProfileId ann = ann(omni);
    omni.carts().add(ann, "web", SKU1, 1);
    clock.advance(ofHours(1));
    omni.carts().checkout(ann, "web", "o-1");
    assertThat(omni.campaigns().advance(clock.advance(ofHours(3)))).isEmpty();
    assertThat(sent).isEmpty();
  }

  @Test
  void the_same_order_id_twice_is_one_order_and_leaves_later_lines_alone() {
    Omni omni = omni(null);
    ProfileId ann = ann(omni);
    omni.carts().add(ann, "web", SKU1, 2);
    Order first = omni.carts().checkout(ann, "web", "o-1");
    clock.advance(ofHours(1));
    omni.carts().add(ann, "app", SKU2, 1);                        // added after the checkout

    Order retried = omni.carts().checkout(ann, "web", "o-1");    // a client's retry after a timeout

    assertThat(retried).isEqualTo(first);
    assertThat(omni.journeys().orders(ann)).containsExactly(first);
    assertThat(omni.carts().get(ann).quantity(SKU2)).isEqualTo(1);
    assertThat(omni.journeys().of(ann)).filteredOn(t -> t.type() == EventType.ORDER).hasSize(1);
  }

  @Test
  void an_order_event_and_a_checkout_with_one_order_id_are_one_order() {
    Omni omni = omni(null);
    ProfileId ann = ann(omni);
    omni.ingest(ChannelEvent.builder("call-center").id("evt-order").at(clock.instant()).identifiers(PHONE)
        .type(EventType.ORDER).attribute("order", "o-17").line(SKU1, 1).build());
    omni.carts().add(ann, "web", SKU2, 1);

    Order answered = omni.carts().checkout(ann, "web", "o-17");

    assertThat(answered.channel()).isEqualTo("call-center");
    assertThat(omni.journeys().orders(ann)).hasSize(1);
    assertThat(omni.carts().get(ann).quantity(SKU2)).isEqualTo(1);
  }

  @Test
  void an_order_event_whose_lines_are_not_in_the_cart_is_still_an_order() {
    Omni omni = omni(null);
    ProfileId ann = ann(omni);
    omni.ingest(ChannelEvent.builder("call-center").id("evt-order").at(clock.instant()).identifiers(PHONE)
        .type(EventType.ORDER).attribute("order", "o-phone").line(SKU1, 1).line(SKU1, 2).build());
    assertThat(omni.journeys().orders(ann)).singleElement()
        .satisfies(o -> assertThat(o.lines()).containsExactly(new OrderLine(SKU1, 3)));
  }

  @Test
  void checkout_of_an_empty_cart_with_a_new_order_id_is_refused_and_records_nothing() {
    Omni omni = omni(null);
    ProfileId ann = ann(omni);
    assertThatThrownBy(() -> omni.carts().checkout(ann, "web", "o-9")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("o-9");
    assertThat(omni.journeys().orders(ann)).isEmpty();
  }
}
