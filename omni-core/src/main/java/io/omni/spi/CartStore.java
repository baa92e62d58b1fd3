package io.omni.spi;

import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Storage of carts, one per profile, with optimistic versions. Core decides everything — the CRDT
 * join, merge policies, token checks — and saves with {@link #compareAndSet}; when another writer
 * got there first it reloads, joins again and retries (the CRDT makes the retry trivial). A store
 * only stores.
 *
 * <p>Contract for implementations (thread-safe; a JDBC store maps each call to one statement):
 *
 * <ul>
 *   <li>{@link #compareAndSet} is atomic: an {@code UPDATE … WHERE profile = ? AND version = ?}, or
 *       an {@code INSERT} for expected version 0 whose unique violation means {@code false}.
 *   <li>{@link #consumeNonce} is atomic too: an {@code INSERT} whose unique violation means the
 *       nonce was consumed before.
 * </ul>
 */
public interface CartStore {

  /** The cart stored for exactly this profile id (no alias is followed), or empty if none is. */
  Optional<StoredCart> load(ProfileId profile);

  /**
   * Which of these profiles have a stored cart not yet folded into a survivor ({@link
   * StoredCart#mergedInto} unset): those a merge must fold. A folded cart keeps its row, marked,
   * and holds nothing left to carry; answering it would make every retry of a link that merged it
   * carry that merge again. The default loads them one by one; a database store answers in a query.
   */
  default Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = new HashSet<>();
    for (ProfileId p : profiles) {
      if (load(p).filter(cart -> cart.mergedInto() == null).isPresent()) {
        holding.add(p);
      }
    }
    return holding;
  }

  /**
   * Stores {@code next} if the profile's stored version is still {@code expectedVersion} (0: no cart
   * is stored yet).
   *
   * @param expectedVersion the version the caller read
   * @param next the cart to store; its version is {@code expectedVersion + 1}
   * @return whether it was stored; {@code false} when another writer saved first
   * @throws IllegalArgumentException if {@code next.version()} is not {@code expectedVersion + 1}
   */
  boolean compareAndSet(long expectedVersion, StoredCart next);

  /**
   * Marks a hand-off token's nonce used.
   *
   * @param nonce the token's nonce
   * @param expiresAt the token's expiry; the nonce may be forgotten after it
   * @return {@code true} the first time, {@code false} if it was consumed before
   */
  boolean consumeNonce(String nonce, Instant expiresAt);

  /** Forgets nonces of tokens that expired before {@code instant}: they are refused as expired anyway. */
  void purgeNonces(Instant instant);
}
