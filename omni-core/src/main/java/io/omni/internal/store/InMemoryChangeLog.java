package io.omni.internal.store;

import io.omni.identity.ProfileChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The change feed of the in-memory identity store, guarded by that store's lock: entries are
 * appended by the one writer that holds it, so their positions follow the order of the writes, and
 * read under the read lock, so a reader never sees part of a write. Like the rest of the in-memory
 * graph it has no rollback: an entry is kept the moment core records it, as the change it
 * describes is.
 */
final class InMemoryChangeLog {
  /** In position order; positions rise by one except where a prune removed entries. */
  private final ArrayList<ProfileChange> entries = new ArrayList<>();
  private long lastPosition;

  /** Appends an entry at the next position. */
  void append(ProfileChange change) {
    entries.add(change.withPosition(++lastPosition));
  }

  /** The entries after {@code after}, at most {@code max}. */
  List<ProfileChange> after(long after, int max) {
    int from = firstAfter(after);
    int to = (int) Math.min(entries.size(), (long) from + max);
    return from >= to ? List.of() : List.copyOf(entries.subList(from, to));
  }

  /** Removes the entries recorded before {@code before}; returns how many. */
  long pruneBefore(Instant before) {
    int size = entries.size();
    entries.removeIf(change -> change.at().isBefore(before));
    entries.trimToSize();
    return size - entries.size();
  }

  /** The index of the first entry whose position is greater than {@code after}. */
  private int firstAfter(long after) {
    int low = 0;
    int high = entries.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (entries.get(mid).position() <= after) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
