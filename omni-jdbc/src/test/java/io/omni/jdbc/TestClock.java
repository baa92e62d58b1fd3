package io.omni.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it, so that two stores see the same times. */
final class TestClock extends Clock {
  private volatile Instant now = Instant.parse("2026-01-01T10:00:00Z");

  void advance(Duration by) {
    now = now.plus(by);
  }

  void set(Instant at) {
    now = at;
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
