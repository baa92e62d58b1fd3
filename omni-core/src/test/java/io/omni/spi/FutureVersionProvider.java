package io.omni.spi;

import io.omni.channel.Channel;
import io.omni.channel.ChannelKind;
import java.util.List;

/** A provider on the test class path written against an SPI version this Omni does not speak. */
public final class FutureVersionProvider implements ChannelProvider {
  /** The ServiceLoader's constructor. */
  public FutureVersionProvider() {}


  @Override
  public String name() {
    return "future";
  }

  @Override
  public int apiVersion() {
    return API_VERSION + 1;
  }

  @Override
  public List<Channel> channels() {
    return List.of(Channel.of("future", ChannelKind.APP));
  }
}
