package io.omni.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.StoredIdentifier;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The identifier lookups a {@code JdbcStore}'s reads keep (Caffeine), and how they learn of what
 * other instances did that an alias cannot cover.
 *
 * <p>A cached lookup that lags behind a <em>merge</em> made elsewhere is harmless: its old profile
 * id resolves to the survivor through its alias. A <em>forget</em> or a <em>split</em> is not: the
 * forgotten identifier would still resolve, and an identifier that moved to a new profile would
 * still name the old one, which no alias connects to the new. So every identity write that removes
 * an identifier or re-forms clusters (forget, a shared mark that splits a profile, {@code rebuild})
 * adds one to the single row of {@code omni_identity_epoch} in its own transaction, and a cached
 * lookup is answered only while this instance has seen the current epoch at most {@code
 * checkEvery} ago: the first cached read after that reads the row (one primary-key {@code SELECT}
 * on the read's own connection) and, if it changed, drops every cached lookup. So an instance stops
 * answering an identifier forgotten elsewhere within about {@code checkEvery} of the forget's
 * commit, on every database alike.
 *
 * <p>Why a polled epoch rather than PostgreSQL's {@code LISTEN}/{@code NOTIFY}: pgjdbc's {@code
 * PGConnection.getNotifications(timeout)} reads pushed notifications without a round trip, but
 * only on the connection that listens, so the store would hold one connection out of the shop's
 * pool for its whole life, unwrap it from the pool's proxy (a compile dependency on the driver,
 * which omni-jdbc does not have), serialize its users, and after every reconnect listen again and
 * drop everything, since what was sent meanwhile is lost — and it would help PostgreSQL only. The
 * epoch costs at most one primary-key {@code SELECT} of one row per {@code checkEvery} per
 * instance (200 ms by default: five a second at most, none while nothing is read from the cache),
 * paid by a read that would otherwise have been answered from memory; the same SQL runs on
 * PostgreSQL, MariaDB and H2, and Omni starts no threads. Dropping the whole cache rather than the
 * affected entries is deliberate: forgets and splits are rare, and the whole cache covers every
 * identifier a split moved, those cached under an id that a merge elsewhere has since made an
 * alias included.
 *
 * <p>A read that began before an invalidation does not put what it read afterwards: the lookup
 * it holds may be from before the forget ({@link #generation()}).
 *
 * <p>This instance's own merges are read at once: a profile a write of this instance merged away
 * is kept in a set of moved profiles, and a cached lookup naming one is not answered (it is dropped
 * and read again, resolved to the survivor). So a write costs the cache one entry per profile it
 * merged away, whatever the cache holds (it scanned every cached lookup before), and a read that
 * raced the merge and put the merged profile's lookup afterwards is caught too. The set is emptied
 * with the cache when it holds more profiles than the cache holds lookups at most.
 */
public final class IdentifierCache {
  /** What {@link #check} is given when the epoch row is missing. */
  public static final long NO_EPOCH = Long.MIN_VALUE;
  private static final long NEVER_SEEN = Long.MIN_VALUE + 1;

  private final Cache<Identifier, StoredIdentifier> lookups;
  /** Profiles this instance merged away since the cache was last emptied. */
  private final Set<ProfileId> moved = ConcurrentHashMap.newKeySet();
  private final long movedLimit;
  private final long checkEveryNanos;
  private final AtomicLong nextCheck;
  /** Counts whole-cache invalidations, so that a read racing one does not put a lookup from before it. */
  private final AtomicLong generation = new AtomicLong();
  private long seenEpoch = NEVER_SEEN; // guarded by this

  /**
   * The cache over {@code lookups}, checking the epoch at most every {@code checkEvery} (zero: on
   * every cached read), emptied whole when this instance has merged away more than {@code
   * movedLimit} profiles since it was last emptied.
   */
  public IdentifierCache(Cache<Identifier, StoredIdentifier> lookups, Duration checkEvery, long movedLimit) {
    this.lookups = lookups;
    this.movedLimit = movedLimit;
    this.checkEveryNanos = checkEvery.toNanos();
    this.nextCheck = new AtomicLong(System.nanoTime());
  }

  /** The count of whole-cache invalidations so far: a read takes it before it reads the database. */
  long generation() {
    return generation.get();
  }

  /**
   * The cached lookup of an identifier, or {@code null}. When the last look at the epoch is more
   * than {@code checkEvery} old, reads it first with {@code epoch} (which answers {@link
   * #NO_EPOCH} when the row is missing) and drops everything if it moved.
   */
  StoredIdentifier get(Identifier identifier, LongSupplier epoch) {
    StoredIdentifier hit = lookups.getIfPresent(identifier);
    if (hit == null) {
      return null;
    }
    long now = System.nanoTime();
    long due = nextCheck.get();
    if (now - due >= 0 && nextCheck.compareAndSet(due, now + checkEveryNanos)) {
      try {
        check(epoch.getAsLong());
      } catch (RuntimeException e) {
        nextCheck.set(now); // unconfirmed: the next cached read asks again
        throw e;
      }
      hit = lookups.getIfPresent(identifier);
    }
    if (hit != null && moved.contains(hit.profile())) {
      lookups.asMap().remove(identifier, hit); // merged away here: read again, resolved
      return null;
    }
    return hit;
  }

  /** Drops every lookup if the epoch is not the one last seen. */
  synchronized void check(long epoch) {
    if (epoch != seenEpoch || epoch == NO_EPOCH) {
      clear();
      seenEpoch = epoch;
    }
  }

  /**
   * Keeps a lookup read by a transaction that began at {@code generationAtStart}, unless the cache
   * was dropped since: the lookup may be from before what made it drop.
   */
  void put(Identifier identifier, StoredIdentifier found, long generationAtStart) {
    if (generation.get() != generationAtStart) {
      return;
    }
    lookups.put(identifier, found);
    if (generation.get() != generationAtStart) {
      lookups.invalidate(identifier); // an invalidation ran between the test and the put
    }
  }

  /**
   * Drops what a write of this instance touched, after it committed, and stops answering lookups
   * that name a profile it merged away: one entry per such profile, not a scan of the cache.
   */
  void invalidate(Set<Identifier> touched, Set<ProfileId> movedAway) {
    lookups.invalidateAll(touched);
    if (!movedAway.isEmpty()) {
      moved.addAll(movedAway);
      if (moved.size() > movedLimit) {
        clear();
      }
    }
  }

  /** Drops every lookup. */
  void clear() {
    generation.incrementAndGet(); // first: a put that races the invalidation sees it
    moved.clear(); // before the lookups: a profile moved meanwhile is kept, or its lookup dropped
    lookups.invalidateAll();
  }
}
