package io.omni.spi;

import io.omni.channel.Channel;
import java.util.List;

/** A provider on the test class path that cannot even be constructed. */
public final class BrokenConstructorProvider implements ChannelProvider {

  public BrokenConstructorProvider() {
    throw new IllegalStateException("missing API key for broken-constructor");
  }

  @Override
  public String name() {
    return "broken-constructor";
  }

  @Override
  public int apiVersion() {
    return API_VERSION;
  }

  @Override
  public List<Channel> channels() {
    return List.of();
  }
}
