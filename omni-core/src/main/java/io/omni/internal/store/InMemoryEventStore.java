package io.omni.internal.store;

import io.omni.channel.Consent;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Processed events, journeys, orders and consent on the heap; every method is synchronized. */
final class InMemoryEventStore implements EventStore {
  private final Map<String, Instant> processed = new HashMap<>();
  private final Map<ProfileId, List<Touchpoint>> touchpoints = new HashMap<>();
  private final Map<ProfileId, List<Order>> orders = new HashMap<>();
  private final Map<ProfileId, Map<String, Consent>> consents = new HashMap<>();
  // what makes appends idempotent: the event ids of stored touchpoints, and orders by their id
  private final Set<String> touchpointEvents = new HashSet<>();
  private final Map<String, Order> ordersById = new HashMap<>();

  @Override
  public synchronized boolean markProcessed(String eventId, Instant at) {
    return processed.putIfAbsent(eventId, at) == null;
  }

  @Override
  public synchronized boolean processed(String eventId) {
    return processed.containsKey(eventId);
  }

  @Override
  public synchronized void appendTouchpoint(ProfileId profile, Touchpoint touchpoint) {
    if (!touchpointEvents.add(touchpoint.eventId())) {
      return;
    }
    touchpoints.computeIfAbsent(profile, p -> new ArrayList<>()).add(touchpoint);
  }

  @Override
  public synchronized List<Touchpoint> touchpoints(ProfileId profile) {
    return List.copyOf(touchpoints.getOrDefault(profile, List.of()));
  }

  @Override
  public synchronized Order appendOrder(ProfileId profile, Order order) {
    Order stored = ordersById.putIfAbsent(order.id(), order);
    if (stored != null) {
      return stored;
    }
    orders.computeIfAbsent(profile, p -> new ArrayList<>()).add(order);
    return order;
  }

  @Override
  public synchronized Optional<Order> order(String orderId) {
    return Optional.ofNullable(ordersById.get(orderId));
  }

  @Override
  public synchronized List<Order> orders(ProfileId profile) {
    return List.copyOf(orders.getOrDefault(profile, List.of()));
  }

  @Override
  public synchronized void putConsent(ProfileId profile, Consent consent) {
    consents.computeIfAbsent(profile, p -> new LinkedHashMap<>()).put(consent.channel(), consent);
  }

  @Override
  public synchronized List<Consent> consents(ProfileId profile) {
    return List.copyOf(consents.getOrDefault(profile, Map.of()).values());
  }

  @Override
  public synchronized Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = Set.of(); // a set only once one holds something: most merged profiles hold nothing
    for (ProfileId p : profiles) {
      if (touchpoints.containsKey(p) || orders.containsKey(p) || consents.containsKey(p)) {
        holding = holding.isEmpty() ? new HashSet<>() : holding;
        holding.add(p);
      }
    }
    return holding;
  }

  @Override
  public synchronized void rekey(ProfileId merged, ProfileId survivor) {
    List<Touchpoint> moved = touchpoints.remove(merged);
    if (moved != null) {
      touchpoints.computeIfAbsent(survivor, p -> new ArrayList<>()).addAll(moved);
    }
    List<Order> movedOrders = orders.remove(merged);
    if (movedOrders != null) {
      orders.computeIfAbsent(survivor, p -> new ArrayList<>()).addAll(movedOrders);
    }
    consents.remove(merged);
  }

  @Override
  public synchronized void forget(Identifier identifier) {
    for (List<Touchpoint> journey : touchpoints.values()) {
      journey.replaceAll(t -> EventStore.withoutIdentifier(t, identifier));
    }
  }

  /** A scan of every mark: a maintenance call, rare next to ingest. */
  @Override
  public synchronized long pruneProcessed(Instant before) {
    Objects.requireNonNull(before, "before");
    int size = processed.size();
    processed.values().removeIf(at -> at.isBefore(before));
    return size - processed.size();
  }

  @Override
  public synchronized long pruneTouchpoints(Instant before) {
    Objects.requireNonNull(before, "before");
    long removed = 0;
    for (Iterator<List<Touchpoint>> journeys = touchpoints.values().iterator(); journeys.hasNext(); ) {
      List<Touchpoint> journey = journeys.next();
      int size = journey.size();
      journey.removeIf(t -> t.at().isBefore(before) && touchpointEvents.remove(t.eventId()) | true);
      removed += size - journey.size();
      if (journey.isEmpty()) {
        journeys.remove(); // so that holding() no longer names the profile
      }
    }
    return removed;
  }

  @Override
  public synchronized long keepLatestTouchpoints(int perProfile) {
    if (perProfile < 0) {
      throw new IllegalArgumentException("perProfile must not be negative, was " + perProfile);
    }
    long removed = 0;
    for (Iterator<List<Touchpoint>> journeys = touchpoints.values().iterator(); journeys.hasNext(); ) {
      List<Touchpoint> journey = journeys.next();
      if (journey.size() <= perProfile) {
        continue;
      }
      // positions, latest first: by time, then the later appended
      List<Integer> latestFirst = new ArrayList<>(journey.size());
      for (int k = 0; k < journey.size(); k++) {
        latestFirst.add(k);
      }
      latestFirst.sort(Comparator.comparing((Integer k) -> journey.get(k).at()).thenComparing(k -> k).reversed());
      boolean[] keep = new boolean[journey.size()];
      for (int k = 0; k < perProfile; k++) {
        keep[latestFirst.get(k)] = true;
      }
      List<Touchpoint> kept = new ArrayList<>(perProfile);
      for (int k = 0; k < journey.size(); k++) {
        if (keep[k]) {
          kept.add(journey.get(k));
        } else {
          touchpointEvents.remove(journey.get(k).eventId());
        }
      }
      removed += journey.size() - kept.size();
      if (kept.isEmpty()) {
        journeys.remove();
      } else {
        journey.clear();
        journey.addAll(kept);
      }
    }
    return removed;
  }
}
