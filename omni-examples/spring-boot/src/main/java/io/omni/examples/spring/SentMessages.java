package io.omni.examples.spring;

import io.omni.channel.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stands in for the shop's mail, SMS and Viber gateways: logs each campaign message and keeps it,
 * so that {@code GET /messages} shows what went out. A real gateway gets {@link Message#runId()}
 * and {@link Message#step()} to drop a message it has seen.
 */
@Component
public class SentMessages {
  private static final Logger LOG = LoggerFactory.getLogger(SentMessages.class);
  private final List<Message> sent = new CopyOnWriteArrayList<>();

  /** Sends one message (here: logs and keeps it). */
  public void send(Message message) {
    LOG.info("{} to {}: {}", message.channel(), message.to(), message.text());
    sent.add(message);
  }

  /** Every message sent so far, oldest first. */
  public List<Message> all() {
    return List.copyOf(sent);
  }
}
