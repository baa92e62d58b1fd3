package io.omni.spi;

import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Storage of the identity graph. Core calls {@link #write} once per link, erasure or rebuild and
 * decides everything inside it; the store makes the work atomic and isolated. This is the one
 * identity storage contract: the engine speaks it, and nothing else, to every store — the
 * in-memory one, the JDBC one and any a user writes. There is no faster private path a
 * third-party store would miss.
 *
 * <h2>What the store holds</h2>
 *
 * <ul>
 *   <li><b>Identifiers</b> ({@link io.omni.identity.Identifier}: a type and a normalized value),
 *       each in exactly one live profile's cluster, with a conflict count and a shared flag.
 *   <li><b>Profiles</b>, named by a positive {@code long} number the store issues in increasing
 *       order ({@link IdentityTransaction#newProfile}). The number is the issue order (the smaller
 *       survives a merge); the public id is {@code "p-" + number}, which only core spells and
 *       parses ({@link ProfileId#ofNumber}, {@link
 *       ProfileId#number()}): a store never sees a non-canonical id. A merged
 *       profile stays an alias of its survivor ({@link IdentityReader#canonical}).
 *   <li><b>Exact type counts</b> per live profile ({@link IdentityTransaction#typeCounts(long)}),
 *       kept as identifiers are added, merged, moved and removed; and, the same way, how many of
 *       its phones are fixed lines ({@link IdentityTransaction#fixedLinePhones(long)}: its default
 *       walks the members, correct but in proportion to the profile; the JDBC store reads only the
 *       profile's phones and asks {@link IdentityTransaction#isFixedLinePhone(String)} of each).
 *   <li><b>Evidence</b>: one record per link, in sequence order, with the identifiers it named and
 *       which of them were accepted ({@link Evidence}), findable by event id and by the profile
 *       holding its identifiers.
 *   <li><b>Operator corrections</b> ({@link io.omni.identity.Correction}): kept as given, by id,
 *       with their withdrawal; a join's evidence is an ordinary piece of evidence that core
 *       appends. Read on the slow paths ({@link IdentityReader#corrections()}) and, for the active
 *       separations only, by a link about to merge profiles ({@link IdentityReader#separations()}).
 * </ul>
 *
 * <h2>What a link costs</h2>
 *
 * A link calls, in order: {@link IdentityTransaction#find(java.util.List, long[], boolean[])} for
 * its identifiers (profile numbers and shared flags, no record per identifier), {@link
 * IdentityTransaction#lock(long[], int)} on the profiles found, {@link
 * IdentityTransaction#typeCounts(long, int[])} once per profile (its default asks {@link
 * IdentityTransaction#typeCounts(long)}; a store may fill the row core passes instead) and {@link
 * IdentityTransaction#fixedLinePhones(long)} for a profile whose one strong type is the phone,
 * while fixed lines are weak; then {@link
 * IdentityTransaction#merge(long, long)}, {@link IdentityTransaction#newProfile}, {@link
 * IdentityTransaction#add(io.omni.identity.Identifier, long)} and {@link
 * IdentityTransaction#append(String, String, java.time.Instant, java.util.List, long)} as the rules
 * decide. Each of these must cost the same whatever the size of the clusters involved: a store
 * that counts types by walking a cluster, or moves members one by one on a merge, makes every link
 * into a large profile (a B2B account with thousands of seats, a raised limit) a scan. Splits,
 * erasures and rebuilds ({@link IdentityTransaction#reassign}, {@link
 * IdentityTransaction#remove}) may cost in proportion to the clusters they re-form.
 *
 * <h2>A worked example: the in-memory store</h2>
 *
 * The default store ({@code OmniStore.inMemory()}) is the reference implementation, in three
 * parts:
 *
 * <ul>
 *   <li><b>an identifier table</b> interns each identifier once to a dense {@code int} index
 *       (open addressing over parallel arrays of type and value), so {@code find} is one hash probe
 *       and everything else works on ints;
 *   <li><b>clusters</b>: a union-find over those indexes whose root carries the profile number,
 *       a circular "next member" ring per cluster (a merge splices two rings in O(1), {@code
 *       profile} walks one), and per-profile type counts packed a byte per type in one {@code
 *       long}, widened to an {@code int[]} only for a profile that outgrows a byte or holds a
 *       custom type; {@code merge} is a union plus adding two count vectors;
 *   <li><b>an evidence log</b>, columnar: per record its time, channel and event id, and its
 *       identifier indexes appended to one {@code int} column, threaded into a per-identifier list
 *       so that a profile's evidence is found from its members.
 * </ul>
 *
 * One read-write lock serializes writers, so its {@code lock} returns {@code false} (nothing to
 * re-read). A store shared by processes (the JDBC one) instead locks profile rows in ascending
 * number order and returns {@code true}; core then finds the identifiers again and locks again if
 * a cluster moved meanwhile.
 *
 * <h2>Contract for implementations</h2>
 *
 * <ul>
 *   <li>{@code write} runs the work in one transaction: either all of its changes are stored or
 *       none. A store shared by several processes may run the work again after a serialization
 *       failure, a deadlock or a unique violation; the work is written to be re-run (it has no
 *       effects outside the transaction).
 *   <li>Writers that touch the same profiles are serialized by {@link
 *       IdentityTransaction#lock(long[], int)}; core always locks profiles in ascending number
 *       order, so stores that lock rows do not deadlock.
 *   <li>{@code read} sees a consistent, committed state.
 *   <li>The methods that take a {@link ProfileId} and have a {@code default} in
 *       {@link IdentityTransaction} convert to numbers; a store implements only the numbered form.
 *   <li>{@code omni-jdbc}'s {@code IdentityStoreContract} is the test suite a store should pass:
 *       subclass it with a {@code newStore()} that returns an {@code OmniStore} over yours.
 * </ul>
 */
public interface IdentityStore {

  /** Runs work that changes the graph, atomically. */
  <R> R write(Function<IdentityTransaction, R> work);

  /** Runs work that only reads the graph. */
  <R> R read(Function<IdentityReader, R> work);

  /**
   * Removes the change feed's entries recorded before {@code before} ({@link
   * io.omni.identity.ProfileChange#at()}); later entries keep their positions. {@code
   * omni.prune(now)} calls it with {@code now} minus the change retention (30 days by default). A
   * store shared by several processes may do it in several short transactions.
   *
   * <p>The default, for a store that keeps no feed, removes nothing.
   *
   * @return how many entries were removed
   */
  default long pruneChanges(Instant before) {
    return 0;
  }

  /**
   * The owed carries ({@link IdentityTransaction#owe}) noted before {@code notedBefore}, oldest
   * noted first (ties by merged profile number), at most {@code max}: what {@code
   * campaigns().advance(now)} carries, a chunk at a time. Reads committed notes only; needs no
   * transaction of its own beyond one statement's.
   *
   * <p>The default, for a store that keeps no notes (see {@link IdentityTransaction#owe}), answers
   * none.
   *
   * @param max at least 1
   */
  default List<OwedCarry> owedCarries(Instant notedBefore, int max) {
    return List.of();
  }

  /**
   * Removes the owed carries of these merged profiles: Omni has carried their merges. Called once
   * for a write's merges (one statement, or one per few hundred profiles, on a database), outside
   * the write's transaction. Profiles without a note are passed over; removing twice is harmless.
   *
   * <p>The default, for a store that keeps no notes, does nothing.
   */
  default void carried(Collection<ProfileId> merged) {}

  /**
   * Moves the owed carries of these merged profiles to the back of the queue: their noted time
   * becomes {@code noted}, so that {@link #owedCarries} answers them only when asked for the notes
   * noted before a later time. The sweep of {@code campaigns().advance(now)} calls it with its
   * {@code now}, once per chunk, for the merges whose carrying failed: such a merge waits a grace
   * period again and no longer stays the oldest, ahead of the merges that would carry. One
   * statement, or one per few hundred profiles, on a database, outside any write's transaction.
   * Profiles without a note are passed over; the rest of a note is kept as it is.
   *
   * <p>The default, for a store that keeps no notes, does nothing. A store that keeps notes and
   * leaves this default loses nothing but the postponement: the sweep stops at a chunk that holds a
   * merge it failed to carry already, as it would without this method, and the next advance tries
   * that merge again.
   *
   * @param noted the new noted time (kept to the millisecond)
   */
  default void postpone(Collection<ProfileId> merged, Instant noted) {}
}
