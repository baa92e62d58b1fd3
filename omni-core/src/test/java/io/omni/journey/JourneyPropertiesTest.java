package io.omni.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

final class JourneyPropertiesTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final String[] CHANNELS = {"web", "app", "pos", "call-center", "viber"};

  /** A fixed story of orders and touches, each event at its own minute. */
  private static List<ChannelEvent> story() {
    List<ChannelEvent> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ChannelEvent.Builder event = ChannelEvent.builder(CHANNELS[i % CHANNELS.length]).id("e-" + i)
          .at(T0.plusSeconds(60L * i)).identifiers(i % 2 == 0 ? EMAIL : PHONE);
      if (i == 0 || i == 5) {
        event.identifiers(EMAIL, PHONE);
      }
      if (i % 3 == 0) {
        event.type(EventType.ORDER).line(LineKey.of("SKU-" + (i % 4)), 1 + i % 2);
      } else {
        event.type(EventType.PAGE_VIEW);
      }
      events.add(event.build());
    }
    return events;
  }

  private static Omni ingest(List<ChannelEvent> deliveries) {
    Omni omni = Omni.builder().discoverProviders(false).build();
    deliveries.forEach(omni::ingest);
    return omni;
  }

  @Property(tries = 50)
  void redelivered_and_reordered_events_give_the_same_journey_orders_and_favourites(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int redeliveries) {
    List<ChannelEvent> story = story();
    List<ChannelEvent> deliveries = new ArrayList<>(story);
    Random random = new Random(seed);
    for (int i = 0; i < redeliveries; i++) {
      deliveries.add(story.get(random.nextInt(story.size())));
    }
    Collections.shuffle(deliveries, random);

    Omni inOrder = ingest(story);
    Omni shuffled = ingest(deliveries);
    ProfileId a = inOrder.identities().resolve(EMAIL).orElseThrow();
    ProfileId b = shuffled.identities().resolve(EMAIL).orElseThrow();

    assertThat(shuffled.identities().resolve(PHONE)).contains(b);
    assertThat(shuffled.journeys().of(b)).extracting(Touchpoint::eventId)
        .containsExactlyElementsOf(inOrder.journeys().of(a).stream().map(Touchpoint::eventId).toList());
    assertThat(shuffled.journeys().orders(b)).extracting(Order::id)
        .containsExactlyElementsOf(inOrder.journeys().orders(a).stream().map(Order::id).toList());
    assertThat(shuffled.journeys().favourites(b, 10)).isEqualTo(inOrder.journeys().favourites(a, 10));
  }
}
