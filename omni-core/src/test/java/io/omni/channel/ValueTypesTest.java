package io.omni.channel;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.Cascade;
import io.omni.identity.IdentifierType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class ValueTypesTest {

  @Test
  void the_standard_channels_reach_customers_by_the_documented_identifier_types() {
    assertThat(Channel.standard()).extracting(Channel::id)
        .containsExactly("web", "app", "pos", "call-center", "email", "sms", "viber", "whatsapp", "telegram");
    assertThat(Channel.EMAIL.reachedBy()).contains(IdentifierType.EMAIL);
    assertThat(Channel.SMS.reachedBy()).contains(IdentifierType.PHONE);
    assertThat(Channel.VIBER.reachedBy()).contains(IdentifierType.PHONE);
    assertThat(Channel.WHATSAPP.reachedBy()).contains(IdentifierType.PHONE);
    assertThat(Channel.TELEGRAM.reachedBy()).contains(IdentifierType.of("telegram"));
    assertThat(Channel.WEB.carriesMessages()).isFalse();
    assertThat(Channel.POS.carriesMessages()).isFalse();
    assertThat(Channel.EMAIL.costPerMessage()).isLessThan(Channel.VIBER.costPerMessage());
    assertThat(Channel.VIBER.costPerMessage()).isLessThan(Channel.SMS.costPerMessage());
  }

  @Test
  void a_channel_refuses_a_malformed_id_or_a_negative_cost_naming_them() {
    assertThatThrownBy(() -> Channel.of("Kiosk 1", ChannelKind.STORE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Kiosk 1");
    assertThatThrownBy(() -> Channel.messaging("ig", ChannelKind.SOCIAL, new BigDecimal("-0.01"), IdentifierType.of("ig")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ig").hasMessageContaining("-0.01");
  }

  @Test
  void a_cascade_refuses_no_steps_a_repeated_channel_and_a_window_that_is_not_positive() {
    assertThatThrownBy(Cascade::of).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> Cascade.of(step("sms", ofHours(1)), step("sms", ofHours(2))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sms twice");
    assertThatThrownBy(() -> step("email", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email");
    assertThatThrownBy(() -> AbandonedCartPolicy.after(Duration.ofMinutes(-5), Cascade.of(step("email", ofHours(1))), "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle");
  }

  @Test
  void an_event_keeps_what_it_was_given_and_needs_a_type_and_a_time() {
    ChannelEvent event = ChannelEvent.builder("viber").id("evt-9").at(Instant.EPOCH)
        .type(EventType.PROMO_REDEEMED).attribute("code", "ABCD-EFGH").build();

    assertThat(event.attribute("code")).contains("ABCD-EFGH");
    assertThat(event.attribute("run")).isEmpty();
    assertThatThrownBy(() -> ChannelEvent.builder("web").id("e").at(Instant.EPOCH).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> ChannelEvent.builder("web").id("e").type(EventType.LOGIN).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("at");
  }
}
