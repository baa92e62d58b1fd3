package io.omni.internal.journey;

import io.omni.UnknownProfileException;
import io.omni.campaign.CampaignRun;
import io.omni.cart.LineKey;
import io.omni.channel.EventType;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.internal.channel.CartPort;
import io.omni.journey.Journeys;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link Journeys} over the event and campaign stores: reads only, every rule of ordering here. */
public final class JourneyView implements Journeys {
  private final Identities identities;
  private final EventStore events;
  private final CampaignStore runs;
  private final CartPort carts;

  /** The view. */
  public JourneyView(Identities identities, EventStore events, CampaignStore runs, CartPort carts) {
    this.identities = identities;
    this.events = events;
    this.runs = runs;
    this.carts = carts;
  }

  private ProfileId live(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    return identities.resolve(profile).orElseThrow(() -> new UnknownProfileException(profile.value()));
  }

  @Override
  public List<Touchpoint> of(ProfileId profile) {
    List<Touchpoint> all = new ArrayList<>(events.touchpoints(live(profile)));
    all.sort(Comparator.comparing(Touchpoint::at));
    return List.copyOf(all);
  }

  @Override
  public List<Order> orders(ProfileId profile) {
    List<Order> all = new ArrayList<>(events.orders(live(profile)));
    all.sort(Comparator.comparing(Order::at));
    return List.copyOf(all);
  }

  @Override
  public List<LineKey> favourites(ProfileId profile, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("favourites wants n of 0 or more, was " + n);
    }
    Map<LineKey, Long> bought = new HashMap<>();
    Map<LineKey, Instant> lastBought = new HashMap<>();
    for (Order order : orders(profile)) {
      for (OrderLine line : order.lines()) {
        bought.merge(line.key(), (long) line.quantity(), Long::sum);
        lastBought.merge(line.key(), order.at(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    Comparator<LineKey> byQuantity = Comparator.comparing(bought::get);
    Comparator<LineKey> byRecency = Comparator.comparing(lastBought::get);
    return bought.keySet().stream()
        .sorted(byQuantity.reversed().thenComparing(byRecency.reversed()).thenComparing(Comparator.naturalOrder()))
        .limit(n)
        .toList();
  }

  @Override
  public Resume last(ProfileId profile) {
    ProfileId live = live(profile);
    List<Touchpoint> journey = of(live);
    Optional<Touchpoint> lastTouch = journey.isEmpty() ? Optional.empty() : Optional.of(journey.get(journey.size() - 1));
    Optional<Touchpoint> lastConversation = journey.stream().filter(t -> t.type().isConversation()).reduce((a, b) -> b);
    return new Resume(lastTouch, carts.hasLines(live), carts.lastChange(live), lastConversation);
  }

  @Override
  public ChannelStats channelStats(ProfileId profile) {
    ProfileId live = live(profile);
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Instant> lastUsed = new HashMap<>();
    for (Touchpoint t : of(live)) {
      long[] c = counts.computeIfAbsent(t.channel(), k -> new long[5]);
      c[0]++;
      if (t.type() == EventType.MESSAGE_SENT) {
        c[2]++;
      } else if (t.type() == EventType.MESSAGE_OPENED) {
        c[3]++;
      }
      lastUsed.merge(t.channel(), t.at(), (a, b) -> a.isAfter(b) ? a : b);
    }
    for (Order order : events.orders(live)) {
      counts.computeIfAbsent(order.channel(), k -> new long[5])[1]++;
    }
    for (CampaignRun run : runs.byProfile(live)) {
      run.convertedVia().ifPresent(channel -> counts.computeIfAbsent(channel, k -> new long[5])[4]++);
    }
    Map<String, Usage> usage = new HashMap<>();
    counts.forEach((channel, c) -> usage.put(channel, new Usage(c[0], c[1], c[2], c[3], c[4])));
    Comparator<String> preference = Comparator.<String>comparingLong(ch -> usage.get(ch).orders())
        .thenComparingLong(ch -> usage.get(ch).opened())
        .thenComparingLong(ch -> usage.get(ch).touches())
        .thenComparing(ch -> lastUsed.getOrDefault(ch, Instant.MIN));
    Optional<String> preferred = usage.keySet().stream().max(preference);
    return new ChannelStats(usage, preferred);
  }
}
