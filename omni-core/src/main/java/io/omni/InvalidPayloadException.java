package io.omni;

import java.util.Objects;

/**
 * A channel's raw payload could not be decoded into events: the channel has no decoder, the
 * payload is not the JSON its provider expects, or the provider's decoder failed. Nothing is
 * stored when this is thrown.
 */
public final class InvalidPayloadException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String channel;
  private final String reason;

  /** Creates the exception naming the channel and why its payload was refused. */
  public InvalidPayloadException(String channel, String reason, Throwable cause) {
    super("payload of channel '" + channel + "' refused: " + reason, cause);
    this.channel = channel;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The channel the payload came from. */
  public String channel() {
    return channel;
  }

  /** Why the payload was refused. */
  public String reason() {
    return reason;
  }
}
