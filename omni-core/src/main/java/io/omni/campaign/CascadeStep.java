package io.omni.campaign;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a {@link Cascade}: a channel to message the customer in and how long to wait for a
 * reaction before escalating to the next step.
 *
 * @param channel the channel id, e.g. {@code "email"}
 * @param window how long to wait after the message is sent, more than zero
 */
public record CascadeStep(String channel, Duration window) {

  /** Checks the fields. */
  public CascadeStep {
    Objects.requireNonNull(channel, "channel");
    if (channel.isBlank()) {
      throw new IllegalArgumentException("a cascade step needs a channel id, was blank");
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the window of cascade step " + channel + " must be positive, was " + window);
    }
  }

  /** A step: message in {@code channel}, then wait {@code window}. */
  public static CascadeStep step(String channel, Duration window) {
    return new CascadeStep(channel, window);
  }
}
