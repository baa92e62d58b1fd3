package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Clusters alone: members, merges, aliases, counts, removal and reassignment against a model. */
final class ClustersTest {

  @Test
  void adds_and_merges_visit_no_member_and_keep_counts() {
    Clusters clusters = new Clusters();
    int a = clusters.newProfile(10);
    int b = clusters.newProfile(20);
    for (int i = 0; i < 600; i++) {
      clusters.add(i, i % 2 == 0 ? 1 : 9, i % 3 == 0, i < 400 ? a : b);
    }
    clusters.merge(a, b);
    assertThat(clusters.memberVisits()).isZero();
    assertThat(clusters.typeCounts(a, 10)).containsExactly(0, 300, 0, 0, 0, 0, 0, 0, 0, 300);
    assertThat(clusters.typeCounts(b, 10)).containsOnly(0);
    assertThat(clusters.fixedLines(a)).isEqualTo(200);
    assertThat(clusters.fixedLines(b)).isZero();
    assertThat(clusters.canonical(b)).isEqualTo(a);
    assertThat(clusters.isAlias(b)).isTrue();
    assertThat(clusters.profileOf(599)).isEqualTo(a);
    assertThat(clusters.liveProfiles()).isEqualTo(1);
    assertThat(clusters.members(a)).hasSize(600).isSorted();
    assertThat(clusters.memberVisits()).isEqualTo(600);
    assertThat(clusters.createdMillis(b)).isEqualTo(20);
    List<Integer> merged = new ArrayList<>();
    clusters.mergedInto(a, merged::add);
    assertThat(merged).containsExactly(b);
    assertThatThrownBy(() -> clusters.merge(a, a)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aliases_chain_to_the_live_survivor() {
    Clusters clusters = new Clusters();
    int a = clusters.newProfile(0);
    int b = clusters.newProfile(0);
    int c = clusters.newProfile(0);
    clusters.add(0, 0, false, a);
    clusters.add(1, 0, false, b);
    clusters.merge(b, a); // a -> b
    clusters.alias(c, b); // c is empty
    int d = clusters.newProfile(0);
    clusters.add(2, 0, false, d);
    clusters.merge(d, b); // b -> d
    assertThat(clusters.canonical(a)).isEqualTo(d);
    assertThat(clusters.canonical(c)).isEqualTo(d);
    assertThat(clusters.profileOf(0)).isEqualTo(d);
    assertThatThrownBy(() -> clusters.alias(d, a)).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Random adds, merges, removals and reassignments over up to 40 identifiers against a plain
   * model (a profile per identifier): members, profiles and type counts always agree.
   */
  @Property(tries = 200)
  void agrees_with_a_model(@ForAll @Size(max = 120) List<@IntRange(min = 0, max = 9_999) Integer> ops) {
    Clusters clusters = new Clusters();
    List<Integer> profileOf = new ArrayList<>(); // by identifier index; 0 when removed
    List<Integer> typeOf = new ArrayList<>();
    Set<Integer> fixedLines = new HashSet<>(); // indexes added as fixed-line phones
    IntPredicate fixedOf = fixedLines::contains;
    Set<Integer> live = new HashSet<>();
    for (int op : ops) {
      int kind = op % 4;
      if (kind == 0 || live.isEmpty()) {
        int p = clusters.newProfile(op);
        int index = profileOf.size();
        int type = (op / 4) % 10;
        clusters.add(index, type, type == 1 && op % 3 == 0, p);
        profileOf.add(p);
        typeOf.add(type);
        if (type == 1 && op % 3 == 0) {
          fixedLines.add(index);
        }
        live.add(p);
      } else if (kind == 1 && live.size() > 1) {
        List<Integer> ps = new ArrayList<>(live);
        int s = ps.get((op / 4) % ps.size());
        int m = ps.get((op / 40) % ps.size());
        if (s != m) {
          clusters.merge(s, m);
          profileOf.replaceAll(p -> p == m ? s : p);
          live.remove(m);
        }
      } else if (kind == 2) {
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < profileOf.size(); i++) {
          if (profileOf.get(i) != 0) {
            present.add(i);
          }
        }
        int index = present.get((op / 4) % present.size());
        int p = profileOf.get(index);
        clusters.remove(index, typeOf.get(index), fixedOf.test(index));
        profileOf.set(index, 0);
        if (!profileOf.contains(p)) {
          live.remove(p); // empty now, like the store's profiles()
        }
      } else {
        // split one live profile in two by member parity
        List<Integer> ps = new ArrayList<>(live);
        int p = ps.get((op / 4) % ps.size());
        List<Integer> even = new ArrayList<>();
        List<Integer> odd = new ArrayList<>();
        for (int i = 0; i < profileOf.size(); i++) {
          if (profileOf.get(i) == p) {
            (i % 2 == 0 ? even : odd).add(i);
          }
        }
        if (even.isEmpty() || odd.isEmpty()) {
          continue;
        }
        int q = clusters.newProfile(op);
        clusters.reassign(List.of(p, q), new int[] {p, q},
            List.of(even.stream().mapToInt(i -> i).toArray(), odd.stream().mapToInt(i -> i).toArray()), typeOf::get,
            fixedOf);
        odd.forEach(i -> profileOf.set(i, q));
        live.add(q);
      }
      for (int p : live) {
        List<Integer> expected = new ArrayList<>();
        int[] counts = new int[10];
        int fixed = 0;
        for (int i = 0; i < profileOf.size(); i++) {
          if (profileOf.get(i) == p) {
            expected.add(i);
            counts[typeOf.get(i)]++;
            fixed += fixedLines.contains(i) ? 1 : 0;
            assertThat(clusters.profileOf(i)).isEqualTo(p);
          }
        }
        assertThat(clusters.members(p)).isEqualTo(expected);
        assertThat(clusters.typeCounts(p, 10)).startsWith(counts);
        assertThat(clusters.fixedLines(p)).as("fixed lines of %d", p).isEqualTo(fixed);
        assertThat(clusters.isAlias(p)).isFalse();
      }
      assertThat(clusters.liveProfiles()).isEqualTo(live.size());
    }
  }
}
