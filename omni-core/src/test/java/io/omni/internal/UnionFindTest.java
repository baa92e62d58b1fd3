package io.omni.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * How a find compresses the path is invisible from outside: the root of a set depends only on the
 * order of unions and the sizes of the sets, so every answer matches a reference that compresses
 * differently (path halving, the previous implementation).
 */
final class UnionFindTest {

  /** Union by size with path halving: roots hold minus the size, ties keep a's root. */
  private static final class Halving {
    final int[] p;

    Halving(int n) {
      p = new int[n];
      java.util.Arrays.fill(p, -1);
    }

    int find(int x) {
      while (p[x] >= 0) {
        int up = p[x];
        if (p[up] < 0) {
          return up;
        }
        p[x] = p[up];
        x = p[up];
      }
      return x;
    }

    int union(int a, int b) {
      int ra = find(a);
      int rb = find(b);
      if (ra == rb) {
        return ra;
      }
      if (p[ra] > p[rb]) {
        int t = ra;
        ra = rb;
        rb = t;
      }
      p[ra] += p[rb];
      p[rb] = ra;
      return ra;
    }
  }

  @Test
  void finds_unions_and_sizes_answer_as_a_path_halving_reference() {
    for (int n : new int[] {1, 2, 10, 1000, 100_000}) {
      SplittableRandom random = new SplittableRandom(n);
      UnionFind uf = new UnionFind(1);
      for (int i = 0; i < n; i++) {
        assertThat(uf.add()).isEqualTo(i);
      }
      Halving reference = new Halving(n);
      for (int k = 0; k < 4 * n + 100; k++) {
        int a = random.nextInt(n);
        int b = random.nextInt(n);
        if (random.nextBoolean()) {
          assertThat(uf.union(a, b)).as("union(%d, %d)", a, b).isEqualTo(reference.union(a, b));
        } else {
          assertThat(uf.find(a)).as("find(%d)", a).isEqualTo(reference.find(a));
          assertThat(uf.connected(a, b)).isEqualTo(reference.find(a) == reference.find(b));
          assertThat(uf.setSize(a)).isEqualTo(-reference.p[reference.find(a)]);
        }
      }
    }
  }

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

  @Test
  void heap_bytes_follow_the_array_which_grows_by_half_when_full() {
    UnionFind uf = new UnionFind(0); // room for four to start with
    assertThat(uf.size()).isZero();
    assertThat(uf.heapBytes()).isEqualTo(16 + 4 * 4);
    for (int i = 0; i < 5; i++) {
      uf.add();
    }
    assertThat(uf.size()).isEqualTo(5);
    assertThat(uf.heapBytes()).isEqualTo(16 + 4 * 8); // never fewer than eight
    for (int i = 5; i < 9; i++) {
      uf.add();
    }
    assertThat(uf.heapBytes()).isEqualTo(16 + 4 * 12); // eight and half of it
    assertThat(uf.find(8)).isEqualTo(8);
  }
}
