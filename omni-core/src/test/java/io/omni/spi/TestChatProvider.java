package io.omni.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omni.channel.Channel;
import io.omni.channel.ChannelEvent;
import io.omni.channel.ChannelKind;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.channel.MessageSender;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A working provider found by the ServiceLoader in tests: the "testchat" messenger, reached by a
 * "testchat" handle. Its webhook payload is {@code {"messages":[{"id","at","from","text"}]}}.
 */
public final class TestChatProvider implements ChannelProvider {
  /** The ServiceLoader's constructor. */
  public TestChatProvider() {}

  public static final IdentifierType HANDLE = IdentifierType.of("testchat");
  public static final Channel CHANNEL =
      Channel.messaging("testchat", ChannelKind.MESSENGER, new BigDecimal("0.0001"), HANDLE);
  /** What the sender delivered, in every Omni of the test JVM. */
  public static final List<Message> SENT = Collections.synchronizedList(new ArrayList<>());

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "test-chat";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public List<Channel> channels() {
    return List.of(CHANNEL);
  }

  @Override
  public Optional<MessageSender> sender(String channel) {
    return Optional.of(SENT::add);
  }

  @Override
  public Optional<Decoder> decoder(String channel) {
    return Optional.of(TestChatProvider::decode);
  }

  private static List<ChannelEvent> decode(String channel, String json) throws Exception {
    JsonNode root = JSON.readTree(json);
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("payload has no 'messages' array");
    }
    List<ChannelEvent> events = new ArrayList<>();
    for (JsonNode m : messages) {
      events.add(ChannelEvent.builder(channel)
          .id(m.get("id").asText())
          .at(Instant.parse(m.get("at").asText()))
          .identifiers(Identifier.of(HANDLE, m.get("from").asText()))
          .type(EventType.CHAT_MESSAGE)
          .attribute("text", m.get("text").asText())
          .build());
    }
    return events;
  }
}
