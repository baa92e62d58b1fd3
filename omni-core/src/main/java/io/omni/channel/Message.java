package io.omni.channel;

import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Objects;

/**
 * One campaign message, as handed to a {@link MessageSender} and returned by {@code
 * campaigns().advance(now)}.
 *
 * <p>A message may reach a sender more than once — an instance that claimed it died before it
 * recorded the send, or a sender failed and is tried again — and every copy carries the same
 * {@link #idempotencyKey()}: pass it to the gateway (most take one) so that it drops the copies.
 *
 * <pre>{@code
 * Omni.builder().sender("sms", message ->
 *     gateway.send(message.to().value(), message.text(), message.idempotencyKey()));
 * }</pre>
 *
 * @param channel the channel it goes out in, e.g. {@code "sms"}
 * @param to the identifier that reaches the customer there (a phone for SMS)
 * @param text the campaign's text
 * @param runId the campaign run it belongs to
 * @param promoCode the run's promo code
 * @param profile the customer
 * @param step the index of the cascade step that sent it, from 0
 * @param at when it was sent: the time given to the {@code advance} that sent it
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

  /**
   * What identifies this message among every message of every campaign, the same on each delivery
   * of it: {@code runId + ":" + step}, such as {@code "run-7KQ2M9XPLR4T:1"}. A message is the one
   * of its run's step, so two messages with one key are copies of one message.
   */
  public String idempotencyKey() {
    return runId + ":" + step;
  }
}
