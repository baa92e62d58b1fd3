package io.omni.campaign;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import io.omni.testing.FailingWrites;
import io.omni.testing.StoreOf;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A login merges a phone that ordered into a customer whose campaign is running. The merge must
 * convert the run, since the customer bought. The carrying of that merge fails at its k-th write
 * to the campaign or event store, for every k; the caller retries the link, and the run must end
 * converted, with the journey whole, as if nothing had failed.
 *
 * <p>The carry must leave something its retry finds until its last step. So the runs are converted
 * before they move, the survivor's cart is watched before the merged profile's is not, and the
 * journey (which holds the order the conversion reads) moves last. When the journey moved first, a
 * failure at the conversion left the merged profile holding nothing, and the retry carried
 * nothing: the run kept running after the purchase, and the customer kept getting messages.
 */
final class MergeCarryRetryTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  /** The writes the carrying of a merge makes to the campaign and event stores. */
  private static final Set<String> WRITES = Set.of("replace", "save", "insert", "watchCart", "unwatchCart",
      "rekey", "appendTouchpoint", "putConsent", "replaceConsent", "appendOrder");

  /** The in-memory store with its campaign and event stores behind {@link FailingWrites}. */
  private static OmniStore store(FailingWrites faults) {
    OmniStore target = OmniStore.inMemory();
    CampaignStore campaigns = faults.wrap(CampaignStore.class, target.campaigns());
    EventStore events = faults.wrap(EventStore.class, target.events());
    return new StoreOf(target.identities(), events, campaigns, target.carts());
  }

  /**
   * Ann's cart and her running campaign; then her phone, not yet known to be hers, orders. The
   * clock is past the order when this returns.
   */
  private static Omni history(OmniStore store) {
    TestClock clock = TestClock.at("2026-03-02T11:00:00Z");
    Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false).build();
    omni.ingest(ChannelEvent.builder("web").id("e1").at(T0).identifiers(ANN).type(EventType.CART_ADD)
        .line(LineKey.of("SKU-1"), 1).build());
    omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(ANN).orElseThrow(), "Sale");
    clock.advance(Duration.ofMinutes(40));
    omni.ingest(ChannelEvent.builder("pos").id("e2").at(T0.plusSeconds(5_700)).identifiers(PHONE)
        .type(EventType.ORDER).attribute("order", "o-1").line(LineKey.of("SKU-9"), 1).build());
    return omni;
  }

  private static void login(Omni omni) {
    omni.identities().link("login", "web", T0.plusSeconds(6_000), List.of(ANN, PHONE));
  }

  private static List<String> state(Omni omni) {
    ProfileId p = omni.identities().resolve(ANN).orElseThrow();
    List<String> out = new ArrayList<>();
    out.add("same profile " + omni.identities().resolve(PHONE).orElseThrow().equals(p));
    for (Touchpoint t : omni.journeys().of(p)) {
      out.add("touchpoint " + t.eventId() + " " + t.type());
    }
    omni.journeys().orders(p).forEach(o -> out.add("order " + o.id()));
    for (CampaignRun run : omni.campaigns().runs(p)) {
      out.add("run " + run.state() + " by " + run.conversion().map(c -> c.eventId()).orElse("-"));
    }
    return out;
  }

  @Test
  void a_retried_login_converts_the_run_whichever_write_of_the_carrying_failed() {
    Omni reference = history(store(new FailingWrites(WRITES)));
    login(reference);
    List<String> expected = state(reference);
    assertThat(expected).contains("run CONVERTED by e2", "order o-1", "touchpoint e2 ORDER");

    for (int k = 1; ; k++) {
      FailingWrites faults = new FailingWrites(WRITES);
      Omni omni = history(store(faults));
      faults.failAt(k);
      try {
        login(omni);
      } catch (IllegalStateException e) {
        assertThat(e).hasMessageContaining("injected");
      }
      boolean fired = faults.fired();
      faults.failAt(0);
      if (fired) {
        login(omni); // the caller's retry: the event was linked before, what its merge left is carried
      }
      assertThat(state(omni)).as("write %d of the carrying failed, then the login retried", k).isEqualTo(expected);
      if (!fired) {
        assertThat(k).as("writes of the carrying").isGreaterThan(3);
        return;
      }
    }
  }
}
