package io.omni.channel;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's decision about being messaged in one channel. Without one, consent is granted;
 * a refusal is honoured by every campaign.
 *
 * @param channel the channel it is about, e.g. {@code "sms"}
 * @param granted whether messages may be sent there
 * @param at when the decision was made
 * @param source the event id that carried it, or {@code "api"} for {@code omni.consent(...)}
 */
public record Consent(String channel, boolean granted, Instant at, String source) {

  /** Checks that nothing is null. */
  public Consent {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(source, "source");
  }

  /** A consent decision. */
  public static Consent of(String channel, boolean granted, Instant at, String source) {
    return new Consent(channel, granted, at, source);
  }
}
