package io.omni.campaign;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.UnknownChannelException;
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

final class AbandonedCartTest {
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier BOB = Identifier.email("bob@example.com");
  private static final Identifier BOB_PHONE = Identifier.phone("+79160000001");
  private static final Cascade REMIND = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final List<Message> delivered = new ArrayList<>();
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false)
      .sender("email", delivered::add)
      .sender("sms", delivered::add)
      .abandonedCarts(AbandonedCartPolicy.after(ofHours(2), REMIND, "Still thinking?"))
      .build();

  private ProfileId addToCart(String id, Identifier who) {
    return omni.ingest(ChannelEvent.builder("web").id(id).at(clock.instant()).identifiers(who)
        .type(EventType.CART_ADD).line(LineKey.of("SKU-1"), 1).build());
  }

  @Test
  void an_idle_cart_gets_a_reminder_while_a_cart_whose_owner_bought_by_phone_gets_none() {
    ProfileId ann = addToCart("ann-cart", ANN);
    ProfileId bob = addToCart("bob-cart", BOB);
    clock.advance(ofMinutes(30));
    // Bob calls and buys something else by phone: his web cart still holds SKU-1.
    omni.ingest(ChannelEvent.builder("call-center").id("bob-order").at(clock.instant()).identifiers(BOB_PHONE, BOB)
        .type(EventType.ORDER).line(LineKey.of("SKU-9"), 1).build());

    assertThat(omni.campaigns().advance(clock.advance(ofMinutes(60)))).isEmpty();
    List<Message> sent = omni.campaigns().advance(clock.advance(ofMinutes(30)));

    assertThat(sent).singleElement().satisfies(m -> {
      assertThat(m.to()).isEqualTo(ANN);
      assertThat(m.channel()).isEqualTo("email");
      assertThat(m.text()).isEqualTo("Still thinking?");
    });
    assertThat(omni.campaigns().runs(ann)).singleElement().satisfies(r -> assertThat(r.abandonedCart()).isTrue());
    assertThat(omni.campaigns().runs(bob)).isEmpty();
    // Ann has no phone, so the SMS step is skipped and the run ends; Bob still gets nothing.
    assertThat(omni.campaigns().advance(clock.advance(ofHours(24)))).isEmpty();
    assertThat(omni.campaigns().runs(ann).get(0).state()).isEqualTo(CampaignRun.State.EXHAUSTED);
    assertThat(omni.campaigns().runs(bob)).isEmpty();
    assertThat(delivered).extracting(Message::to).doesNotContain(BOB, BOB_PHONE);
  }

  @Test
  void a_cart_filled_through_the_cart_api_is_watched_for_abandonment_too() {
    omni.carts().add(ANN, "app", LineKey.of("SKU-2"), 1);
    assertThat(omni.campaigns().advance(clock.advance(ofMinutes(90)))).isEmpty();

    List<Message> sent = omni.campaigns().advance(clock.advance(ofMinutes(31)));

    assertThat(sent).singleElement().satisfies(m -> assertThat(m.to()).isEqualTo(ANN));
  }

  @Test
  void a_cart_change_is_reminded_of_once_and_a_new_change_may_be_reminded_of_again() {
    ProfileId ann = addToCart("c1", ANN);
    omni.campaigns().advance(clock.advance(ofHours(3)));
    omni.campaigns().advance(clock.advance(ofHours(1)));
    assertThat(omni.campaigns().runs(ann)).hasSize(1);

    addToCart("c2", ANN);
    omni.campaigns().advance(clock.advance(ofHours(3)));

    assertThat(omni.campaigns().runs(ann)).hasSize(2);
  }

  @Test
  void an_order_anywhere_after_the_reminder_stops_it_and_converts_it() {
    ProfileId ann = addToCart("c1", ANN);
    omni.campaigns().advance(clock.advance(ofHours(2)));
    clock.advance(ofHours(1));
    omni.ingest(ChannelEvent.builder("pos").id("o1").at(clock.instant()).identifiers(ANN)
        .type(EventType.ORDER).line(LineKey.of("SKU-1"), 1).build());

    CampaignRun run = omni.campaigns().runs(ann).get(0);
    assertThat(run.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(run.convertedVia()).contains("email");
    assertThat(omni.campaigns().advance(clock.advance(ofHours(48)))).isEmpty();
    assertThat(delivered).hasSize(1);
  }

  @Test
  void an_emptied_cart_is_not_reminded_of() {
    ProfileId ann = addToCart("c1", ANN);
    omni.ingest(ChannelEvent.builder("app").id("c2").at(clock.instant().plusSeconds(60)).identifiers(ANN)
        .type(EventType.CART_REMOVE).line(LineKey.of("SKU-1")).build());

    assertThat(omni.campaigns().advance(clock.advance(ofHours(5)))).isEmpty();
    assertThat(omni.campaigns().runs(ann)).isEmpty();
  }

  @Test
  void a_policy_over_an_unknown_channel_is_refused_when_the_omni_is_built() {
    Omni.Builder builder = Omni.builder().discoverProviders(false)
        .abandonedCarts(AbandonedCartPolicy.after(ofHours(2), Cascade.of(step("pigeon", ofHours(1))), "hi"));

    assertThatThrownBy(builder::build).isInstanceOf(UnknownChannelException.class).hasMessageContaining("pigeon");
  }
}
