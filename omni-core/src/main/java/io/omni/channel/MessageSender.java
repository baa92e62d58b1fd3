package io.omni.channel;

/**
 * Delivers campaign messages in one channel: an adapter over a mail service, an SMS gateway, a
 * messenger's API. Omni calls it from {@code campaigns().advance(now)} on the caller's thread,
 * outside every Omni lock, so a slow gateway holds up that {@code advance} and nothing else.
 *
 * <pre>{@code
 * Omni.builder().sender("email", message ->
 *     mailer.send(message.to().value(), message.text(), message.idempotencyKey()));
 * }</pre>
 *
 * <p>A message may be handed over more than once (an instance died between claiming and recording
 * it), always with the same {@link Message#idempotencyKey()}: pass the key on to the gateway, or
 * drop copies yourself. A sender that throws is tried again later with backoff ({@code
 * Omni.builder().deliveryAttempts(n)}, {@code deliveryBackoff(d)}); after the last attempt the
 * step is recorded as failed on the run and the cascade moves on to its next step. An {@link
 * Error} is not caught: the message stays claimed until its lease ends and is then sent again.
 */
@FunctionalInterface
public interface MessageSender {

  /** Delivers one message. */
  void send(Message message);
}
