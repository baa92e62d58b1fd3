package io.omni.cart;

import java.util.Objects;

/**
 * When a cart write happened, and where: a hybrid logical clock time ({@link #millis()} and a
 * {@link #logical()} counter, after Kulkarni et al. 2014) and the id of the replica that wrote it.
 *
 * <p>Stamps are totally ordered: by physical milliseconds, then the logical counter, then the
 * replica id. Two replicas can therefore never tie, and two equal stamps are the same write. Stamps
 * are made by a {@link HybridClock}; {@link #of} only wraps one read back from elsewhere.
 *
 * <pre>{@code
 * Stamp a = Stamp.of(1_732_320_000_000L, 0, "web-1");
 * Stamp b = Stamp.of(1_732_320_000_000L, 0, "pos-7");
 * a.compareTo(b) > 0;   // same time: "web-1" sorts after "pos-7"
 * }</pre>
 *
 * @param millis the physical part: milliseconds since the epoch, 0 to {@value #MAX_MILLIS}
 * @param logical the logical counter within that millisecond, 0 to {@value #MAX_LOGICAL}
 * @param replica the writing replica's id: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
 */
public record Stamp(long millis, int logical, String replica) implements Comparable<Stamp> {

  /** The largest logical counter; a clock that would pass it moves on to the next millisecond. */
  public static final int MAX_LOGICAL = 0xFFFF;

  /** The largest physical time, in the year 6429: stamps pack millis and counter into 63 bits. */
  public static final long MAX_MILLIS = (1L << 47) - 1;

  /** Checks the fields. */
  public Stamp {
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("stamp millis must be 0 to " + MAX_MILLIS + ", was " + millis);
    }
    if (logical < 0 || logical > MAX_LOGICAL) {
      throw new IllegalArgumentException("stamp logical must be 0 to " + MAX_LOGICAL + ", was " + logical);
    }
    checkReplica(replica);
  }

  /** A stamp read back from elsewhere (JSON, a database). */
  public static Stamp of(long millis, int logical, String replica) {
    return new Stamp(millis, logical, replica);
  }

  static void checkReplica(String replica) {
    Objects.requireNonNull(replica, "replica");
    int n = replica.length();
    boolean ok = n >= 1 && n <= 64;
    for (int i = 0; ok && i < n; i++) {
      char c = replica.charAt(i);
      ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "stamp replica must be 1 to 64 letters, digits, '.', '_' or '-', was '" + replica + "'");
    }
  }

  /** Orders by physical time, then the logical counter, then the replica id. */
  @Override
  public int compareTo(Stamp other) {
    if (millis != other.millis) {
      return Long.compare(millis, other.millis);
    }
    if (logical != other.logical) {
      return Integer.compare(logical, other.logical);
    }
    return replica == other.replica ? 0 : replica.compareTo(other.replica);
  }

  /** Whether this stamp comes after the other. */
  public boolean isAfter(Stamp other) {
    return compareTo(other) > 0;
  }

  /** {@code 1732320000000.3@web-1}. */
  @Override
  public String toString() {
    return millis + "." + logical + "@" + replica;
  }
}
