package io.omni.internal.store;

import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The change feed of the in-memory identity store, guarded by that store's lock: entries are
 * appended by the one writer that holds it, so their positions follow the order of the writes, and
 * read under the read lock, so a reader never sees part of a write. Like the rest of the in-memory
 * graph it has no rollback: an entry is kept the moment core records it, as the change it
 * describes is.
 *
 * <p>Entries are kept column-wise — position, kind, the two profiles by number, the time, the
 * cause — and built as {@link ProfileChange}s only when read: a link that merges records one, and
 * as objects (two ids with their strings, an {@code Instant}, a generated cause string) they cost
 * about 240 bytes each, column-wise about 45. A cause of the form core generates, {@code
 * "evidence-" + sequence}, is kept as its sequence. An entry whose ids are not canonical (core
 * records none) is kept whole.
 */
final class InMemoryChangeLog {
  private static final ProfileChange.Kind[] KINDS = ProfileChange.Kind.values();
  private static final String EVIDENCE = "evidence-";
  private static final int MAX_SEQUENCE_DIGITS = 18;

  // in position order; positions rise by one except where a prune removed entries
  private int size;
  private long[] position = new long[16];
  private byte[] kind = new byte[16];
  private long[] profile = new long[16];
  private long[] other = new long[16]; // 0: none
  private long[] seconds = new long[16];
  private int[] nanos = new int[16];
  private String[] cause = new String[16]; // null when causeSequence holds it
  private long[] causeSequence = new long[16];
  private ProfileChange[] whole = new ProfileChange[16]; // set only for an entry kept as it came
  private long lastPosition;

  /** Appends an entry at the next position. */
  void append(ProfileChange change) {
    ProfileChange positioned = change.withPosition(++lastPosition);
    if (size == position.length) {
      int capacity = size + (size >> 1) + 8;
      position = Arrays.copyOf(position, capacity);
      kind = Arrays.copyOf(kind, capacity);
      profile = Arrays.copyOf(profile, capacity);
      other = Arrays.copyOf(other, capacity);
      seconds = Arrays.copyOf(seconds, capacity);
      nanos = Arrays.copyOf(nanos, capacity);
      cause = Arrays.copyOf(cause, capacity);
      causeSequence = Arrays.copyOf(causeSequence, capacity);
      whole = Arrays.copyOf(whole, capacity);
    }
    int e = size++;
    position[e] = lastPosition;
    long p = positioned.profile().number();
    long o = positioned.other() == null ? 0 : positioned.other().number();
    if (p == 0 || positioned.other() != null && o == 0) {
      whole[e] = positioned;
      return;
    }
    whole[e] = null;
    kind[e] = (byte) positioned.kind().ordinal();
    profile[e] = p;
    other[e] = o;
    seconds[e] = positioned.at().getEpochSecond();
    nanos[e] = positioned.at().getNano();
    long sequence = generatedSequence(positioned.cause());
    cause[e] = sequence == 0 ? positioned.cause() : null;
    causeSequence[e] = sequence;
  }

  /** The sequence of a cause core generated ({@code "evidence-" + sequence}), or 0. */
  static long generatedSequence(String cause) {
    int digits = cause.length() - EVIDENCE.length();
    if (digits < 1 || digits > MAX_SEQUENCE_DIGITS || !cause.startsWith(EVIDENCE)
        || cause.charAt(EVIDENCE.length()) == '0') {
      return 0;
    }
    long n = 0;
    for (int i = EVIDENCE.length(); i < cause.length(); i++) {
      char c = cause.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private ProfileChange entry(int e) {
    if (whole[e] != null) {
      return whole[e];
    }
    return new ProfileChange(position[e], KINDS[kind[e]], ProfileId.ofNumber(profile[e]),
        other[e] == 0 ? null : ProfileId.ofNumber(other[e]),
        cause[e] != null ? cause[e] : EVIDENCE + causeSequence[e], Instant.ofEpochSecond(seconds[e], nanos[e]));
  }

  /** The entries after {@code after}, at most {@code max}. */
  List<ProfileChange> after(long after, int max) {
    int from = firstAfter(after);
    int to = (int) Math.min(size, (long) from + max);
    if (from >= to) {
      return List.of();
    }
    List<ProfileChange> result = new ArrayList<>(to - from);
    for (int e = from; e < to; e++) {
      result.add(entry(e));
    }
    return List.copyOf(result);
  }

  /** Removes the entries recorded before {@code before}; returns how many. */
  long pruneBefore(Instant before) {
    int kept = 0;
    for (int e = 0; e < size; e++) {
      if (!at(e).isBefore(before)) {
        position[kept] = position[e];
        kind[kept] = kind[e];
        profile[kept] = profile[e];
        other[kept] = other[e];
        seconds[kept] = seconds[e];
        nanos[kept] = nanos[e];
        cause[kept] = cause[e];
        causeSequence[kept] = causeSequence[e];
        whole[kept] = whole[e];
        kept++;
      }
    }
    int removed = size - kept;
    Arrays.fill(cause, kept, size, null);
    Arrays.fill(whole, kept, size, null);
    size = kept;
    return removed;
  }

  private Instant at(int e) {
    return whole[e] != null ? whole[e].at() : Instant.ofEpochSecond(seconds[e], nanos[e]);
  }

  /** The index of the first entry whose position is greater than {@code after}. */
  private int firstAfter(long after) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (position[mid] <= after) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
