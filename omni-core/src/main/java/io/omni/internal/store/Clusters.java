package io.omni.internal.store;

import io.omni.internal.UnionFind;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Which identifiers (by {@link IdentifierTable} index) form one profile's cluster, and the
 * profiles themselves:
 *
 * <ul>
 *   <li>a {@link UnionFind} over identifier indexes whose root carries the profile number;
 *   <li>a circular "next member" ring per cluster, so that two clusters join by swapping two links
 *       and a cluster's members are walked without a search;
 *   <li>per profile (numbered 1 and up in issue order): one member it is anchored at, its alias
 *       (the survivor it was merged into), its creation time, the profiles merged into it, and its
 *       exact {@link TypeCounts}, fixed-line phones counted apart.
 * </ul>
 *
 * <p>Adding an identifier and merging two profiles cost the same whatever the clusters hold;
 * {@link #remove} and {@link #reassign} re-form the clusters they touch and cost in proportion to
 * their members. Every walk over a cluster's members goes through {@link #members}, which counts
 * the members it visits ({@link #memberVisits}), so that a test can tell that a link walks none.
 *
 * <p>Not thread-safe: the store's lock guards it.
 */
final class Clusters {
  private static final int UNANCHORED = -1; // issued, no member yet (or all removed)
  private static final int MERGED = -2; // merged away: an alias

  // per identifier index
  private final UnionFind sets = new UnionFind(16);
  private int[] next = new int[16];
  private int[] profileAtRoot = new int[16];

  // per profile number (0 unused)
  private int profileCount;
  private int liveProfiles;
  private int[] anchor = new int[16];
  private int[] aliasOf = new int[16];
  private long[] createdMillis = new long[16];
  private int[] mergedHead = new int[16];
  private int[] mergedNext = new int[16];
  private final TypeCounts counts = new TypeCounts();

  private long memberVisits;

  // ---------------------------------------------------------------- profiles

  /** Issues a new, empty profile and returns its number. */
  int newProfile(long createdMillis) {
    int n = ++profileCount;
    if (n == anchor.length) {
      int capacity = n + (n >> 1) + 8;
      anchor = Arrays.copyOf(anchor, capacity);
      aliasOf = Arrays.copyOf(aliasOf, capacity);
      this.createdMillis = Arrays.copyOf(this.createdMillis, capacity);
      mergedHead = Arrays.copyOf(mergedHead, capacity);
      mergedNext = Arrays.copyOf(mergedNext, capacity);
    }
    counts.ensure(n);
    anchor[n] = UNANCHORED;
    this.createdMillis[n] = createdMillis;
    return n;
  }

  /** How many profile numbers were issued. */
  int profileCount() {
    return profileCount;
  }

  /** Profiles that are not aliases and hold at least one identifier. */
  int liveProfiles() {
    return liveProfiles;
  }

  /** Whether an issued profile was merged away (is an alias). */
  boolean isAlias(int profile) {
    return aliasOf[profile] != 0;
  }

  /** Whether an issued, live profile holds any identifier. */
  boolean hasMembers(int profile) {
    return anchor[profile] >= 0;
  }

  long createdMillis(int profile) {
    return createdMillis[profile];
  }

  /** The live profile an issued number stands for: itself, or the survivor it was merged into. */
  int canonical(int n) {
    int root = n;
    while (aliasOf[root] != 0) {
      root = aliasOf[root];
    }
    while (aliasOf[n] != 0 && aliasOf[n] != root) { // compress
      int up = aliasOf[n];
      aliasOf[n] = root;
      n = up;
    }
    return root;
  }

  /** The profiles merged straight into {@code profile}, most recent first, into {@code into}. */
  void mergedInto(int profile, java.util.function.IntConsumer into) {
    for (int m = mergedHead[profile]; m != 0; m = mergedNext[m]) {
      into.accept(m);
    }
  }

  /** The live profile whose cluster holds identifier {@code index}. */
  int profileOf(int index) {
    return profileAtRoot[sets.find(index)];
  }

  /** The profile's exact counts of identifiers per type ordinal, at least {@code length} long. */
  int[] typeCounts(int profile, int length) {
    return counts.copy(profile, length);
  }

  /**
   * The profile's counts per type ordinal for reading only, until the next change: {@code into}
   * filled, or the array {@link TypeCounts} keeps ({@link TypeCounts#read}).
   */
  int[] readTypeCounts(int profile, int[] into) {
    return counts.read(profile, into);
  }

  /** How many of the profile's identifiers were added as fixed-line phones; costs no walk. */
  int fixedLines(int profile) {
    return counts.fixedLines(profile);
  }

  // ---------------------------------------------------------------- changes

  /**
   * Puts a new identifier, just given {@code index} by the table (indexes come in order), into a
   * live profile's cluster. Costs the same whatever the cluster holds.
   *
   * @param fixedLine whether it is a fixed-line phone, counted apart ({@link #fixedLines})
   */
  void add(int index, int typeOrdinal, boolean fixedLine, int profile) {
    int element = sets.add();
    if (element != index) {
      throw new IllegalStateException("identifier index " + index + " out of order, expected " + element);
    }
    if (index == next.length) {
      int capacity = index + (index >> 1) + 8;
      next = Arrays.copyOf(next, capacity);
      profileAtRoot = Arrays.copyOf(profileAtRoot, capacity);
    }
    next[index] = index;
    join(profile, index);
    counts.add(profile, typeOrdinal, 1);
    if (fixedLine) {
      counts.addFixedLines(profile, 1);
    }
  }

  /**
   * Moves every member of live profile {@code merged} into live profile {@code survivor} (a union
   * and a ring splice) and makes {@code merged} its alias. Costs the same whatever they hold.
   */
  void merge(int survivor, int merged) {
    if (survivor == merged) {
      throw new IllegalArgumentException("cannot merge profile " + survivor + " into itself");
    }
    if (anchor[merged] >= 0) {
      join(survivor, anchor[merged]);
      counts.moveAll(merged, survivor);
      liveProfiles--;
    }
    counts.clear(merged);
    anchor[merged] = MERGED;
    makeAlias(merged, survivor);
  }

  /** Makes a live profile with no member an alias of {@code survivor}. */
  void alias(int merged, int survivor) {
    if (anchor[merged] >= 0) {
      throw new IllegalStateException("profile " + merged + " still has members; merge it instead");
    }
    anchor[merged] = MERGED;
    makeAlias(merged, survivor);
  }

  private void makeAlias(int merged, int survivor) {
    aliasOf[merged] = survivor;
    mergedNext[merged] = mergedHead[survivor];
    mergedHead[survivor] = merged;
  }

  /** Links two circular member lists into one. */
  private void splice(int a, int b) {
    int t = next[a];
    next[a] = next[b];
    next[b] = t;
  }

  /** Joins the cluster of identifier {@code index} into {@code profile}'s. */
  private void join(int profile, int index) {
    if (anchor[profile] < 0) {
      if (anchor[profile] == UNANCHORED) {
        liveProfiles++;
      }
      anchor[profile] = index;
      profileAtRoot[sets.find(index)] = profile;
      return;
    }
    int root = sets.find(anchor[profile]);
    int other = sets.find(index);
    if (root == other) {
      return;
    }
    splice(root, other);
    profileAtRoot[sets.union(root, other)] = profile;
  }

  /**
   * Takes identifier {@code index} out of its cluster and counts; the rest of the cluster stays in
   * its profile. Re-forms the cluster: costs in proportion to its members.
   */
  void remove(int index, int typeOrdinal, boolean fixedLine) {
    int profile = profileOf(index);
    List<Integer> all = members(profile);
    dissolve(profile, all);
    for (int i : all) {
      if (i != index) {
        join(profile, i);
      }
    }
    counts.add(profile, typeOrdinal, -1);
    if (fixedLine) {
      counts.addFixedLines(profile, -1);
    }
    profileAtRoot[index] = 0;
  }

  /**
   * Re-forms clusters: the members of every profile in {@code profiles} are taken out, then each
   * part's members join its profile, their types counted afresh. Costs in proportion to the
   * members re-formed.
   *
   * @param profiles every profile whose members move, those the parts name included
   * @param partProfiles each part's live profile
   * @param partMembers each part's identifier indexes
   * @param typeOf the type ordinal of an identifier index
   * @param fixedLine whether the identifier at an index is a fixed-line phone
   */
  void reassign(Collection<Integer> profiles, int[] partProfiles, List<int[]> partMembers, IntUnaryOperator typeOf,
      IntPredicate fixedLine) {
    for (int profile : profiles) {
      dissolve(profile, members(profile));
      counts.clear(profile);
    }
    for (int p = 0; p < partProfiles.length; p++) {
      int profile = partProfiles[p];
      for (int index : partMembers.get(p)) {
        join(profile, index);
        counts.add(profile, typeOf.applyAsInt(index), 1);
        if (fixedLine.test(index)) {
          counts.addFixedLines(profile, 1);
        }
      }
    }
  }

  private void dissolve(int profile, List<Integer> members) {
    for (int i : members) {
      sets.reset(i);
      next[i] = i;
    }
    if (anchor[profile] >= 0) {
      anchor[profile] = UNANCHORED;
      liveProfiles--;
    }
  }

  // ---------------------------------------------------------------- walks

  /** The identifier indexes of a profile's cluster, ascending; counted in {@link #memberVisits}. */
  List<Integer> members(int profile) {
    List<Integer> result = new java.util.ArrayList<>();
    int start = anchor[profile];
    if (start < 0) {
      return result;
    }
    int i = start;
    do {
      result.add(i);
      memberVisits++;
      i = next[i];
    } while (i != start);
    result.sort(null);
    return result;
  }

  /** How many members walks over clusters have visited so far. */
  long memberVisits() {
    return memberVisits;
  }
}
