package io.omni.internal.store;

import io.omni.identity.ProfileId;
import io.omni.spi.OwedCarry;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owed merge carries of the in-memory identity store ({@link io.omni.spi.IdentityTransaction#owe}),
 * by merged profile number. Thread-safe: the writer notes them under the store's write lock, while
 * the carrying after a write and the sweep of {@code advance} read and remove them from any thread
 * without it. Like the rest of the in-memory graph it has no rollback: a note is kept the moment core
 * makes it, as the merge it notes is. There are few at any time: each is removed once its merge is
 * carried, so a read scans them.
 */
final class InMemoryOwedCarries {
  private static final Comparator<OwedCarry> OLDEST_FIRST =
      Comparator.comparing(OwedCarry::noted).thenComparingLong(o -> o.merged().number());

  private final ConcurrentHashMap<Long, OwedCarry> owed = new ConcurrentHashMap<>();

  /** Notes a carry; a merged profile noted already keeps its note. */
  void owe(OwedCarry carry) {
    owed.putIfAbsent(carry.merged().number(), carry);
  }

  /** The notes made before {@code notedBefore}, oldest first, at most {@code max}. */
  List<OwedCarry> notedBefore(Instant notedBefore, int max) {
    Objects.requireNonNull(notedBefore, "notedBefore");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    return owed.values().stream().filter(o -> o.noted().isBefore(notedBefore)).sorted(OLDEST_FIRST).limit(max)
        .toList();
  }

  /** Removes the notes of these merged profiles. */
  void carried(Collection<ProfileId> merged) {
    for (ProfileId p : merged) {
      owed.remove(p.number());
    }
  }

  /** Moves the notes of these merged profiles to {@code noted} (to the millisecond); others are passed over. */
  void postpone(Collection<ProfileId> merged, Instant noted) {
    Instant ms = Instant.ofEpochMilli(noted.toEpochMilli());
    for (ProfileId p : merged) {
      owed.computeIfPresent(p.number(),
          (n, o) -> new OwedCarry(o.merged(), o.survivor(), o.cause(), o.channel(), o.at(), ms));
    }
  }
}
