package io.omni.internal.channel;

import io.omni.UnknownChannelException;
import io.omni.channel.Channel;
import io.omni.channel.MessageSender;
import io.omni.internal.Metrics;
import io.omni.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels an Omni knows, with their senders and payload decoders. Built once, read-only
 * after. Precedence: what the builder set, then the standard channels, then providers registered
 * on the builder, then providers found by the {@link ServiceLoader} — the first definition of a
 * channel id, sender or decoder wins.
 */
public final class ChannelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);
  /** Gives up on a ServiceLoader that keeps failing instead of moving on. */
  private static final int MAX_LOAD_FAILURES = 100;

  private final Map<String, Channel> channels;
  private final Map<String, MessageSender> senders;
  private volatile Metrics metrics = Metrics.NONE;
  private final Map<String, ProviderDecoder> decoders;
  private final List<String> providers;

  /** A decoder and the provider it came from, for error messages. */
  public record ProviderDecoder(String provider, ChannelProvider.Decoder decoder) {}

  private ChannelRegistry(Map<String, Channel> channels, Map<String, MessageSender> senders,
      Map<String, ProviderDecoder> decoders, List<String> providers) {
    this.channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    this.senders = Map.copyOf(senders);
    this.decoders = Map.copyOf(decoders);
    this.providers = List.copyOf(providers);
  }

  /**
   * Builds the registry.
   *
   * @param custom channels set on the builder, by id
   * @param customSenders senders set on the builder, by channel id
   * @param explicit providers registered on the builder
   * @param discover whether to look for providers with the ServiceLoader
   * @throws UnknownChannelException if a builder sender names a channel nobody defines
   */
  public static ChannelRegistry build(Map<String, Channel> custom, Map<String, MessageSender> customSenders,
      List<ChannelProvider> explicit, boolean discover) {
    Map<String, Channel> channels = new LinkedHashMap<>(custom);
    for (Channel standard : Channel.standard()) {
      channels.putIfAbsent(standard.id(), standard);
    }
    Map<String, MessageSender> senders = new HashMap<>(customSenders);
    Map<String, ProviderDecoder> decoders = new HashMap<>();
    List<String> loaded = new ArrayList<>();
    List<ChannelProvider> all = new ArrayList<>(explicit);
    if (discover) {
      all.addAll(discover());
    }
    for (ChannelProvider provider : all) {
      register(provider, channels, senders, decoders).ifPresent(loaded::add);
    }
    for (String channel : senders.keySet()) {
      if (!channels.containsKey(channel)) {
        throw new UnknownChannelException(channel);
      }
    }
    return new ChannelRegistry(channels, senders, decoders, loaded);
  }

  private static List<ChannelProvider> discover() {
    List<ChannelProvider> found = new ArrayList<>();
    Iterator<ChannelProvider> it;
    try {
      it = ServiceLoader.load(ChannelProvider.class).iterator();
    } catch (ServiceConfigurationError | RuntimeException e) {
      LOG.warn("looking up channel providers failed; none are loaded from the class path", e);
      return found;
    }
    int failures = 0;
    while (failures < MAX_LOAD_FAILURES) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        failures++;
        LOG.warn("a channel provider failed to load and is left out; the others still load: {}", describe(e));
        LOG.debug("the failure in full", e);
      }
    }
    return found;
  }

  /** Asks one provider for everything first, so that a provider failing half-way adds nothing. */
  private static Optional<String> register(ChannelProvider provider, Map<String, Channel> channels,
      Map<String, MessageSender> senders, Map<String, ProviderDecoder> decoders) {
    String name = provider.getClass().getName();
    try {
      name = provider.name() + " (" + provider.getClass().getName() + ")";
      int version = provider.apiVersion();
      if (version != ChannelProvider.API_VERSION) {
        LOG.warn("channel provider {} declares SPI version {}, this Omni speaks version {}; it is left out",
            name, version, ChannelProvider.API_VERSION);
        return Optional.empty();
      }
      List<Channel> offered = List.copyOf(provider.channels());
      Map<String, MessageSender> itsSenders = new HashMap<>();
      Map<String, ProviderDecoder> itsDecoders = new HashMap<>();
      for (Channel channel : offered) {
        provider.sender(channel.id()).ifPresent(s -> itsSenders.put(channel.id(), s));
        String provName = name;
        provider.decoder(channel.id()).ifPresent(d -> itsDecoders.put(channel.id(), new ProviderDecoder(provName, d)));
      }
      for (Channel channel : offered) {
        Channel known = channels.putIfAbsent(channel.id(), channel);
        if (known != null && !known.equals(channel)) {
          LOG.info("channel provider {} redefines channel {}; the first definition is kept", name, channel.id());
        }
      }
      itsSenders.forEach(senders::putIfAbsent);
      itsDecoders.forEach(decoders::putIfAbsent);
      LOG.debug("channel provider {} brings {}", name, offered);
      return Optional.of(name);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("channel provider {} failed and is left out; the others still work: {}", name, describe(e));
      LOG.debug("the failure in full", e);
      return Optional.empty();
    }
  }

  /** The failure and its causes on one line, so that the warning says what went wrong. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.toString());
    Throwable cause = failure.getCause();
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      text.append("; caused by ").append(cause);
    }
    return text.toString();
  }

  /** The channel with this id, if known. */
  public Optional<Channel> find(String id) {
    return Optional.ofNullable(id == null ? null : channels.get(id));
  }

  /**
   * The channel with this id.
   *
   * @throws UnknownChannelException if it is not known
   */
  public Channel require(String id) {
    return find(id).orElseThrow(() -> new UnknownChannelException(id));
  }

  /** The sender of a channel, if one was set or provided; it reports to {@link #metrics}. */
  public Optional<MessageSender> sender(String channel) {
    MessageSender sender = senders.get(channel);
    Metrics report = metrics;
    if (sender == null || report == Metrics.NONE) {
      return Optional.ofNullable(sender);
    }
    return Optional.of(message -> {
      try {
        sender.send(message);
      } catch (RuntimeException e) {
        report.sendFailed(channel);
        throw e;
      }
      report.sent(channel);
    });
  }

  /** Where sent and failed messages are reported; {@link Metrics#NONE} by default. */
  public void metrics(Metrics metrics) {
    this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
  }

  /** The payload decoder of a channel, if a provider brings one. */
  public Optional<ProviderDecoder> decoder(String channel) {
    return Optional.ofNullable(decoders.get(channel));
  }

  /** Every known channel. */
  public Collection<Channel> all() {
    return channels.values();
  }

  /** The providers that loaded, by name. */
  public List<String> providers() {
    return providers;
  }
}
