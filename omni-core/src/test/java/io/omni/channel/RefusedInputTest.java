package io.omni.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidEventException;
import io.omni.InvalidIdentifierException;
import io.omni.InvalidPayloadException;
import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.spi.ChannelProvider;
import io.omni.testing.TestClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Input that a database cannot store is refused in core, up front, with a typed exception, and
 * nothing of it is stored — one test per defect seen on main before the limits were checked there.
 */
final class RefusedInputTest {
  private static final Identifier NEWCOMER = Identifier.phone("+79169999999");

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false).build();

  private ChannelEvent.Builder event(String channel, String id, EventType type) {
    return ChannelEvent.builder(channel).id(id).at(clock.instant()).type(type);
  }

  private void assertNothingStored(Identities.Stats before, String eventId, Identifier... identifiers) {
    assertThat(omni.identities().stats()).isEqualTo(before);
    for (Identifier identifier : identifiers) {
      assertThat(omni.identities().resolve(identifier)).isEmpty();
    }
    assertThat(omni.store().events().processed(eventId)).isFalse();
  }

  @Test
  void an_event_dated_instant_min_is_refused_naming_the_range_and_stores_no_identifier() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(ChannelEvent.builder("web").id("e-min").at(Instant.MIN)
        .type(EventType.PAGE_VIEW).identifiers(NEWCOMER).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-min");
          assertThat(e.problem()).contains(Instant.MIN.toString()).contains("1970-01-01T00:00:00Z");
        });
    assertNothingStored(before, "e-min", NEWCOMER);
  }

  @Test
  void a_link_dated_before_1970_is_refused_and_stores_no_identifier() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.identities().link("e-old", "web", Instant.EPOCH.minusMillis(1), List.of(NEWCOMER)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1969-12-31T23:59:59.999Z");
    assertNothingStored(before, "e-old", NEWCOMER);
  }

  @Test
  void a_lone_surrogate_in_an_account_is_refused_in_core() {
    assertThatThrownBy(() -> Identifier.account("ann\uD800"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.type()).isEqualTo("account");
          assertThat(e.value()).isEqualTo("ann\uD800");
          assertThat(e.reason()).contains("lone surrogate").contains("U+D800");
          assertThat(e.getMessage()).contains("ann\\uD800");
        });
  }

  @Test
  void a_zero_width_space_in_an_email_is_refused_naming_it() {
    assertThatThrownBy(() -> Identifier.email("ann\u200B@example.com"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.type()).isEqualTo("email");
          assertThat(e.reason()).contains("U+200B").contains("ZERO WIDTH SPACE");
          assertThat(e.getMessage()).contains("ann\\u200B@example.com");
        });
  }

  @Test
  void an_order_id_longer_than_the_column_is_refused_before_anything_is_stored() {
    Identities.Stats before = omni.identities().stats();
    String orderId = "o-" + "7".repeat(300);

    assertThatThrownBy(() -> omni.ingest(event("pos", "e-long", EventType.ORDER).identifiers(NEWCOMER)
        .attribute("order", orderId).line(LineKey.of("SKU-1"), 1).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-long");
          assertThat(e.problem()).contains("order id").contains("302 characters").contains("249");
        });
    assertNothingStored(before, "e-long", NEWCOMER);
  }

  @Test
  void a_checkout_order_id_longer_than_the_column_is_refused_and_the_cart_is_kept() {
    ProfileId ann = omni.identities().link("web", NEWCOMER);
    omni.carts().add(ann, "web", LineKey.of("SKU-1"), 2);

    assertThatThrownBy(() -> omni.carts().checkout(ann, "pos", "o-" + "7".repeat(300)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order id");
    assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-1"))).isEqualTo(2);
  }

  @Test
  void order_lines_of_one_key_whose_quantities_overflow_an_int_are_refused_before_anything_is_stored() {
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("pos", "e-sum", EventType.ORDER).identifiers(NEWCOMER)
        .attribute("order", "o-1").line(LineKey.of("SKU-1"), Integer.MAX_VALUE).line(LineKey.of("SKU-1"), 1).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> {
          assertThat(e.eventId()).isEqualTo("e-sum");
          assertThat(e.problem()).contains("SKU-1").contains(String.valueOf(Integer.MAX_VALUE));
        });
    assertNothingStored(before, "e-sum", NEWCOMER);
  }

  @Test
  void a_cart_add_event_past_the_largest_quantity_is_refused_before_anything_is_stored() {
    ProfileId ann = omni.identities().link("web", NEWCOMER);
    omni.carts().setQuantity(ann, "web", LineKey.of("SKU-1"), Integer.MAX_VALUE - 1);
    Identities.Stats before = omni.identities().stats();

    assertThatThrownBy(() -> omni.ingest(event("app", "e-add", EventType.CART_ADD).identifiers(NEWCOMER)
        .line(LineKey.of("SKU-1"), 2).build()))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.problem()).contains("SKU-1"));
    assertThat(omni.identities().stats()).isEqualTo(before);
    assertThat(omni.store().events().processed("e-add")).isFalse();
    assertThat(omni.journeys().of(ann)).isEmpty();
    assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-1"))).isEqualTo(Integer.MAX_VALUE - 1);
  }

  @Test
  void a_cart_add_past_the_largest_quantity_is_refused_naming_the_line() {
    ProfileId ann = omni.identities().link("web", NEWCOMER);
    omni.carts().setQuantity(ann, "web", LineKey.of("SKU-1"), Integer.MAX_VALUE - 1);

    assertThatThrownBy(() -> omni.carts().add(ann, "app", LineKey.of("SKU-1"), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SKU-1")
        .hasMessageContaining(String.valueOf(Integer.MAX_VALUE - 1));
    assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-1"))).isEqualTo(Integer.MAX_VALUE - 1);
  }

  @Test
  void a_decoder_returning_a_null_event_is_refused_naming_the_channel_and_nothing_is_stored() {
    Omni withDecoder = Omni.builder().clock(clock).discoverProviders(false)
        .provider(decoding((channel, json) -> Arrays.asList(
            ChannelEvent.builder(channel).id("n-1").at(clock.instant()).type(EventType.CHAT_MESSAGE)
                .identifiers(NEWCOMER).build(),
            null)))
        .build();
    Identities.Stats before = withDecoder.identities().stats();

    assertThatThrownBy(() -> withDecoder.ingestRaw("nullchat", "{}"))
        .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
          assertThat(e.channel()).isEqualTo("nullchat");
          assertThat(e.reason()).contains("null").contains("1");
        });
    assertThat(withDecoder.identities().stats()).isEqualTo(before);
    assertThat(withDecoder.store().events().processed("n-1")).isFalse();
  }

  @Test
  void a_decoder_returning_null_or_throwing_is_refused_naming_the_channel() {
    Omni nullList = Omni.builder().discoverProviders(false).provider(decoding((channel, json) -> null)).build();
    Omni throwing = Omni.builder().discoverProviders(false).provider(decoding((channel, json) -> {
      throw new IllegalStateException("bad webhook");
    })).build();

    assertThatThrownBy(() -> nullList.ingestRaw("nullchat", "{}"))
        .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).contains("null"));
    assertThatThrownBy(() -> throwing.ingestRaw("nullchat", "{}"))
        .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
          assertThat(e.channel()).isEqualTo("nullchat");
          assertThat(e.reason()).contains("bad webhook");
        });
  }

  /** A provider of the "nullchat" channel whose decoder is the one given. */
  private static ChannelProvider decoding(ChannelProvider.Decoder decoder) {
    Channel channel = Channel.messaging("nullchat", ChannelKind.MESSENGER, BigDecimal.ZERO,
        io.omni.identity.IdentifierType.PHONE);
    return new ChannelProvider() {
      @Override
      public String name() {
        return "null-chat";
      }

      @Override
      public int apiVersion() {
        return API_VERSION;
      }

      @Override
      public List<Channel> channels() {
        return List.of(channel);
      }

      @Override
      public Optional<ChannelProvider.Decoder> decoder(String id) {
        return Optional.of(decoder);
      }
    };
  }
}
