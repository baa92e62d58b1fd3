package io.omni.spi;

import java.time.Instant;
import java.util.function.Function;

/**
 * Storage of the identity graph. Core calls {@link #write} once per link, erasure or rebuild and
 * decides everything inside it; the store makes the work atomic and isolated.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@code write} runs the work in one transaction: either all of its changes are stored or
 *       none. A store shared by several processes may run the work again after a serialization
 *       failure, a deadlock or a unique violation; the work is written to be re-run (it has no
 *       effects outside the transaction).
 *   <li>Writers that touch the same profiles are serialized by {@link
 *       IdentityTransaction#lock(java.util.Collection)}; core always locks profiles in their
 *       natural order, so stores that lock rows do not deadlock.
 *   <li>{@code read} sees a consistent, committed state.
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
}
