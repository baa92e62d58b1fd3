package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stamp's fields, their bounds, and the total order that lets every replica converge. */
final class StampTest {

  @Test
  void millis_run_from_zero_to_max_millis() {
    assertThat(Stamp.of(0, 0, "a").millis()).isZero();
    assertThat(Stamp.of(Stamp.MAX_MILLIS, 0, "a").millis()).isEqualTo(Stamp.MAX_MILLIS);
    assertThatThrownBy(() -> Stamp.of(-1, 0, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stamp millis must be 0 to " + Stamp.MAX_MILLIS + ", was -1");
    assertThatThrownBy(() -> Stamp.of(Stamp.MAX_MILLIS + 1, 0, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stamp millis must be 0 to " + Stamp.MAX_MILLIS + ", was " + (Stamp.MAX_MILLIS + 1));
  }

  @Test
  void the_logical_counter_runs_from_zero_to_max_logical() {
    assertThat(Stamp.of(1, 0, "a").logical()).isZero();
    assertThat(Stamp.of(1, Stamp.MAX_LOGICAL, "a").logical()).isEqualTo(Stamp.MAX_LOGICAL);
    assertThatThrownBy(() -> Stamp.of(1, -1, "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("stamp logical must be 0 to 65535, was -1");
    assertThatThrownBy(() -> Stamp.of(1, Stamp.MAX_LOGICAL + 1, "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("stamp logical must be 0 to 65535, was 65536");
  }

  @Test
  void a_replica_id_is_1_to_64_letters_digits_dots_underscores_or_dashes() {
    for (String ok : List.of("a", "z", "A", "Z", "0", "9", ".", "_", "-", "eu-west_1.pos", "r".repeat(64))) {
      assertThat(Stamp.of(1, 0, ok).replica()).isEqualTo(ok);
    }
    // each character just outside a range that is allowed: ` { @ [ / :
    for (String bad : List.of("", "r".repeat(65), "`", "{", "@", "[", "/", ":", "pos 7", "kassa-é", "web+1")) {
      assertThatThrownBy(() -> Stamp.of(1, 0, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("stamp replica must be 1 to 64 letters, digits, '.', '_' or '-', was '" + bad + "'");
    }
    assertThatThrownBy(() -> Stamp.of(1, 0, null)).isInstanceOf(NullPointerException.class).hasMessage("replica");
  }

  @Test
  void stamps_order_by_millis_then_logical_counter_then_replica() {
    List<Stamp> ordered = List.of(
        Stamp.of(5, 9, "z"), // an earlier millisecond wins over a larger counter and replica
        Stamp.of(6, 0, "z"),
        Stamp.of(6, 1, "a"), // a larger counter wins over a smaller replica
        Stamp.of(6, 1, "b"),
        Stamp.of(7, 0, "a"));
    List<Stamp> shuffled = new ArrayList<>(ordered);
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(ordered);
    for (int i = 0; i < ordered.size(); i++) {
      for (int j = 0; j < ordered.size(); j++) {
        assertThat(Integer.signum(ordered.get(i).compareTo(ordered.get(j)))).isEqualTo(Integer.compare(i, j));
      }
    }
  }

  @Test
  void a_stamp_is_after_only_stamps_that_sort_before_it_never_after_itself() {
    Stamp stamp = Stamp.of(6, 1, "web-1");
    assertThat(stamp.isAfter(Stamp.of(6, 1, "pos-7"))).isTrue();
    assertThat(stamp.isAfter(Stamp.of(6, 1, new String("web-1")))).isFalse(); // an equal stamp: the same write
    assertThat(stamp.isAfter(Stamp.of(6, 2, "a"))).isFalse();
    assertThat(stamp.compareTo(Stamp.of(6, 1, new String("web-1")))).isZero();
  }

  @Test
  void to_string_is_millis_dot_counter_at_replica() {
    assertThat(Stamp.of(1_732_320_000_000L, 3, "web-1")).hasToString("1732320000000.3@web-1");
  }
}
