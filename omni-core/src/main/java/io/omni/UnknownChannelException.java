package io.omni;

/**
 * A channel id was used that this Omni does not know: it is neither a standard channel nor one
 * added with {@code Omni.Builder.channel(...)} or by a {@link io.omni.spi.ChannelProvider}.
 * Nothing is stored when this is thrown.
 */
public final class UnknownChannelException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String channel;

  /** Creates the exception for the channel id that is unknown. */
  public UnknownChannelException(String channel) {
    super("unknown channel '" + channel + "': add it with Omni.Builder.channel(...) or a ChannelProvider");
    this.channel = channel;
  }

  /** The channel id that is unknown. */
  public String channel() {
    return channel;
  }
}
