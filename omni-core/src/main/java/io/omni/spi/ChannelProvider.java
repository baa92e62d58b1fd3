package io.omni.spi;

import io.omni.channel.Channel;
import io.omni.channel.ChannelEvent;
import io.omni.channel.MessageSender;
import java.util.List;
import java.util.Optional;

/**
 * A plug-in that brings channels to Omni: the channels themselves, a sender that delivers campaign
 * messages in them, and a decoder of their raw webhook payloads into {@link ChannelEvent}s.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} when an Omni is built — list the
 * class in {@code META-INF/services/io.omni.spi.ChannelProvider}, or {@code provides
 * io.omni.spi.ChannelProvider with ...} in {@code module-info.java} — or registered with {@code
 * Omni.Builder.provider(...)}. They need a public no-argument constructor for the ServiceLoader.
 *
 * <p>Providers are isolated: one that fails to load, throws from any of these methods or declares
 * another {@link #API_VERSION} is logged with a warning naming it and left out; the others work.
 * Channels a provider brings that Omni already knows (standard ones, those set on the builder or
 * by an earlier provider) keep their first definition.
 *
 * <pre>{@code
 * public final class ViberProvider implements ChannelProvider {
 *   public String name() { return "viber-business"; }
 *   public int apiVersion() { return ChannelProvider.API_VERSION; }
 *   public List<Channel> channels() { return List.of(Channel.VIBER); }
 *   public Optional<MessageSender> sender(String channel) { return Optional.of(this::post); }
 *   public Optional<Decoder> decoder(String channel) { return Optional.of(this::decodeWebhook); }
 * }
 * }</pre>
 */
public interface ChannelProvider {

  /** The version of this SPI; a provider declaring another is refused. */
  int API_VERSION = 1;

  /** The provider's name, for logs. */
  String name();

  /** The version of this SPI the provider was written against: {@link #API_VERSION}. */
  int apiVersion();

  /** The channels the provider brings; may include standard ones it only sends or decodes for. */
  List<Channel> channels();

  /** The sender for one of its channels, if it delivers messages there. */
  default Optional<MessageSender> sender(String channel) {
    return Optional.empty();
  }

  /** The decoder of one of its channels' raw payloads, if it has one. */
  default Optional<Decoder> decoder(String channel) {
    return Optional.empty();
  }

  /** Turns one raw JSON payload of a channel (a webhook body) into the events it holds. */
  @FunctionalInterface
  interface Decoder {

    /**
     * Decodes a payload.
     *
     * @param channel the channel the payload came from
     * @param json the payload as received
     * @return the events it holds, possibly none
     * @throws Exception if the payload is not what the channel sends; Omni reports it as an {@code
     *     InvalidPayloadException}
     */
    List<ChannelEvent> decode(String channel, String json) throws Exception;
  }
}
