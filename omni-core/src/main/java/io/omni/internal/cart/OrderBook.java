package io.omni.internal.cart;

import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import java.util.Optional;

/**
 * Where a checkout through the cart API records its order, so that it is an order exactly as an
 * {@code ORDER} event is: in the history and favourites, on the journey, converting running
 * campaigns and cancelling abandoned-cart reminders. The channel layer implements it; the carts know
 * nothing more of it.
 */
public interface OrderBook {

  /** The order recorded under the shop's order id, if any. */
  Optional<Order> find(String orderId);

  /**
   * Records the order for the customer, once per order id; returns the order recorded under its id
   * (this one, or one recorded before).
   */
  Order record(ProfileId profile, Order order);

  /** Records nothing: carts on their own, as in a test of the CRDT alone. */
  OrderBook NONE = new OrderBook() {
    @Override
    public Optional<Order> find(String orderId) {
      return Optional.empty();
    }

    @Override
    public Order record(ProfileId profile, Order order) {
      return order;
    }
  };
}
