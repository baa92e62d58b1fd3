package io.omni.examples.spring;

import io.omni.Omni;
import io.omni.channel.Message;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves every campaign on: Omni starts no threads, so the shop's scheduler calls {@code advance}.
 * It runs on every instance of the shop; see the README's "Spring Boot" section for what makes
 * that safe.
 */
@Component
class CampaignScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignScheduler.class);
  private final Omni omni;
  private final Clock clock;

  CampaignScheduler(Omni omni, Clock clock) {
    this.omni = omni;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${shop.campaigns.advance-every}",
      initialDelayString = "${shop.campaigns.advance-every}")
  void advance() {
    List<Message> sent = omni.campaigns().advance(clock.instant());
    if (!sent.isEmpty()) {
      LOG.info("campaigns sent {} messages", sent.size());
    }
  }
}
