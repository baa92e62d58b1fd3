package io.omni.internal.store;

import java.util.Arrays;

/**
 * Exact counts of identifiers per type for every profile, kept incrementally: adding an identifier,
 * removing one and merging two profiles each cost the same whatever the profiles hold, and reading
 * a profile's counts costs the number of types — never a walk over its members.
 *
 * <p>Most profiles hold a few identifiers of the first eight types, so a profile's counts are
 * packed in one {@code long}, a byte per type ordinal 0–7. A profile that holds more than 255 of a
 * type, or a type with a higher ordinal, is promoted to an {@code int[]} of exact counts (from the
 * packed bytes, not from its members) and stays there; a merge into such a profile adds its
 * counts type by type.
 *
 * <p>Profiles are numbered from 1; number 0 is unused. Not thread-safe: the store's lock guards it.
 */
final class TypeCounts {
  private static final int PACKED_TYPES = 8;
  private static final int BYTE_MAX = 0xff;

  private long[] packed = new long[16];
  private int[][] wide = new int[16][];

  /** Makes room for profile numbers up to {@code profile}. */
  void ensure(int profile) {
    if (profile >= packed.length) {
      int capacity = Math.max(profile + 1, packed.length + (packed.length >> 1) + 8);
      packed = Arrays.copyOf(packed, capacity);
      wide = Arrays.copyOf(wide, capacity);
    }
  }

  /** Adds {@code howMany} (may be negative) identifiers of type {@code ordinal} to a profile. */
  void add(int profile, int ordinal, int howMany) {
    int[] counts = wide[profile];
    if (counts == null) {
      if (ordinal < PACKED_TYPES) {
        int shift = ordinal * 8;
        long p = packed[profile];
        long count = ((p >>> shift) & BYTE_MAX) + howMany;
        if (count < 0) {
          throw new IllegalStateException("profile " + profile + " holds no identifier of type " + ordinal);
        }
        if (count <= BYTE_MAX) {
          packed[profile] = (p & ~((long) BYTE_MAX << shift)) | (count << shift);
          return;
        }
      }
      counts = promote(profile, ordinal + 1);
    } else if (ordinal >= counts.length) {
      counts = Arrays.copyOf(counts, ordinal + 1);
      wide[profile] = counts;
    }
    if (counts[ordinal] + howMany < 0) {
      throw new IllegalStateException("profile " + profile + " holds no identifier of type " + ordinal);
    }
    counts[ordinal] += howMany;
  }

  private int[] promote(int profile, int length) {
    int[] counts = new int[Math.max(length, PACKED_TYPES)];
    long p = packed[profile];
    for (int o = 0; o < PACKED_TYPES; o++) {
      counts[o] = (int) ((p >>> (o * 8)) & BYTE_MAX);
    }
    packed[profile] = 0;
    wide[profile] = counts;
    return counts;
  }

  /** Adds every count of {@code from} to {@code into} and clears {@code from}. */
  void moveAll(int from, int into) {
    int[] theirs = wide[from];
    if (theirs == null && wide[into] == null) {
      long a = packed[into];
      long b = packed[from];
      if (noByteCarry(a, b)) {
        packed[into] = a + b;
        packed[from] = 0;
        return;
      }
    }
    int[] ours = wide[into] != null ? wide[into] : promote(into, PACKED_TYPES);
    if (theirs == null) {
      long p = packed[from];
      for (int o = 0; o < PACKED_TYPES; o++) {
        ours[o] += (int) ((p >>> (o * 8)) & BYTE_MAX);
      }
    } else {
      if (theirs.length > ours.length) {
        ours = Arrays.copyOf(ours, theirs.length);
        wide[into] = ours;
      }
      for (int o = 0; o < theirs.length; o++) {
        ours[o] += theirs[o];
      }
    }
    clear(from);
  }

  /** Whether adding {@code a} and {@code b} byte by byte carries out of no byte. */
  private static boolean noByteCarry(long a, long b) {
    for (int o = 0; o < PACKED_TYPES; o++) {
      int shift = o * 8;
      if (((a >>> shift) & BYTE_MAX) + ((b >>> shift) & BYTE_MAX) > BYTE_MAX) {
        return false;
      }
    }
    return true;
  }

  /** Sets a profile's counts to zero (it was merged away, or is about to be refilled). */
  void clear(int profile) {
    packed[profile] = 0;
    wide[profile] = null;
  }

  /** How many identifiers of type {@code ordinal} the profile holds. */
  int count(int profile, int ordinal) {
    int[] counts = wide[profile];
    if (counts != null) {
      return ordinal < counts.length ? counts[ordinal] : 0;
    }
    return ordinal < PACKED_TYPES ? (int) ((packed[profile] >>> (ordinal * 8)) & BYTE_MAX) : 0;
  }

  /** The profile's counts indexed by type ordinal, in a new array at least {@code length} long. */
  int[] copy(int profile, int length) {
    int[] counts = wide[profile];
    if (counts != null) {
      return Arrays.copyOf(counts, Math.max(length, counts.length));
    }
    int[] result = new int[Math.max(length, PACKED_TYPES)];
    long p = packed[profile];
    for (int o = 0; p != 0 && o < PACKED_TYPES; o++) {
      result[o] = (int) ((p >>> (o * 8)) & BYTE_MAX);
    }
    return result;
  }
}
