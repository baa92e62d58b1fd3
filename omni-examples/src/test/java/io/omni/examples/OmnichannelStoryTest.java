package io.omni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.campaign.CampaignRun;
import io.omni.channel.Message;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class OmnichannelStoryTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final OmnichannelStory.Facts facts = OmnichannelStory.tell(new PrintStream(printed, true, StandardCharsets.UTF_8),
      Path.of("target", "story-test", "handoff-qr.png"));

  @Test
  void the_anonymous_web_visitor_becomes_ann_when_she_signs_in() {
    assertThat(facts.anonymous()).isNotEqualTo(facts.ann());
    assertThat(facts.anonymousMerged()).isTrue();
  }

  @Test
  void the_web_cart_is_in_the_app_and_the_pos_loads_it_from_the_qr_code() {
    assertThat(facts.cartInApp()).containsExactlyInAnyOrder("SNEAKERS-42/white x1 (web)", "SOCKS-WOOL x3 (web)");
    assertThat(facts.cartAtPos()).isEqualTo(facts.cartInApp());
    assertThat(facts.qrCode()).isRegularFile();
  }

  @Test
  void the_phone_order_empties_the_cart_on_every_channel() {
    assertThat(facts.cartAfterOrder()).isEmpty();
  }

  @Test
  void the_cascade_goes_email_sms_viber_and_stops_at_the_phone_order() {
    assertThat(facts.promoMessages()).extracting(Message::channel).containsExactly("email", "sms", "viber");
    assertThat(facts.promoMessages()).extracting(Message::to)
        .containsExactly(OmnichannelStory.ANN_EMAIL, OmnichannelStory.ANN_PHONE, OmnichannelStory.ANN_PHONE);
    assertThat(facts.promoState()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(facts.promoConvertedVia()).contains("viber");
  }

  @Test
  void nothing_is_sent_after_the_purchase_and_no_abandoned_cart_reminder_goes_out() {
    assertThat(facts.sentAfterPurchase()).isEmpty();
    assertThat(facts.abandonedCartRuns()).isZero();
  }

  @Test
  void favourites_and_order_history_take_in_the_phone_order() {
    assertThat(facts.favouritesBefore()).containsExactly(OmnichannelStory.COFFEE);
    assertThat(facts.favouritesAfter()).containsExactly(OmnichannelStory.SOCKS, OmnichannelStory.COFFEE, OmnichannelStory.SNEAKERS);
    assertThat(facts.orderChannels()).containsExactly("app", "call-center");
  }

  @Test
  void explain_joins_the_web_cookie_and_the_phone_through_the_sign_in_and_the_app_login() {
    Explanation why = facts.why();
    assertThat(why.steps()).extracting(Explanation.Step::channel).containsExactly("web", "app");
    assertThat(why.steps().get(0).identifiers()).contains(OmnichannelStory.ANN_COOKIE, OmnichannelStory.ANN_EMAIL);
    assertThat(why.steps().get(1).identifiers()).contains(OmnichannelStory.ANN_EMAIL, OmnichannelStory.ANN_PHONE);
    assertThat(why.to()).isEqualTo(Identifier.phone("+79161234567"));
  }

  @Test
  void the_journey_spans_all_seven_channels_and_the_story_is_printed() {
    assertThat(facts.journey()).extracting(t -> t.channel()).contains("web", "app", "pos", "email", "sms", "viber", "call-center");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("call center: Ann calls and buys by phone");
  }
}
