package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.ClockDriftException;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hybrid logical clock: follows physical time, never goes back, stays after what it has seen. */
final class HybridClockTest {
  private final TestClock physical = TestClock.at("2026-11-22T10:00:00Z");
  private final HybridClock hlc = HybridClock.of(physical, "web-1", Duration.ofMinutes(1));

  @Test
  void stamps_follow_physical_time_and_count_within_a_millisecond() {
    Stamp first = hlc.now();
    Stamp second = hlc.now();
    assertThat(first).isEqualTo(Stamp.of(physical.millis(), 0, "web-1"));
    assertThat(second).isEqualTo(Stamp.of(physical.millis(), 1, "web-1"));
    physical.advance(Duration.ofMillis(5));
    assertThat(hlc.now()).isEqualTo(Stamp.of(physical.millis(), 0, "web-1"));
  }

  @Test
  void stamps_never_go_back_when_the_physical_clock_does() {
    Stamp before = hlc.now();
    physical.advance(Duration.ofSeconds(-30));
    assertThat(hlc.now()).isGreaterThan(before);
  }

  @Test
  void after_an_update_local_stamps_come_after_the_remote_one() {
    Stamp remote = Stamp.of(physical.millis() + 40_000, 7, "pos-7");
    Stamp received = hlc.update(remote);
    assertThat(received).isGreaterThan(remote);
    assertThat(hlc.now()).isGreaterThan(received);
    assertThat(hlc.now().millis()).isEqualTo(remote.millis());
  }

  @Test
  void the_logical_counter_rolls_into_the_next_millisecond_instead_of_overflowing() {
    hlc.update(Stamp.of(physical.millis(), Stamp.MAX_LOGICAL, "pos-7"));
    Stamp next = hlc.now();
    assertThat(next.millis()).isEqualTo(physical.millis() + 1);
    assertThat(next.logical()).isLessThanOrEqualTo(1);
  }

  @Test
  void a_stamp_more_than_max_drift_ahead_is_refused_and_the_clock_is_unchanged() {
    Stamp tooFar = Stamp.of(physical.millis() + 60_001, 0, "pos-9");
    assertThatThrownBy(() -> hlc.update(tooFar))
        .isInstanceOf(ClockDriftException.class)
        .hasMessageContaining(tooFar.toString())
        .hasMessageContaining(Instant.ofEpochMilli(physical.millis()).toString())
        .hasMessageContaining("PT1M");
    assertThat(hlc.now()).isEqualTo(Stamp.of(physical.millis(), 0, "web-1"));
    hlc.update(Stamp.of(physical.millis() + 60_000, 0, "pos-9")); // exactly at the bound is accepted
  }

  @Test
  void equal_times_order_by_replica_id() {
    assertThat(Stamp.of(5, 0, "b")).isGreaterThan(Stamp.of(5, 0, "a"));
    assertThat(Stamp.of(5, 1, "a")).isGreaterThan(Stamp.of(5, 0, "b"));
    assertThat(Stamp.of(5, 0, "a")).isEqualByComparingTo(Stamp.of(5, 0, new String("a")));
  }

  @Test
  void settings_are_checked_by_name() {
    assertThatThrownBy(() -> HybridClock.of(physical, "no spaces", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replica");
    assertThatThrownBy(() -> HybridClock.of(physical, "a", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDrift must be positive, was PT0S");
    assertThatThrownBy(() -> Stamp.of(1, -1, "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logical");
  }

  @Test
  void an_update_in_the_millisecond_of_the_last_stamp_counts_on_from_the_larger_counter() {
    hlc.now();
    hlc.now();
    hlc.now(); // the clock is at counter 2 of this millisecond
    assertThat(hlc.update(Stamp.of(physical.millis(), 1, "pos-7"))).isEqualTo(Stamp.of(physical.millis(), 3, "web-1"));
    assertThat(hlc.update(Stamp.of(physical.millis(), 9, "pos-7"))).isEqualTo(Stamp.of(physical.millis(), 10, "web-1"));
  }

  @Test
  void an_update_from_a_later_millisecond_counts_on_from_the_remote_counter_alone() {
    hlc.now();
    hlc.now();
    hlc.now(); // counter 2 here; the remote stamp's millisecond is new to this clock
    long later = physical.millis() + 10;
    assertThat(hlc.update(Stamp.of(later, 0, "pos-7"))).isEqualTo(Stamp.of(later, 1, "web-1"));
  }

  @Test
  void an_update_behind_the_clocks_own_lead_counts_on_from_the_local_counter_alone() {
    long ahead = physical.millis() + 10;
    hlc.update(Stamp.of(ahead, 4, "pos-7")); // the clock now leads physical time: ahead.5
    assertThat(hlc.update(Stamp.of(physical.millis(), 9, "app-3"))).isEqualTo(Stamp.of(ahead, 6, "web-1"));
  }

  @Test
  void an_update_from_the_past_takes_the_physical_time_with_a_fresh_counter() {
    physical.advance(Duration.ofSeconds(1));
    assertThat(hlc.update(Stamp.of(physical.millis() - 500, 9, "pos-7"))).isEqualTo(Stamp.of(physical.millis(), 0, "web-1"));
  }

  @Test
  void the_last_counter_value_is_used_before_the_clock_moves_to_the_next_millisecond() {
    Stamp last = hlc.update(Stamp.of(physical.millis(), Stamp.MAX_LOGICAL - 1, "pos-7"));
    assertThat(last).isEqualTo(Stamp.of(physical.millis(), Stamp.MAX_LOGICAL, "web-1"));
    assertThat(hlc.now()).isEqualTo(Stamp.of(physical.millis() + 1, 0, "web-1"));
    assertThat(hlc.now()).isEqualTo(Stamp.of(physical.millis() + 1, 1, "web-1"));
  }

  @Test
  void now_after_a_stamp_the_replica_holds_comes_after_it_however_far_ahead_it_is() {
    Stamp peers = Stamp.of(physical.millis() + 120_000, 3, "pos-7"); // past maxDrift: already accepted by the store
    Stamp mine = hlc.nowAfter(peers);
    assertThat(mine).isEqualTo(Stamp.of(peers.millis(), 4, "web-1"));
    assertThat(hlc.now()).isGreaterThan(mine);
  }

  @Test
  void check_refuses_a_stamp_too_far_ahead_and_moves_the_clock_for_none() {
    hlc.check(Stamp.of(physical.millis() + 60_000, 0, "pos-9")); // exactly at the bound
    assertThatThrownBy(() -> hlc.check(Stamp.of(physical.millis() + 60_001, 0, "pos-9")))
        .isInstanceOf(ClockDriftException.class);
    assertThat(hlc.now()).isEqualTo(Stamp.of(physical.millis(), 0, "web-1"));
  }

  @Test
  void the_clock_tells_its_replica_drift_and_last_stamp() {
    assertThat(hlc.replica()).isEqualTo("web-1");
    assertThat(hlc.maxDrift()).isEqualTo(Duration.ofMinutes(1));
    Stamp last = hlc.now();
    assertThat(hlc).hasToString("HybridClock[web-1 at " + last.millis() + ".0, maxDrift=PT1M]");
    assertThatThrownBy(() -> HybridClock.of(physical, "a", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDrift must be positive, was PT-1S");
  }
}
