package io.omni.internal.store;

import java.util.Arrays;

/**
 * Exact counts of identifiers per type for every profile, kept incrementally: adding an identifier,
 * removing one and merging two profiles each cost the same whatever the profiles hold, and reading
 * a profile's counts costs the number of types — never a walk over its members.
 *
 * <p>Most profiles hold a few identifiers of the built-in types, so a profile's counts are packed
 * in one {@code long}, a byte per type ordinal 0–6, the top byte a flag. A profile that holds more
 * than 255 of a type, or a type with a higher ordinal, is promoted to an {@code int[]} of exact
 * counts (from the packed bytes, not from its members) and its flag set; it stays there, and a
 * merge into it adds counts type by type. A read looks at the packed word first, so a packed
 * profile costs one memory access.
 *
 * <p>Beside the types, one pseudo-type: how many of the profile's phones are fixed lines ({@link
 * #addFixedLines}, {@link #fixedLines}), so that a phone-only profile tells whether it holds a
 * mobile (phones − fixed lines) without a walk. It lives in the flag byte: bits 57–63 while the
 * profile is packed (up to 127), the low 32 bits of the word once it is wide (whose type bytes
 * are unused then). It costs no memory of its own.
 *
 * <p>Profiles are numbered from 1; number 0 is unused. Not thread-safe: the store's lock guards it.
 */
final class TypeCounts {
  private static final int PACKED_TYPES = 7;
  private static final long WIDE = 1L << 56;
  private static final int BYTE_MAX = 0xff;
  private static final int FIXED_SHIFT = 57;
  private static final long FIXED_MAX = 0x7f;
  private static final long LOW_INT = 0xffff_ffffL;

  private long[] packed = new long[16];
  // per profile, allocated with the first wide profile (most graphs have none); set only for a
  // profile whose word has WIDE set
  private int[][] wide;

  /** Makes room for profile numbers up to {@code profile}. */
  void ensure(int profile) {
    if (profile >= packed.length) {
      int capacity = Math.max(profile + 1, packed.length + (packed.length >> 1) + 8);
      packed = Arrays.copyOf(packed, capacity);
      if (wide != null) {
        wide = Arrays.copyOf(wide, capacity);
      }
    }
  }

  /** Adds {@code howMany} (may be negative) identifiers of type {@code ordinal} to a profile. */
  void add(int profile, int ordinal, int howMany) {
    long p = packed[profile];
    int[] counts;
    if ((p & WIDE) == 0) {
      if (ordinal < PACKED_TYPES) {
        int shift = ordinal * 8;
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
    } else {
      counts = wide[profile];
      if (ordinal >= counts.length) {
        counts = Arrays.copyOf(counts, ordinal + 1);
        wide[profile] = counts;
      }
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
    packed[profile] = WIDE | fixedOf(p);
    if (wide == null) {
      wide = new int[packed.length][];
    }
    wide[profile] = counts;
    return counts;
  }

  /** The fixed-line count held in a profile's word, packed or wide. */
  private static long fixedOf(long p) {
    return (p & WIDE) != 0 ? p & LOW_INT : p >>> FIXED_SHIFT;
  }

  /**
   * Adds {@code howMany} (may be negative) to the profile's count of fixed-line phones. The caller
   * counts each such phone in its type ({@link #add}) too.
   */
  void addFixedLines(int profile, int howMany) {
    long p = packed[profile];
    long count = fixedOf(p) + howMany;
    if (count < 0) {
      throw new IllegalStateException("profile " + profile + " holds no fixed-line phone");
    }
    if ((p & WIDE) == 0) {
      if (count <= FIXED_MAX) {
        packed[profile] = (p & ~(FIXED_MAX << FIXED_SHIFT)) | (count << FIXED_SHIFT);
        return;
      }
      promote(profile, PACKED_TYPES);
    }
    packed[profile] = WIDE | count;
  }

  /** How many of the profile's phones are fixed lines. */
  int fixedLines(int profile) {
    return (int) fixedOf(packed[profile]);
  }

  /** Adds every count of {@code from} to {@code into} and clears {@code from}. */
  void moveAll(int from, int into) {
    long a = packed[into];
    long b = packed[from];
    int[] theirs = (b & WIDE) != 0 ? wide[from] : null;
    if (((a | b) & WIDE) == 0) {
      if (noByteCarry(a, b)) {
        packed[into] = a + b;
        packed[from] = 0;
        return;
      }
    }
    long fixed = fixedOf(a) + fixedOf(b);
    int[] ours = (a & WIDE) != 0 ? wide[into] : promote(into, PACKED_TYPES);
    packed[into] = WIDE | fixed;
    if (theirs == null) {
      for (int o = 0; o < PACKED_TYPES; o++) {
        ours[o] += (int) ((b >>> (o * 8)) & BYTE_MAX);
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

  /** Whether adding {@code a} and {@code b} byte by byte carries out of no byte (nor the fixed lines' 7 bits). */
  private static boolean noByteCarry(long a, long b) {
    if ((a >>> FIXED_SHIFT) + (b >>> FIXED_SHIFT) > FIXED_MAX) {
      return false;
    }
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
    if (wide != null) {
      wide[profile] = null;
    }
  }

  /** How many identifiers of type {@code ordinal} the profile holds. */
  int count(int profile, int ordinal) {
    long p = packed[profile];
    if ((p & WIDE) != 0) {
      int[] counts = wide[profile];
      return ordinal < counts.length ? counts[ordinal] : 0;
    }
    return ordinal < PACKED_TYPES ? (int) ((p >>> (ordinal * 8)) & BYTE_MAX) : 0;
  }

  /**
   * The profile's counts indexed by type ordinal, for a caller that only reads them and only until
   * the next change: a wide profile's own array (never to be changed by the caller); for a packed
   * one, {@code into} filled with its counts and zeros after them when {@code into} holds the
   * packed types, else a new array ({@link #copy}).
   */
  int[] read(int profile, int[] into) {
    long p = packed[profile];
    if ((p & WIDE) != 0) {
      return wide[profile];
    }
    if (into.length < PACKED_TYPES) {
      return copy(profile, 0);
    }
    unpack(p, into);
    Arrays.fill(into, PACKED_TYPES, into.length, 0);
    return into;
  }

  /** Writes a packed profile's counts into the first {@value #PACKED_TYPES} entries of {@code into}. */
  private static void unpack(long p, int[] into) {
    for (int o = 0; o < PACKED_TYPES; o++) {
      into[o] = (int) ((p >>> (o * 8)) & BYTE_MAX);
    }
  }

  /** The profile's counts indexed by type ordinal, in a new array at least {@code length} long. */
  int[] copy(int profile, int length) {
    long p = packed[profile];
    if ((p & WIDE) != 0) {
      int[] counts = wide[profile];
      return Arrays.copyOf(counts, Math.max(length, counts.length));
    }
    int[] result = new int[Math.max(length, PACKED_TYPES)];
    unpack(p, result);
    return result;
  }
}
