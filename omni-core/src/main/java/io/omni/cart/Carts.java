package io.omni.cart;

import io.omni.ClockDriftException;
import io.omni.InvalidTokenException;
import io.omni.UnknownProfileException;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One cart per customer, edited from any channel or offline replica and kept as a {@link
 * CartState} CRDT, so that every replica converges and a removed or bought line never comes back.
 * Obtained from {@code Omni.carts()}; every method is thread-safe.
 *
 * <pre>{@code
 * Carts carts = omni.carts();
 * carts.add(Identifier.cookie("c-81"), "web", LineKey.of("SKU-1"), 2);
 * carts.get(Identifier.cookie("c-81")).quantity(LineKey.of("SKU-1"));   // 2, from any channel
 * CartState merged = carts.sync(who, stateFromThePosTerminal);         // an offline replica comes back
 * Order order = carts.checkout(who, "call-center", "order-17");         // clears it on every replica
 * String qr = carts.handoff(who, Duration.ofMinutes(5));
 * CartState atPos = carts.redeem(qr, "pos");
 * }</pre>
 *
 * <p><b>Who.</b> A customer is named by an {@link Identifier} or a {@link ProfileId}. An identifier
 * never seen before is linked first (in the channel of the call; {@code "cart"} for calls without
 * one), so an anonymous visitor gets a profile and a cart; reads of an unknown identifier answer
 * the empty cart without linking. A profile id is resolved through its aliases, so a merged
 * profile's cart reads through to the survivor's; an id never issued throws {@link
 * UnknownProfileException}.
 *
 * <p><b>Writes.</b> Each write is stamped by this Omni's {@link HybridClock} and saved with an
 * optimistic version; each returns the cart after it. Channels are named by id, e.g. {@code "web"}:
 * 1 to 64 characters, without NUL or a lone surrogate, or the write throws {@link
 * IllegalArgumentException} before anything is stored.
 */
public interface Carts {

  /**
   * Adds {@code quantity} of a line: reads the line's quantity here and sets the sum (so two
   * replicas adding at once converge on one of their sums, never more).
   *
   * @param quantity at least 1
   * @throws IllegalArgumentException if the quantity is below 1, or the line's quantity would pass
   *     {@link Integer#MAX_VALUE}; the message names the line, and nothing is stored
   */
  CartState add(Identifier who, String channel, LineKey key, int quantity);

  /** As {@link #add(Identifier, String, LineKey, int)}, for a profile. */
  CartState add(ProfileId who, String channel, LineKey key, int quantity);

  /**
   * Sets the absolute quantity of a line (0 removes it): a last-writer-wins register, so
   * redelivering the same write changes nothing.
   */
  CartState setQuantity(Identifier who, String channel, LineKey key, int quantity);

  /** As {@link #setQuantity(Identifier, String, LineKey, int)}, for a profile. */
  CartState setQuantity(ProfileId who, String channel, LineKey key, int quantity);

  /** Removes a line: writes a tombstone, so that a stale replica cannot bring it back. */
  CartState remove(Identifier who, String channel, LineKey key);

  /** As {@link #remove(Identifier, String, LineKey)}, for a profile. */
  CartState remove(ProfileId who, String channel, LineKey key);

  /** The customer's cart, the same from every channel; the empty cart for an unknown identifier. */
  CartState get(Identifier who);

  /** As {@link #get(Identifier)}, for a profile. */
  CartState get(ProfileId who);

  /**
   * Joins a replica's state (a POS terminal or an app that was offline) into the customer's cart
   * and returns the joined state, which the replica should adopt.
   *
   * @throws ClockDriftException if any stamp of {@code remote} is more than {@code maxDrift} ahead
   *     of this replica's clock; nothing of {@code remote} is kept
   */
  CartState sync(Identifier who, CartState remote);

  /** As {@link #sync(Identifier, CartState)}, for a profile. */
  CartState sync(ProfileId who, CartState remote);

  /**
   * Checks the cart out: returns an {@link Order} of its live lines and writes a clear stamp, so
   * that every line written at or before it is gone on every replica that later syncs, however
   * stale; lines written after it stay.
   *
   * <p>The order is an order like one that arrives as an {@code ORDER} event: it is in {@code
   * journeys().orders(...)} and the favourites, on the journey, converts the customer's running
   * campaigns and cancels an abandoned-cart reminder. Checkout is idempotent by {@code orderId},
   * whichever path recorded it first: a second call with the same id (a client's retry after a
   * timeout) answers the order recorded first and changes no cart — lines added since stay. When a
   * first call failed after recording its order, the retry takes that order's lines out of the cart
   * (stamped at the order's time) and answers it.
   *
   * @param orderId the shop's order id: not blank, at most 249 characters, without NUL or a lone
   *     surrogate
   * @throws IllegalArgumentException if the order id or the channel breaks its rule; nothing is
   *     stored, an unknown customer is not linked
   * @throws IllegalStateException if the cart has no live line and no order of that id is recorded
   */
  Order checkout(Identifier who, String channel, String orderId);

  /** As {@link #checkout(Identifier, String, String)}, for a profile. */
  Order checkout(ProfileId who, String channel, String orderId);

  /**
   * A single-use token that hands the cart to another channel — shown as a QR code for the POS:
   * HMAC-SHA256-signed with the builder's {@code handoffKey} over the profile, the cart's latest
   * stamp, the expiry and a random nonce; base64url without padding.
   *
   * @param ttl how long the token is good for, more than 0 and at most 1 day
   * @throws IllegalStateException if no {@code handoffKey} was set on the builder
   */
  String handoff(Identifier who, Duration ttl);

  /** As {@link #handoff(Identifier, Duration)}, for a profile. */
  String handoff(ProfileId who, Duration ttl);

  /**
   * Redeems a hand-off token once and returns the cart it names as it is now.
   *
   * @param channel the channel redeeming it, e.g. {@code "pos"}
   * @throws InvalidTokenException with reason {@code MALFORMED}, {@code FORGED}, {@code EXPIRED}
   *     or {@code REUSED}; nothing is consumed unless the token is genuine and in time
   * @throws IllegalStateException if no {@code handoffKey} was set on the builder
   */
  CartState redeem(String token, String channel);

  /**
   * Takes an order's lines out of the customer's cart — an order placed in any channel, by phone
   * say. Each line gets a tombstone stamped at the order's time ({@link Order#at()}, at the last
   * logical tick of that millisecond), taken in through the hybrid clock so that later writes here
   * come after it. Writes stamped before the order go; a line written again after the order stays.
   *
   * @throws ClockDriftException if the order's time is more than {@code maxDrift} ahead of this
   *     replica's clock
   */
  CartState ordered(ProfileId who, Order order);

  /**
   * When the customer's live cart last changed (its latest stamp, line, removal or checkout); empty
   * if the cart has no live line.
   */
  Optional<Instant> lastChange(ProfileId who);

  /**
   * Whether the cart stored under exactly this profile id is its own ({@link CartStatus#ACTIVE}) or
   * was folded into a survivor's at an identity merge ({@link CartStatus#MERGED}). A profile that
   * never had a cart is {@code ACTIVE}.
   */
  CartStatus status(ProfileId who);
}
