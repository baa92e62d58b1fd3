package io.omni.internal.journey;

import io.omni.Pruned;
import io.omni.internal.Limits;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.IdentityStore;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long an Omni keeps processed event ids, touchpoints, the change feed's entries and ended
 * campaign runs, and {@code
 * omni.prune(now)}, which asks the stores to drop the rest. Nothing runs by itself: the shop's scheduler calls it.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final EventStore events;
  private final Duration processedEvents;
  private final Duration journeyAge;
  private final int journeyLimit;
  private IdentityStore identities;
  private Duration changeAge;
  private CampaignStore campaigns;
  private Duration campaignAge;

  /**
   * The retention of one Omni.
   *
   * @param journeyAge how long touchpoints are kept, or {@code null} for ever
   * @param journeyLimit how many touchpoints a profile keeps, or 0 for no limit
   */
  public Retention(EventStore events, Duration processedEvents, Duration journeyAge, int journeyLimit) {
    this.events = Objects.requireNonNull(events, "events");
    this.processedEvents = Objects.requireNonNull(processedEvents, "processedEvents");
    this.journeyAge = journeyAge;
    this.journeyLimit = journeyLimit;
  }

  /** Also prunes the change feed of this identity store, keeping entries for {@code age}. */
  public Retention changes(IdentityStore identities, Duration age) {
    this.identities = Objects.requireNonNull(identities, "identities");
    this.changeAge = Objects.requireNonNull(age, "age");
    return this;
  }

  /** Also prunes the campaign runs of this store that ended more than {@code age} ago, with their outbox entries. */
  public Retention campaigns(CampaignStore campaigns, Duration age) {
    this.campaigns = Objects.requireNonNull(campaigns, "campaigns");
    this.campaignAge = Objects.requireNonNull(age, "age");
    return this;
  }

  /** Drops what is older than the settings keep, as of {@code now}; see {@code Omni.prune}. */
  public Pruned prune(Instant now) {
    Limits.instant("now", now);
    long marks = events.pruneProcessed(before(now, processedEvents));
    long touchpoints = 0;
    if (journeyAge != null) {
      touchpoints += events.pruneTouchpoints(before(now, journeyAge));
    }
    if (journeyLimit > 0) {
      touchpoints += events.keepLatestTouchpoints(journeyLimit);
    }
    long changes = identities == null ? 0 : identities.pruneChanges(before(now, changeAge));
    long runs = campaigns == null ? 0 : campaigns.pruneEnded(before(now, campaignAge));
    LOG.info("pruned {} processed event ids, {} touchpoints, {} change feed entries and {} ended campaign runs as of {}",
        marks, touchpoints, changes, runs, now);
    return new Pruned(marks, touchpoints, changes, runs);
  }

  /** {@code now - age}, or the earliest instant when that is before it (a retention of ages). */
  private static Instant before(Instant now, Duration age) {
    try {
      return now.minus(age);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MIN;
    }
  }
}
