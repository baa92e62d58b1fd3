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
import io.omni.spi.CartStore;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import io.omni.spi.OwedCarry;
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
 * The scenario of {@link MergeCarryRetryTest} — a login merges a phone that put a line in its cart
 * and ordered into a customer whose campaign is running — but the caller does not retry the login
 * whose carrying failed (a shop's checkout that logs the exception and moves on). The merge was
 * noted as owed in its own write, so {@code campaigns().advance(now)} past the grace period
 * carries it: the run converted by the phone's order, the phone's cart folded into the customer's,
 * the journey whole, as if nothing had failed, and no note left. Before the grace period the sweep
 * leaves the note alone (the write that made it is probably carrying it right then).
 */
final class OwedCarrySweepTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU5 = LineKey.of("SKU-5");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  /** The writes the carrying of a merge makes to the cart, campaign and event stores. */
  private static final Set<String> WRITES = Set.of("compareAndSet", "replace", "save", "insert", "watchCart",
      "unwatchCart", "rekey", "appendTouchpoint", "putConsent", "replaceConsent", "appendOrder");

  private static OmniStore store(FailingWrites faults) {
    OmniStore target = OmniStore.inMemory();
    return new StoreOf(target.identities(), faults.wrap(EventStore.class, target.events()),
        faults.wrap(CampaignStore.class, target.campaigns()), faults.wrap(CartStore.class, target.carts()));
  }

  private record Shop(Omni omni, TestClock clock) {}

  /**
   * Ann's cart and her running campaign, its email sent; then her phone, not yet known to be hers,
   * puts a line in its cart and orders. The clock is past the order when this returns.
   */
  private static Shop history(OmniStore store) {
    TestClock clock = TestClock.at("2026-03-02T11:00:00Z");
    Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false).build();
    omni.ingest(ChannelEvent.builder("web").id("e1").at(T0).identifiers(ANN).type(EventType.CART_ADD)
        .line(SKU1, 1).build());
    omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(ANN).orElseThrow(), "Sale");
    omni.campaigns().advance(clock.instant()); // the email goes out, its window is 24 hours
    clock.advance(Duration.ofMinutes(40));
    omni.ingest(ChannelEvent.builder("app").id("e1b").at(T0.plusSeconds(5_600)).identifiers(PHONE)
        .type(EventType.CART_ADD).line(SKU5, 2).build());
    omni.ingest(ChannelEvent.builder("pos").id("e2").at(T0.plusSeconds(5_700)).identifiers(PHONE)
        .type(EventType.ORDER).attribute("order", "o-1").line(LineKey.of("SKU-9"), 1).build());
    return new Shop(omni, clock);
  }

  private static void login(Omni omni) {
    omni.identities().link("login", "web", T0.plusSeconds(6_000), List.of(ANN, PHONE));
  }

  private static List<OwedCarry> owed(Omni omni) {
    return omni.store().identities().owedCarries(Instant.parse("5999-01-01T00:00:00Z"), 100);
  }

  private static List<String> state(Omni omni) {
    ProfileId p = omni.identities().resolve(ANN).orElseThrow();
    List<String> out = new ArrayList<>();
    out.add("same profile " + omni.identities().resolve(PHONE).orElseThrow().equals(p));
    for (Touchpoint t : omni.journeys().of(p)) {
      // a message's touchpoint is named by its run, whose id is drawn at random
      out.add("touchpoint " + (t.eventId().startsWith("msg-") ? "msg" : t.eventId()) + " " + t.type());
    }
    omni.journeys().orders(p).forEach(o -> out.add("order " + o.id()));
    for (CampaignRun run : omni.campaigns().runs(p)) {
      out.add("run " + run.state() + " by " + run.conversion().map(c -> c.eventId()).orElse("-")
          + ", messages " + run.messages().size());
    }
    out.add("cart SKU-1 " + omni.carts().get(p).quantity(SKU1) + ", SKU-5 " + omni.carts().get(p).quantity(SKU5));
    return out;
  }

  /** Advances within the grace period, then past it. */
  private static void advanceTwice(Shop shop, List<OwedCarry> owedBefore) {
    shop.omni.campaigns().advance(shop.clock.instant().plusSeconds(30));
    assertThat(owed(shop.omni)).as("notes after an advance within the grace period").isEqualTo(owedBefore);
    shop.omni.campaigns().advance(shop.clock.instant().plus(Duration.ofMinutes(2)));
  }

  @Test
  void advance_carries_a_merge_whose_carrying_failed_and_was_never_retried_whichever_write_failed() {
    Shop reference = history(store(new FailingWrites(WRITES)));
    login(reference.omni);
    assertThat(owed(reference.omni)).as("notes after a carrying that completed").isEmpty();
    advanceTwice(reference, List.of());
    List<String> expected = state(reference.omni);
    assertThat(expected).contains("run CONVERTED by e2, messages 1", "order o-1", "touchpoint e2 ORDER",
        "touchpoint e1b CART_ADD", "cart SKU-1 1, SKU-5 2");

    for (int k = 1; ; k++) {
      FailingWrites faults = new FailingWrites(WRITES);
      Shop shop = history(store(faults));
      faults.failAt(k);
      try {
        login(shop.omni);
      } catch (IllegalStateException e) {
        assertThat(e).hasMessageContaining("injected");
      }
      boolean fired = faults.fired();
      faults.failAt(0); // the caller does not retry the login
      List<OwedCarry> owed = owed(shop.omni);
      if (fired) {
        assertThat(owed).as("write %d of the carrying failed: the merge is owed", k).hasSize(1);
        assertThat(owed.get(0).survivor()).isEqualTo(shop.omni.identities().resolve(ANN).orElseThrow());
        assertThat(owed.get(0).cause()).isEqualTo("login");
      }
      advanceTwice(shop, owed);
      assertThat(state(shop.omni)).as("write %d of the carrying failed, no retry, then advance", k).isEqualTo(expected);
      assertThat(owed(shop.omni)).as("notes left after the sweep (write %d failed)", k).isEmpty();
      if (!fired) {
        assertThat(k).as("writes of the carrying").isGreaterThan(4);
        return;
      }
    }
  }

  @Test
  void a_sweep_that_fails_postpones_the_notes_and_advance_still_delivers() {
    FailingWrites faults = new FailingWrites(WRITES);
    Shop shop = history(store(faults));
    faults.failAt(1); // the fold of the phone's cart
    try {
      login(shop.omni);
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining("injected");
    }
    List<OwedCarry> owed = owed(shop.omni);
    assertThat(owed).hasSize(1);
    faults.failAt(1); // the sweep's fold fails too
    Instant dayLater = shop.clock.instant().plus(Duration.ofHours(25));
    List<io.omni.channel.Message> sent = shop.omni.campaigns().advance(dayLater);
    assertThat(faults.fired()).isTrue();
    // the note is kept, postponed to the sweep's time: it waits a grace period again
    OwedCarry o = owed.get(0);
    assertThat(owed(shop.omni)).as("notes after a failed sweep")
        .containsExactly(new OwedCarry(o.merged(), o.survivor(), o.cause(), o.channel(), o.at(), dayLater));
    // the delivery went on: the email's window passed, the run (not converted yet) sent its SMS
    assertThat(sent).extracting(io.omni.channel.Message::channel).containsExactly("sms");
    faults.failAt(0);
    shop.omni.campaigns().advance(dayLater.plusSeconds(30));
    assertThat(owed(shop.omni)).as("notes after an advance within the grace period of the postponed one").hasSize(1);
    shop.omni.campaigns().advance(dayLater.plusSeconds(90));
    assertThat(owed(shop.omni)).isEmpty();
    assertThat(state(shop.omni)).contains("run CONVERTED by e2, messages 2", "cart SKU-1 1, SKU-5 2");
  }
}
