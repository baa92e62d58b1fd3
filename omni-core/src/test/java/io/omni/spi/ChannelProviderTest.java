package io.omni.spi;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidPayloadException;
import io.omni.Omni;
import io.omni.UnknownChannelException;
import io.omni.campaign.Cascade;
import io.omni.channel.Channel;
import io.omni.channel.ChannelEvent;
import io.omni.channel.ChannelKind;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.testing.TestClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ChannelProviderTest {
  private static final String PAYLOAD = """
      {"messages": [
        {"id": "tc-2", "at": "2026-03-02T10:05:00Z", "from": "@ann", "text": "and in red?"},
        {"id": "tc-1", "at": "2026-03-02T10:00:00Z", "from": "@ann", "text": "is SKU-1 in stock?"}
      ]}
      """;

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");

  @Test
  void broken_providers_on_the_class_path_do_not_stop_the_others() {
    Omni omni = Omni.builder().clock(clock).build();

    assertThat(omni.channel("testchat")).isEqualTo(TestChatProvider.CHANNEL);
    assertThat(omni.channelProviders()).singleElement().asString().startsWith("test-chat");
    assertThat(omni.channels()).extracting(Channel::id).contains("web", "email", "sms", "viber", "testchat");
  }

  @Test
  void a_provider_declaring_another_api_version_is_left_out() {
    Omni omni = Omni.builder().clock(clock).build();

    assertThatThrownBy(() -> omni.channel("future")).isInstanceOf(UnknownChannelException.class);
  }

  @Test
  void a_raw_json_payload_is_decoded_through_its_provider_and_ingested() {
    Omni omni = Omni.builder().clock(clock).build();
    clock.advance(java.time.Duration.ofMinutes(10)); // the payload's chats happened at 10:00 and 10:05

    assertThat(omni.decode("testchat", PAYLOAD)).extracting(ChannelEvent::id).containsExactly("tc-2", "tc-1");
    assertThat(omni.ingestRaw("testchat", PAYLOAD)).isEqualTo(2);
    assertThat(omni.ingestRaw("testchat", PAYLOAD)).isZero();

    ProfileId ann = omni.identities().resolve(Identifier.of(TestChatProvider.HANDLE, "@ann")).orElseThrow();
    assertThat(omni.journeys().of(ann))
        .extracting(Touchpoint::eventId, t -> t.attributes().get("text"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tc-1", "is SKU-1 in stock?"),
            org.assertj.core.groups.Tuple.tuple("tc-2", "and in red?"));
  }

  @Test
  void a_malformed_payload_is_refused_naming_the_channel_and_the_provider() {
    Omni omni = Omni.builder().clock(clock).build();

    assertThatThrownBy(() -> omni.ingestRaw("testchat", "{\"nothing\": true}"))
        .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
          assertThat(e.channel()).isEqualTo("testchat");
          assertThat(e.reason()).contains("test-chat").contains("'messages'");
        });
    assertThat(omni.identities().stats().identifiers()).isZero();
  }

  @Test
  void a_channel_no_provider_decodes_refuses_raw_payloads() {
    Omni omni = Omni.builder().clock(clock).build();

    assertThatThrownBy(() -> omni.decode("sms", "{}"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("sms");
    assertThatThrownBy(() -> omni.decode("pigeon", "{}")).isInstanceOf(UnknownChannelException.class);
  }

  @Test
  void a_providers_sender_delivers_campaign_messages_in_its_channel() {
    Omni omni = Omni.builder().clock(clock).build();
    Identifier handle = Identifier.of(TestChatProvider.HANDLE, "@bob-sender-test");
    ProfileId bob = omni.identities().link("testchat", handle);
    omni.campaigns().start(Cascade.of(step("testchat", ofHours(24))), bob, "Hello from the provider");

    omni.campaigns().advance(clock.instant());

    assertThat(TestChatProvider.SENT).filteredOn(m -> m.to().equals(handle))
        .extracting(Message::text).containsExactly("Hello from the provider");
  }

  @Test
  void a_provider_registered_on_the_builder_that_throws_is_left_out_and_a_builder_sender_takes_precedence() {
    List<Message> mine = new ArrayList<>();
    ChannelProvider throwing = new ChannelProvider() {
      @Override
      public String name() {
        return "throwing";
      }

      @Override
      public int apiVersion() {
        return API_VERSION;
      }

      @Override
      public List<Channel> channels() {
        return List.of(Channel.of("kiosk", ChannelKind.STORE));
      }

      @Override
      public Optional<io.omni.channel.MessageSender> sender(String channel) {
        throw new IllegalStateException("sender registry offline");
      }
    };
    Omni omni = Omni.builder().clock(clock).discoverProviders(false)
        .provider(throwing)
        .provider(new TestChatProvider())
        .sender("testchat", mine::add)
        .build();
    Identifier handle = Identifier.of(TestChatProvider.HANDLE, "@carl");
    ProfileId carl = omni.identities().link("testchat", handle);
    omni.campaigns().start(Cascade.of(step("testchat", ofHours(24))), carl, "Hi Carl");

    omni.campaigns().advance(clock.instant());

    assertThatThrownBy(() -> omni.channel("kiosk")).isInstanceOf(UnknownChannelException.class);
    assertThat(mine).extracting(Message::to).containsExactly(handle);
    assertThat(TestChatProvider.SENT).noneMatch(m -> m.to().equals(handle));
  }

  @Test
  void a_custom_channel_set_on_the_builder_takes_events() {
    Omni omni = Omni.builder().clock(clock).discoverProviders(false)
        .channel(Channel.of("kiosk", ChannelKind.STORE))
        .build();

    ProfileId ann = omni.ingest(ChannelEvent.builder("kiosk").id("k-1").at(clock.instant())
        .identifiers(Identifier.loyaltyCard("L-1")).type(EventType.LOGIN).build());

    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::channel).containsExactly("kiosk");
  }

  @Test
  void a_sender_for_a_channel_nobody_defines_is_refused_when_the_omni_is_built() {
    Omni.Builder builder = Omni.builder().discoverProviders(false).sender("pigeon", m -> { });

    assertThatThrownBy(builder::build).isInstanceOf(UnknownChannelException.class).hasMessageContaining("pigeon");
  }

  @Test
  void each_builder_channel_and_sender_may_be_set_once() {
    Omni.Builder builder = Omni.builder().channel(Channel.of("kiosk", ChannelKind.STORE)).sender("sms", m -> { });

    assertThatThrownBy(() -> builder.channel(Channel.of("kiosk", ChannelKind.APP)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("kiosk");
    assertThatThrownBy(() -> builder.sender("sms", m -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sms");
  }
}
