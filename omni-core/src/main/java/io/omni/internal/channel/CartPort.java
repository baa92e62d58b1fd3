package io.omni.internal.channel;

import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little the channel layer needs of carts. {@code ingest} applies cart events and orders
 * through it; abandoned-cart campaigns and {@code Journeys.last} read it.
 *
 * <p>This port keeps the channel layer independent of the cart CRDT ({@code io.omni.cart.Carts});
 * {@link CrdtCartPort} adapts the CRDT to it.
 */
public interface CartPort {

  /**
   * Applies a {@code CART_ADD} event's lines (added) or a {@code CART_REMOVE} event's (taken out) to
   * the customer's cart in one write, once per event id: a retry after a failure midway changes
   * nothing more.
   */
  void apply(ProfileId who, String eventId, String channel, Instant at, List<ChannelEvent.Line> lines, boolean remove);

  /** Takes the order's lines out of the customer's cart: they were bought. */
  void ordered(ProfileId who, Order order);

  /** When the customer's cart last changed, if it ever did. */
  Optional<Instant> lastChange(ProfileId who);

  /** Whether the customer's cart holds any line. */
  boolean hasLines(ProfileId who);

  /** The quantity of each line the customer's cart holds now; removed lines are left out. */
  Map<LineKey, Integer> lines(ProfileId who);

  /**
   * Whether an identity merge adds the quantities of a line both carts hold ({@code
   * CartMergePolicy.SUM}); otherwise a merged line holds at most the larger of them.
   */
  boolean mergeSumsQuantities();
}
