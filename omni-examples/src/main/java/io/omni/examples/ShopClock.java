package io.omni.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the example moves by hand, so that a day of waiting for a customer to react takes no
 * time at all. Omni reads time only from the clock it is built with, which is what makes this
 * possible: campaigns advance when the application says so, never on a thread of their own.
 */
public final class ShopClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public ShopClock(Instant start) {
    this.now = start;
  }

  /** A clock standing at an ISO instant, e.g. {@code "2026-03-02T10:00:00Z"}. */
  public static ShopClock at(String instant) {
    return new ShopClock(Instant.parse(instant));
  }

  /** Moves the clock on and answers the new time. */
  public Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }

  /** Moves the clock to {@code instant} unless it already stands later: time never runs back. */
  public Instant moveTo(Instant instant) {
    if (instant.isAfter(now)) {
      now = instant;
    }
    return now;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
