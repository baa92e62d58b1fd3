package io.omni.spi;

import io.omni.channel.Channel;
import java.util.List;

/** A provider on the test class path whose {@code channels()} throws. */
public final class BrokenChannelsProvider implements ChannelProvider {
  /** The ServiceLoader's constructor. */
  public BrokenChannelsProvider() {}


  @Override
  public String name() {
    return "broken-channels";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public List<Channel> channels() {
    throw new IllegalStateException("channel catalogue unavailable");
  }
}
