package io.omni.internal.channel;

import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.channel.ChannelEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import io.omni.internal.cart.CartsEngine;
import io.omni.journey.Order;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The channel layer's view of the real carts. Cart events from {@code ingest} become writes to the
 * cart CRDT stamped at the event's own time ({@link CartsEngine#eventStamp}), not when they are
 * applied: a {@code CART_ADD} is an {@link CartState#added addition}, counted with the others, a
 * {@code CART_REMOVE} a tombstone, and an {@code ORDER} takes its lines out at the order's time
 * ({@link CartsEngine#ordered}). So the cart a set of events leaves does not depend on the order or
 * the delay in which they arrive. Each event's lines are one write, applied once per event id
 * ({@link CartsEngine#applyEvent}).
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
    // one write per line: an event naming a line twice adds the sum once
    Map<LineKey, Integer> quantities = new LinkedHashMap<>();
    for (ChannelEvent.Line line : lines) {
      quantities.merge(line.key(), line.quantity(), (a, b) -> Limits.addQuantity(line.key(), a, b));
    }
    Stamp written = carts.eventStamp(eventId, at);
    carts.applyEvent(who, eventId, at, channel, (state, clockStamps) -> {
      CartState out = state;
      for (Map.Entry<LineKey, Integer> line : quantities.entrySet()) {
        LineKey key = line.getKey();
        if (remove) {
          out = out.removed(key, channel, written);
        } else {
          Limits.addQuantity(key, out.quantity(key), line.getValue()); // refuses a sum past the largest
          out = out.added(key, line.getValue(), channel, written);
        }
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
    return carts.policy() == CartMergePolicy.SUM || carts.policy() == CartMergePolicy.JOIN;
  }
}
