package io.omni.internal.identity;

import io.omni.identity.Conflict;
import io.omni.identity.IdentifierType;
import io.omni.identity.MergeEvent;
import io.omni.spi.Evidence;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The working arrays of one link ({@link IdentityEngine}, {@link LinkPlanner}), and what it came to
 * besides its profile, kept in its engine's {@link Pool} and reused from link to link, so that a
 * link allocates none of them. Every array is at least as long as the link (or as its clusters); a
 * link reads only its first {@code n} (or {@code clusters}) entries, and only entries it wrote
 * itself: nothing relies on what an earlier link left.
 *
 * <p>A scratch serves one link at a time: a link takes it before its write and gives it back once
 * it has announced its merges (a link of a batch, for its part of the batch's write). A link that
 * finds its slot of the pool taken — inside another link's write, from a store or a merge
 * listener, or on a thread sharing the slot — gets fresh arrays of its own size instead ({@link
 * Pool#take}). A store that runs a write again (JDBC, on a stale read) runs the link again in the
 * same arrays: each run writes what it reads.
 */
final class LinkScratch {
  /**
   * The length of a row of type counts the store may fill ({@link
   * io.omni.spi.IdentityTransaction#typeCounts(long, int[])}): the built-in types and two more; a
   * store answers a profile that counts more types with an array of its own.
   */
  private static final int COUNTS_ROW = 8;

  /**
   * An engine's scratches, in slots picked by thread id (as many as four per processor, at most
   * 64). Not a {@code ThreadLocal}: a thread of an application server's pool outlives the
   * application, and a per-thread value of one of Omni's classes would keep its class loader, and
   * everything it loaded, alive after the application is undeployed. A pool's scratches go with
   * the engine that holds it.
   */
  static final class Pool {
    /** What a slot holds before its first scratch; {@code null} is a slot whose scratch is taken. */
    private static final Object UNUSED = new Object();
    private final AtomicReferenceArray<Object> slots;
    private final int mask;

    Pool() {
      int wanted = Math.min(64, 4 * Runtime.getRuntime().availableProcessors());
      int size = Integer.highestOneBit(Math.max(1, wanted - 1)) << 1;
      slots = new AtomicReferenceArray<>(size);
      for (int i = 0; i < size; i++) {
        slots.setPlain(i, UNUSED);
      }
      mask = size - 1;
    }

    /**
     * This thread's slot's scratch, taken until {@link #release}; fresh arrays for a link of {@code
     * n} identifiers, kept by no slot, when the slot's scratch is taken already (a link inside a
     * link, or another thread's link in the same slot).
     */
    LinkScratch take(int n) {
      int slot = (int) Thread.currentThread().getId() & mask;
      Object held = slots.getAndSet(slot, null);
      if (held == null) {
        return new LinkScratch(n);
      }
      LinkScratch scratch = held == UNUSED ? new LinkScratch(Evidence.MAX_IDENTIFIERS) : (LinkScratch) held;
      scratch.slot = slot;
      return scratch;
    }

    /** Gives a scratch back: its slot's next link may take it. */
    void release(LinkScratch scratch) {
      scratch.merges = List.of(); // keeps nothing of the link alive
      if (scratch.slot >= 0) {
        slots.setRelease(scratch.slot, scratch);
      }
    }
  }

  // per identifier of the link
  final long[] profileOf;
  final boolean[] shared;
  final long[] again;
  final long[] locking;
  final int[] cluster;
  final IdentifierType[] types;
  final boolean[] weak;
  final Conflict.Kind[] refused;
  final int[] order;
  // per cluster key
  final long[] clusterProfile;
  final int[][] counts;
  private final int[][] countsRows;
  final boolean[] known;
  final long[] groupClusters;
  private int[] group = new int[0];
  /** The pool slot this scratch goes back to, or -1 for fresh arrays kept by no slot. */
  private int slot = -1;
  // what the link came to, besides its profile: set by each run of its write
  List<MergeEvent> merges = List.of();
  int conflicts;
  int sharedMarks;
  boolean redelivered;

  /** Arrays for links of up to {@code capacity} identifiers. */
  LinkScratch(int capacity) {
    profileOf = new long[capacity];
    shared = new boolean[capacity];
    again = new long[capacity];
    locking = new long[capacity];
    cluster = new int[capacity];
    types = new IdentifierType[capacity];
    weak = new boolean[capacity];
    refused = new Conflict.Kind[capacity];
    order = new int[capacity];
    clusterProfile = new long[capacity];
    counts = new int[capacity][];
    countsRows = new int[capacity][];
    known = new boolean[capacity];
    groupClusters = new long[capacity];
  }

  /** Sets what the link came to: the merges to announce, what to count, whether it was a redelivery. */
  void outcome(List<MergeEvent> merges, int conflicts, int sharedMarks, boolean redelivered) {
    this.merges = merges;
    this.conflicts = conflicts;
    this.sharedMarks = sharedMarks;
    this.redelivered = redelivered;
  }

  /** A row for the type counts of the cluster with key {@code k}, for the store to fill. */
  int[] countsRow(int k) {
    int[] row = countsRows[k];
    if (row == null) {
      row = new int[COUNTS_ROW];
      countsRows[k] = row;
    }
    return row;
  }

  /** The planner's counts for the group, per type ordinal: at least {@code width} long, zero below it. */
  int[] group(int width) {
    if (group.length < width) {
      group = new int[width];
    } else {
      Arrays.fill(group, 0, width, 0);
    }
    return group;
  }
}
