package io.omni;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import org.junit.jupiter.api.Test;

/** Omni's meters, named and tagged as {@link OmniMetrics} documents, counted by a story. */
final class OmniMetricsTest {
  private final TestClock clock = TestClock.at("2026-03-02T09:00:00Z");
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false)
      .sender("email", message -> {
        throw new IllegalStateException("the mail gateway is down");
      })
      .sender("sms", message -> { })
      .deliveryAttempts(1) // a failing sender is not tried again: one failure, then the next step
      .build();

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void links_merges_conflicts_shared_marks_and_forgets_are_counted() {
    new OmniMetrics(omni).bindTo(registry);
    var ids = omni.identities();

    ids.link("web", Identifier.cookie("c-1"));                                   // an anonymous visitor
    ids.link("web", Identifier.email("ann@example.com"));
    ids.link("web", Identifier.cookie("c-1"), Identifier.email("ann@example.com")); // merges the two
    ids.link("pos", Identifier.account("a-1"), Identifier.email("ann@example.com"));
    // a store kiosk seen with three other customers: three refused bridges, then marked shared
    ids.link("pos", Identifier.device("kiosk-1"), Identifier.account("a-1"));
    for (int i = 2; i <= 4; i++) {
      ids.link("pos", Identifier.device("kiosk-1"), Identifier.account("a-" + i));
    }
    ids.forget(Identifier.cookie("c-1"));

    assertThat(count("omni.identity.links")).isEqualTo(8);
    assertThat(count("omni.identity.merges")).isEqualTo(1);
    assertThat(count("omni.identity.conflicts")).isGreaterThanOrEqualTo(3);
    assertThat(count("omni.identity.shared")).isEqualTo(1);
    assertThat(count("omni.identity.forgets")).isEqualTo(1);
  }

  @Test
  void ingest_latency_by_channel_and_failures_by_exception() {
    new OmniMetrics(omni, Tags.of("instance", "eu-1")).bindTo(registry);

    omni.ingest(ChannelEvent.builder("web").id("e-1").at(clock.instant()).type(EventType.CART_ADD)
        .identifiers(Identifier.cookie("c-1")).line(LineKey.of("SKU-1"), 1).build());
    omni.ingest(ChannelEvent.builder("app").id("e-2").at(clock.instant()).type(EventType.LOGIN)
        .identifiers(Identifier.cookie("c-1"), Identifier.email("ann@example.com")).build());
    assertThatThrownBy(() -> omni.ingest(ChannelEvent.builder("web").id("e-3").at(clock.instant())
        .type(EventType.PROMO_REDEEMED).attribute("code", "NO-SUCH-CODE").identifiers(Identifier.cookie("c-1")).build()))
        .isInstanceOf(InvalidEventException.class);

    assertThat(registry.get("omni.ingest").tags("channel", "web", "instance", "eu-1").timer().count()).isEqualTo(1);
    assertThat(registry.get("omni.ingest").tags("channel", "app").timer().count()).isEqualTo(1);
    assertThat(registry.get("omni.ingest").tags("channel", "app").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
        .isPositive();
    assertThat(count("omni.ingest.failures", "channel", "web", "exception", "InvalidEventException")).isEqualTo(1);
    assertThat(count("omni.identity.links")).isEqualTo(2);
  }

  @Test
  void messages_sent_and_failed_by_channel() {
    new OmniMetrics(omni).bindTo(registry);
    ProfileId ann = omni.identities().link("app", Identifier.email("ann@example.com"), Identifier.phone("+79161234567"));

    omni.campaigns().start(Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24))), ann, "SKU-1 is 30% off");
    omni.campaigns().advance(clock.instant());
    omni.campaigns().advance(clock.advance(ofHours(24)));

    assertThat(count("omni.messages.failed", "channel", "email")).isEqualTo(1);
    assertThat(count("omni.messages.sent", "channel", "sms")).isEqualTo(1);
    assertThat(registry.find("omni.messages.sent").tags("channel", "email").counter()).isNull();
  }

  @Test
  void cache_hits_read_the_store_and_are_zero_in_memory() {
    new OmniMetrics(omni).bindTo(registry);
    omni.identities().resolve(Identifier.email("ann@example.com"));

    assertThat(registry.get("omni.store.cache.hits").functionCounter().count()).isZero();
    assertThat(registry.get("omni.store.cache.misses").functionCounter().count()).isZero();
  }
}
