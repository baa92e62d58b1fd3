package io.omni.jdbc.internal;


import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.OwedCarry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The identity graph in SQL: one row per identifier holding its cluster's live profile (the
 * union-find root, flattened), one row per issued profile (an alias names its survivor), evidence
 * with its items, conflicts and shared marks. See {@code v001__identity.sql}.
 *
 * <p>Writers lock the profile rows of the clusters they touch with {@code SELECT … FOR UPDATE}, in
 * ascending profile number (a batch of links locks all of its profiles in one statement, in the
 * same order); every write runs at READ COMMITTED so that reads after a lock see what the
 * previous holder committed. A write whose reads went stale (a profile it locked was merged away
 * meanwhile), or that lost a race for a new identifier or event id, runs again whole. A writer
 * holds back new identifiers, merges and evidence and sends them in batches: see {@link HeldBackWrites}. A
 * write that forgets an identifier or splits a profile also moves the epoch of {@code
 * omni_identity_epoch}, last, so that the identifier caches of other instances hear of it: see
 * {@link IdentifierCache}.
 */
public final class JdbcIdentityStore implements IdentityStore {
  static final int MAX_CONFLICTS = 0x7f;
  static final int MAX_EVENT_ID = 255;

  private final Transactions transactions;
  private final SqlDialect dialect;
  private final IdentifierCache cache;
  private final JdbcChangeFeed changes;
  private final JdbcOwedCarries owed;

  /**
   * Creates the store.
   *
   * @param cache identifier lookups for reads, or {@code null} for none
   */
  public JdbcIdentityStore(Transactions transactions, SqlDialect dialect, IdentifierCache cache) {
    this.transactions = transactions;
    this.dialect = dialect;
    this.cache = cache;
    this.changes = new JdbcChangeFeed(transactions, dialect);
    this.owed = new JdbcOwedCarries(transactions, dialect);
  }

  @Override
  public <R> R write(Function<IdentityTransaction, R> work) {
    Set<Identifier> touched = new HashSet<>();
    Set<ProfileId> movedAway = new HashSet<>();
    IdentityWrites[] last = {null};
    try {
      // a write that split or merged and lost its commit's acknowledgement is found by its last feed
      // entry: answered as committed, its splits' cart lines are moved, and the caller's retry,
      // which would find nothing left to do (an identifier gone, a correction withdrawn), is not needed
      return transactions.write("an identity write", connection -> {
        IdentityWrites tx = IdentityWrites.writer(dialect, cache, changes, connection, touched, movedAway);
        last[0] = tx;
        R result = work.apply(tx);
        tx.finish();
        return result;
      }, other -> last[0].committed(other));
    } finally {
      // after the commit, so that a read racing it cannot cache the state before it for long
      invalidate(touched, movedAway);
    }
  }

  private void invalidate(Set<Identifier> touched, Set<ProfileId> movedAway) {
    if (cache != null) {
      cache.invalidate(touched, movedAway);
    }
  }

  @Override
  public <R> R read(Function<IdentityReader, R> work) {
    return transactions.read("an identity read", lazy -> work.apply(IdentityWrites.reader(dialect, cache, changes, lazy)));
  }

  /** Deletes in chunks of 10,000 entries, each its own transaction, found by the {@code at_ms} index. */
  @Override
  public long pruneChanges(Instant before) {
    return changes.prune(before);
  }

  /** One statement in auto-commit, by the {@code noted_ms} index: see {@link JdbcOwedCarries}. */
  @Override
  public List<OwedCarry> owedCarries(Instant notedBefore, int max) {
    return owed.notedBefore(notedBefore, max);
  }

  /** One statement per 500 profiles (PostgreSQL: per chunk of its array), in auto-commit. */
  @Override
  public void carried(Collection<ProfileId> merged) {
    owed.carried(merged);
  }

  /** One statement per 500 profiles (PostgreSQL: per chunk of its array), in auto-commit. */
  @Override
  public void postpone(Collection<ProfileId> merged, Instant noted) {
    owed.postpone(merged, noted);
  }

  /**
   * Appends many pieces of evidence in one transaction, their items sent with JDBC batching: the
   * back-fill path. Every identifier must be stored already.
   *
   * @return the sequences, in the order given
   */
  public List<Long> appendAll(List<Evidence> evidence) {
    return transactions.write("a back-fill of evidence", connection -> {
      IdentityWrites tx = IdentityWrites.writer(dialect, cache, changes, connection, new HashSet<>(), new HashSet<>());
      List<Long> sequences = tx.appendBatch(evidence);
      tx.finish();
      return sequences;
    });
  }

  /** Drops every cached lookup. */
  public void clearCache() {
    if (cache != null) {
      cache.clear();
    }
  }

  static ProfileId profileId(long number) {
    return ProfileId.ofNumber(number);
  }

  /** The number of a canonical id ({@link ProfileId#number()}), or 0 for any other form. */
  static long number(ProfileId id) {
    return id.number();
  }

  static long issued(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("profile number " + n + " was not issued by this store");
    }
    return n;
  }

  static long issued(ProfileId id) {
    long n = number(id);
    if (n == 0) {
      throw new IllegalArgumentException("profile " + id + " was not issued by this store");
    }
    return n;
  }

  static Identifier identifier(String type, String value) {
    return new Identifier(IdentifierType.of(type), value);
  }
}
