package io.omni.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TriesTest {
  @Test
  void a_step_that_fails_twice_then_succeeds_runs_three_times_and_each_failure_but_none_after_is_told() {
    AtomicInteger runs = new AtomicInteger();
    List<String> told = new ArrayList<>();
    Tries.upTo(3, () -> {
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("drop " + runs.get());
      }
    }, (e, tried, tries) -> told.add(e.getMessage() + " " + tried + "/" + tries));
    assertThat(runs).hasValue(3);
    assertThat(told).containsExactly("drop 1 1/3", "drop 2 2/3");
  }

  @Test
  void the_last_failure_propagates_after_the_given_number_of_tries() {
    AtomicInteger runs = new AtomicInteger();
    List<Integer> told = new ArrayList<>();
    assertThatThrownBy(() -> Tries.upTo(3, () -> {
      throw new IllegalStateException("drop " + runs.incrementAndGet());
    }, (e, tried, tries) -> told.add(tried)))
        .isInstanceOf(IllegalStateException.class).hasMessage("drop 3");
    assertThat(runs).hasValue(3);
    assertThat(told).containsExactly(1, 2);
  }

  @Test
  void a_step_that_succeeds_runs_once() {
    AtomicInteger runs = new AtomicInteger();
    Tries.upTo(3, runs::incrementAndGet, (e, tried, tries) -> {
      throw new AssertionError("told of a failure that did not happen");
    });
    assertThat(runs).hasValue(1);
  }

  @Test
  void an_error_is_not_tried_again() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> Tries.upTo(3, () -> {
      runs.incrementAndGet();
      throw new OutOfMemoryError("gone");
    }, (e, tried, tries) -> { })).isInstanceOf(OutOfMemoryError.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void fewer_than_one_try_is_refused_naming_the_number() {
    assertThatThrownBy(() -> Tries.upTo(0, () -> { }, (e, tried, tries) -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
  }
}
