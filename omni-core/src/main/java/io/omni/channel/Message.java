package io.omni.channel;

import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Objects;

/**
 * One campaign message, as handed to a {@link MessageSender} and returned by {@code
 * campaigns().advance(now)}.
 *
 * @param channel the channel it goes out in, e.g. {@code "sms"}
 * @param to the identifier that reaches the customer there (a phone for SMS)
 * @param text the campaign's text
 * @param runId the campaign run it belongs to
 * @param promoCode the run's promo code
 * @param profile the customer
 * @param step the index of the cascade step that sent it, from 0
 * @param at when it was sent
 */
public record Message(
    String channel, Identifier to, String text, String runId, String promoCode, ProfileId profile, int step, Instant at) {

  /** Checks that nothing is null. */
  public Message {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(promoCode, "promoCode");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(at, "at");
    if (step < 0) {
      throw new IllegalArgumentException("message step must be 0 or more, was " + step);
    }
  }
}
