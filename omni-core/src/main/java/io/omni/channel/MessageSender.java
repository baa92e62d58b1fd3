package io.omni.channel;

/**
 * Delivers campaign messages in one channel: an adapter over a mail service, an SMS gateway, a
 * messenger's API. Omni calls it from {@code campaigns().advance(now)} on the caller's thread.
 *
 * <pre>{@code
 * Omni.builder().sender("email", message -> mailer.send(message.to().value(), message.text()));
 * }</pre>
 *
 * <p>A sender that throws is logged; the step counts as not delivered and the cascade moves on to
 * its next step.
 */
@FunctionalInterface
public interface MessageSender {

  /** Delivers one message. */
  void send(Message message);
}
