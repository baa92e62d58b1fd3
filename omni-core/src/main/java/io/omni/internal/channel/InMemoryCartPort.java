package io.omni.internal.channel;

import io.omni.cart.LineKey;
import io.omni.identity.Identities;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A stand-in for the cart CRDT until {@code io.omni.cart.Carts} lands: per profile a map of line
 * to quantity and the time of the last change, on the heap. It is not a CRDT — no stamps, no
 * replicas, no tombstones — only what the channel tests need. On an identity merge the merged
 * cart's lines join the survivor's (larger quantity wins, as the CRDT's default {@code MAX}
 * policy) and the later change time is kept. Every read and write resolves the profile to its
 * live id first.
 */
public final class InMemoryCartPort implements CartPort {
  private final Identities identities;
  private final Map<ProfileId, Cart> carts = new HashMap<>();

  /** A port that follows the identity merges of {@code identities}. */
  public InMemoryCartPort(Identities identities) {
    this.identities = identities;
    identities.onMerge(this::merge);
  }

  private static final class Cart {
    final Map<LineKey, Integer> lines = new TreeMap<>();
    Instant lastChange;

    void touched(Instant at) {
      if (lastChange == null || at.isAfter(lastChange)) {
        lastChange = at;
      }
    }
  }

  private ProfileId live(ProfileId who) {
    return identities.resolve(who).orElse(who);
  }

  @Override
  public synchronized void add(ProfileId who, String channel, LineKey key, int quantity, Instant at) {
    Cart cart = carts.computeIfAbsent(live(who), p -> new Cart());
    cart.lines.merge(key, quantity, Integer::sum);
    cart.touched(at);
  }

  @Override
  public synchronized void remove(ProfileId who, String channel, LineKey key, Instant at) {
    Cart cart = carts.computeIfAbsent(live(who), p -> new Cart());
    cart.lines.remove(key);
    cart.touched(at);
  }

  @Override
  public synchronized void ordered(ProfileId who, Order order) {
    Cart cart = carts.get(live(who));
    if (cart == null) {
      return;
    }
    for (OrderLine line : order.lines()) {
      cart.lines.remove(line.key());
    }
    cart.touched(order.at());
  }

  @Override
  public synchronized Optional<Instant> lastChange(ProfileId who) {
    Cart cart = carts.get(live(who));
    return cart == null ? Optional.empty() : Optional.ofNullable(cart.lastChange);
  }

  @Override
  public synchronized boolean hasLines(ProfileId who) {
    Cart cart = carts.get(live(who));
    return cart != null && !cart.lines.isEmpty();
  }

  private synchronized void merge(MergeEvent event) {
    Cart merged = carts.remove(event.merged());
    if (merged == null) {
      return;
    }
    Cart survivor = carts.computeIfAbsent(event.survivor(), p -> new Cart());
    merged.lines.forEach((key, quantity) -> survivor.lines.merge(key, quantity, Math::max));
    if (merged.lastChange != null) {
      survivor.touched(merged.lastChange);
    }
  }
}
