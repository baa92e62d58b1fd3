package io.omni.internal.channel;

import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.LineKey;
import io.omni.identity.ProfileId;
import io.omni.internal.cart.CartsEngine;
import io.omni.journey.Order;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The channel layer's view of the real carts. Cart events from {@code ingest} become writes to the
 * cart CRDT stamped by its hybrid clock when they are applied, not at the event's time, so a
 * late-delivered {@code CART_ADD} wins over a write made meanwhile; an {@code ORDER} takes its
 * lines out stamped at the order's time ({@link CartsEngine#ordered}).
 */
public final class CrdtCartPort implements CartPort {
  private final CartsEngine carts;

  /** A port over these carts. */
  public CrdtCartPort(CartsEngine carts) {
    this.carts = Objects.requireNonNull(carts, "carts");
  }

  @Override
  public void add(ProfileId who, String channel, LineKey key, int quantity, Instant at) {
    carts.add(who, channel, key, quantity);
  }

  @Override
  public void remove(ProfileId who, String channel, LineKey key, Instant at) {
    carts.remove(who, channel, key);
  }

  @Override
  public void ordered(ProfileId who, Order order) {
    carts.ordered(who, order);
  }

  @Override
  public Optional<Instant> lastChange(ProfileId who) {
    return carts.lastChange(who);
  }

  @Override
  public boolean hasLines(ProfileId who) {
    return !carts.get(who).isEmpty();
  }

  @Override
  public Map<LineKey, Integer> lines(ProfileId who) {
    Map<LineKey, Integer> lines = new HashMap<>();
    for (CartLine line : carts.get(who).lines()) {
      lines.put(line.key(), line.quantity());
    }
    return lines;
  }

  @Override
  public boolean mergeSumsQuantities() {
    return carts.policy() == CartMergePolicy.SUM;
  }
}
