package io.omni.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

final class UnionFindTest {

  /** Unions and queries against a quadratic reference: a label per element, relabelled on union. */
  @Property(tries = 500)
  void agrees_with_a_relabelling_reference(
      @ForAll @IntRange(min = 1, max = 60) int size,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 10_000) Integer> operations) {
    UnionFind uf = new UnionFind(2);
    int[] label = new int[size];
    for (int i = 0; i < size; i++) {
      assertThat(uf.add()).isEqualTo(i);
      label[i] = i;
    }
    for (int k = 0; k + 1 < operations.size(); k += 2) {
      int a = operations.get(k) % size;
      int b = operations.get(k + 1) % size;
      int root = uf.union(a, b);
      assertThat(root).isIn(uf.find(a), uf.find(b));
      int from = label[b];
      int to = label[a];
      for (int i = 0; i < size; i++) {
        if (label[i] == from) {
          label[i] = to;
        }
      }
    }
    for (int a = 0; a < size; a++) {
      int members = 0;
      for (int b = 0; b < size; b++) {
        assertThat(uf.connected(a, b)).isEqualTo(label[a] == label[b]);
        members += label[a] == label[b] ? 1 : 0;
      }
      assertThat(uf.setSize(a)).isEqualTo(members);
    }
  }
}
