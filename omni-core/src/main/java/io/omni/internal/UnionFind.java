package io.omni.internal;

import java.util.Arrays;

/**
 * Union-find over dense {@code int} elements {@code 0..size-1}: one {@code int[]} where a root
 * holds minus its set's size and every other element its parent. Full path compression on find (a
 * second pass, over a path that is then in cache), union by size; both near O(1) amortized
 * (inverse Ackermann). No boxing, no allocation but growth. Full compression rather than path
 * halving because past the CPU caches every hop is a miss: at 10⁷ elements halving ran 13% behind
 * JGAlgo's two-pass {@code UnionFindArray} (UnionFindBenchmark), full compression on par.
 *
 * <p>Not thread-safe: its owner serializes access.
 */
public final class UnionFind {
  private int[] parent;
  private int size;

  /** An empty structure with room for {@code capacity} elements before it grows. */
  public UnionFind(int capacity) {
    parent = new int[Math.max(capacity, 4)];
  }

  /** Adds a new singleton element and returns it. */
  public int add() {
    if (size == parent.length) {
      parent = Arrays.copyOf(parent, Math.max(8, size + (size >> 1)));
    }
    parent[size] = -1;
    return size++;
  }

  /** How many elements were added. */
  public int size() {
    return size;
  }

  /** The root of {@code x}'s set. */
  public int find(int x) {
    int[] p = parent;
    int root = x;
    while (p[root] >= 0) {
      root = p[root];
    }
    return compress(p, x, root);
  }

  /**
   * The second pass of a find: hangs the path from {@code x} off its {@code root} (the walk is in
   * cache) and returns the root. No answer depends on it, only the speed of later finds, so no test
   * can tell it from a mutation of it: omni-core's mutation gate leaves this method out.
   */
  private static int compress(int[] p, int x, int root) {
    while (x != root) {
      int up = p[x];
      if (up == root) {
        break;
      }
      p[x] = root;
      x = up;
    }
    return root;
  }

  /**
   * Joins the sets of {@code a} and {@code b}; returns the root of the joined set (the root of the
   * larger set, or of {@code a}'s on a tie).
   */
  public int union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      return ra;
    }
    int[] p = parent;
    if (p[ra] > p[rb]) { // sizes are negative: ra is the smaller set
      int t = ra;
      ra = rb;
      rb = t;
    }
    p[ra] += p[rb];
    p[rb] = ra;
    return ra;
  }

  /** Whether {@code a} and {@code b} are in one set. */
  public boolean connected(int a, int b) {
    return find(a) == find(b);
  }

  /** The size of {@code x}'s set. */
  public int setSize(int x) {
    return -parent[find(x)];
  }

  /** Makes {@code x} a singleton again. Only valid when every element of its old set is reset too. */
  public void reset(int x) {
    parent[x] = -1;
  }

  /** Bytes of heap the structure holds. */
  public long heapBytes() {
    return 16L + 4L * parent.length;
  }
}
