package io.omni.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it. Thread-safe, so that several threads and
 * several {@code Omni} instances can share one.
 */
public final class TestClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public TestClock(Instant start) {
    this.now = start;
  }

  /** A clock standing at 2026-01-01T10:00:00Z. */
  public TestClock() {
    this(Instant.parse("2026-01-01T10:00:00Z"));
  }

  /** A clock standing at an ISO-8601 instant such as {@code "2026-03-02T10:00:00Z"}. */
  public static TestClock at(String instant) {
    return new TestClock(Instant.parse(instant));
  }

  /** Moves the clock forward and returns the new time. */
  public synchronized Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }

  /** Sets the clock to an instant, forward or back. */
  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
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
