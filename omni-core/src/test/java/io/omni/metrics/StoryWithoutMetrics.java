package io.omni.metrics;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;

import io.omni.Omni;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.util.ArrayList;
import java.util.List;

/** A story through every part Omni reports metrics from, run by {@link WithoutMicrometerTest} in its own class loader. */
public final class StoryWithoutMetrics {
  private StoryWithoutMetrics() {}

  /** Runs the story; answers what it saw. */
  public static String run() {
    TestClock clock = TestClock.at("2026-03-02T09:00:00Z");
    List<Message> sent = new ArrayList<>();
    Omni omni = Omni.builder().clock(clock).discoverProviders(false).sender("email", sent::add).build();
    ProfileId ann = omni.ingest(ChannelEvent.builder("web").id("e-1").at(clock.instant()).type(EventType.CART_ADD)
        .identifiers(Identifier.email("ann@example.com")).line(LineKey.of("SKU-1"), 1).build());
    String run = omni.campaigns().start(Cascade.of(step("email", ofHours(24))), ann, "SKU-1 is 30% off").id();
    omni.campaigns().advance(clock.instant());
    omni.ingest(ChannelEvent.builder("web").id("e-2").at(clock.advance(ofHours(1))).type(EventType.ORDER)
        .identifiers(Identifier.email("ann@example.com")).attribute("order", "o-1").line(LineKey.of("SKU-1"), 1).build());
    boolean forgot = omni.identities().forget(Identifier.email("ann@example.com"));
    return ann + " " + omni.campaigns().run(run).state() + " " + sent.size() + " sent, forgot " + forgot;
  }
}
