package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link TypeCounts} answers exactly what counting every change by hand answers. */
final class TypeCountsTest {

  @Test
  void counts_past_a_byte_and_past_the_eighth_type_exactly() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(2);
    for (int k = 0; k < 1000; k++) {
      counts.add(1, 3, 1);
    }
    counts.add(1, 11, 1);
    counts.add(2, 3, 1);
    counts.add(2, 7, 255);
    assertThat(counts.count(1, 3)).isEqualTo(1000);
    assertThat(counts.count(1, 11)).isEqualTo(1);
    assertThat(counts.copy(1, 2)).hasSize(12).startsWith(0, 0, 0, 1000);
    counts.moveAll(1, 2);
    assertThat(counts.count(2, 3)).isEqualTo(1001);
    assertThat(counts.count(2, 7)).isEqualTo(255);
    assertThat(counts.count(2, 11)).isEqualTo(1);
    assertThat(counts.copy(1, 12)).containsOnly(0);
    counts.add(2, 3, -1001);
    assertThat(counts.count(2, 3)).isZero();
  }

  @Test
  void a_read_fills_the_callers_row_for_a_packed_profile_and_shows_a_wide_ones_own_counts() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(2);
    counts.add(1, 2, 3);
    counts.add(1, 6, 1);
    counts.add(2, 3, 300);
    int[] row = {9, 9, 9, 9, 9, 9, 9, 9, 9};
    assertThat(counts.read(1, row)).isSameAs(row).containsExactly(0, 0, 3, 0, 0, 0, 1, 0, 0);
    // too short for the packed types: a copy, the row untouched
    int[] shortRow = {9, 9};
    assertThat(counts.read(1, shortRow)).containsExactly(0, 0, 3, 0, 0, 0, 1);
    assertThat(shortRow).containsExactly(9, 9);
    // wide: no copy, and what it shows follows the counts
    int[] wide = counts.read(2, row);
    assertThat(wide).isNotSameAs(row).startsWith(0, 0, 0, 300);
    counts.add(2, 3, 1);
    assertThat(wide[3]).isEqualTo(301);
    assertThat(counts.read(2, row)).isSameAs(wide);
  }

  @Test
  void a_packed_merge_that_would_carry_out_of_a_byte_is_counted_exactly() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(2);
    counts.add(1, 0, 200);
    counts.add(1, 1, 1);
    counts.add(2, 0, 100);
    counts.moveAll(2, 1);
    assertThat(counts.count(1, 0)).isEqualTo(300);
    assertThat(counts.count(1, 1)).isEqualTo(1);
    assertThat(counts.count(2, 0)).isZero();
  }

  /** The wide counts are held from the first wide profile on, and grow with the profiles after it. */
  @Test
  void wide_profiles_before_and_after_growth_keep_their_counts() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(2);
    counts.clear(1); // nothing wide yet
    counts.add(1, 0, 1);
    counts.add(2, 0, 300);
    counts.ensure(5_000);
    counts.add(4_999, 9, 2);
    counts.add(4_999, 1, 1);
    counts.moveAll(1, 2);

    assertThat(counts.count(2, 0)).isEqualTo(301);
    assertThat(counts.count(4_999, 9)).isEqualTo(2);
    assertThat(counts.count(4_999, 1)).isEqualTo(1);
    assertThat(counts.count(1, 0)).isZero();
    counts.clear(4_999);
    assertThat(counts.count(4_999, 9)).isZero();
  }

  @Test
  void refuses_to_count_below_zero() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(1);
    assertThatThrownBy(() -> counts.add(1, 2, -1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> counts.add(1, 9, -1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void counts_fixed_lines_apart_packed_wide_and_through_merges() {
    TypeCounts counts = new TypeCounts();
    counts.ensure(3);
    counts.add(1, 1, 3);
    counts.addFixedLines(1, 2);
    assertThat(counts.fixedLines(1)).isEqualTo(2);
    assertThat(counts.count(1, 1)).isEqualTo(3);
    assertThat(counts.copy(1, 7)).containsExactly(0, 3, 0, 0, 0, 0, 0);
    counts.addFixedLines(2, 127);
    counts.add(2, 1, 127);
    counts.moveAll(2, 1); // 129 fixed lines: past the packed 7 bits
    assertThat(counts.fixedLines(1)).isEqualTo(129);
    assertThat(counts.count(1, 1)).isEqualTo(130);
    assertThat(counts.fixedLines(2)).isZero();
    counts.add(1, 1, 200); // wide now: the fixed lines stay
    assertThat(counts.fixedLines(1)).isEqualTo(129);
    counts.addFixedLines(3, 100);
    counts.addFixedLines(3, 100); // past 127 alone
    assertThat(counts.fixedLines(3)).isEqualTo(200);
    assertThat(counts.count(3, 0)).isZero();
    counts.addFixedLines(3, -200);
    assertThat(counts.fixedLines(3)).isZero();
    assertThatThrownBy(() -> counts.addFixedLines(3, -1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> counts.addFixedLines(2, -1)).isInstanceOf(IllegalStateException.class);
    counts.clear(1);
    assertThat(counts.fixedLines(1)).isZero();
  }

  /**
   * Random adds, removals, merges and clears over a few profiles and types (ordinals past 7 and
   * runs past 255 included), fixed-line phones among them as one more column, against a plain
   * {@code int[][]}.
   */
  @Property(tries = 300)
  void agrees_with_a_plain_table(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 99_999) Integer> ops) {
    int profiles = 4;
    int types = 12;
    TypeCounts counts = new TypeCounts();
    counts.ensure(profiles);
    int fixed = types; // the model's column for fixed-line phones
    int[][] model = new int[profiles + 1][types + 1];
    for (int op : ops) {
      int p = 1 + op % profiles;
      int q = 1 + (op / profiles) % profiles;
      int type = (op / 16) % (types + 1);
      int howMany = 1 + (op / 256) % 300;
      switch ((op / 100_00) % 5) {
        case 0, 1 -> {
          if (type == fixed) {
            counts.addFixedLines(p, howMany);
          } else {
            counts.add(p, type, howMany);
          }
          model[p][type] += howMany;
        }
        case 2 -> {
          int take = Math.min(howMany, model[p][type]);
          if (type == fixed) {
            counts.addFixedLines(p, -take);
          } else {
            counts.add(p, type, -take);
          }
          model[p][type] -= take;
        }
        case 3 -> {
          if (p != q) {
            counts.moveAll(q, p);
            for (int t = 0; t <= types; t++) {
              model[p][t] += model[q][t];
              model[q][t] = 0;
            }
          }
        }
        default -> {
          counts.clear(p);
          model[p] = new int[types + 1];
        }
      }
      for (int r = 1; r <= profiles; r++) {
        for (int t = 0; t < types; t++) {
          assertThat(counts.count(r, t)).as("profile %d type %d", r, t).isEqualTo(model[r][t]);
        }
        assertThat(counts.fixedLines(r)).as("profile %d fixed lines", r).isEqualTo(model[r][fixed]);
        int[] copy = counts.copy(r, types);
        assertThat(copy.length).isGreaterThanOrEqualTo(types);
        for (int t = 0; t < copy.length; t++) {
          assertThat(copy[t]).isEqualTo(t < types ? model[r][t] : 0);
        }
      }
    }
  }
}
