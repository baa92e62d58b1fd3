package io.omni.internal.channel;

import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import io.omni.internal.cart.CartsEngine;
import io.omni.journey.Order;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The channel layer's view of the real carts. Cart events from {@code ingest} become writes to the
 * cart CRDT stamped by its hybrid clock when they are applied, not at the event's time, so a
 * late-delivered {@code CART_ADD} wins over a write made meanwhile; an {@code ORDER} takes its
 * lines out stamped at the order's time ({@link CartsEngine#ordered}). Each event's lines are one
 * write, applied once per event id ({@link CartsEngine#applyEvent}).
 */
public final class CrdtCartPort implements CartPort {
  private final CartsEngine carts;

  /** A port over these carts. */
  public CrdtCartPort(CartsEngine carts) {
    this.carts = Objects.requireNonNull(carts, "carts");
  }

  @Override
  public void apply(ProfileId who, String eventId, String channel, Instant at, List<ChannelEvent.Line> lines,
      boolean remove) {
    carts.applyEvent(who, eventId, at, channel, (state, stamp) -> {
      CartState out = state;
      for (ChannelEvent.Line line : lines) {
        out = remove ? out.removed(line.key(), channel, stamp.get())
            : out.set(line.key(), Limits.addQuantity(line.key(), out.quantity(line.key()), line.quantity()), channel,
                stamp.get());
      }
      return out;
    });
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
