package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.OmniStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The same events, the same outcome: a stream of a few customers' events — cart adds and removes,
 * orders, logins that merge an anonymous cookie or a new device into a known customer, consent
 * decisions, promo redemptions — delivered in a random permutation, each after a random delay of
 * up to an hour, leaves the carts, orders, journeys, consent and campaign runs that delivery in
 * time order, on time, leaves. Carts are merged by {@link CartMergePolicy#JOIN}, the policy under
 * which a merge's outcome does not depend on when it is applied. Subclassed for the in-memory
 * store and a database.
 */
abstract class DeliveryOrderContract {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  static final List<LineKey> SKUS = List.of(LineKey.of("SKU-1"), LineKey.of("SKU-2"), LineKey.of("SKU-3", "red"));

  /** A fresh, empty store; what must be closed after the try goes into {@code closing}. */
  abstract OmniStore newStore(List<AutoCloseable> closing);

  /** One customer's names. */
  record Customer(int n, Identifier email, Identifier phone, Identifier cookie, Identifier device) {
    static Customer number(int n) {
      return new Customer(n, Identifier.email("c" + n + "@example.com"), Identifier.phone(String.format("+7916%07d", n)),
          Identifier.cookie("cookie-" + n), Identifier.device("device-" + n));
    }
  }

  /** An event to be, drawn before the customers' promo codes are known. */
  record Draft(int customer, String kind, int via, int sku, int quantity, boolean flag) {}

  @Property(tries = 25)
  void any_delivery_order_and_delay_leaves_what_in_order_delivery_leaves(
      @ForAll("streams") List<Draft> drafts, @ForAll Random random) throws Exception {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      delays.add((long) random.nextInt(3_600_000));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      order.add(i);
    }
    List<Integer> shuffled = new ArrayList<>(order);
    Collections.shuffle(shuffled, random);

    Map<String, Object> onTime = outcome(drafts, order, null);
    Map<String, Object> late = outcome(drafts, shuffled, delays);
    assertThat(late).as("delivered in order %s", shuffled).isEqualTo(onTime);
  }

  /** What the customers end with when the events are delivered in {@code sequence}, after {@code delays}. */
  private Map<String, Object> outcome(List<Draft> drafts, List<Integer> sequence, List<Long> delays) throws Exception {
    List<AutoCloseable> closing = new ArrayList<>();
    try {
      TestClock clock = new TestClock();
      clock.set(T0.minus(Duration.ofMinutes(10)));
      Omni omni = Omni.builder().store(newStore(closing)).clock(clock).discoverProviders(false)
          .cartMergePolicy(CartMergePolicy.JOIN).sender("email", m -> { }).sender("sms", m -> { }).build();
      List<Customer> customers = new ArrayList<>();
      List<CampaignRun> runs = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        Customer c = Customer.number(n);
        customers.add(c);
        ProfileId known = omni.ingest(ChannelEvent.builder("app").id("known-" + n).at(clock.instant())
            .identifiers(c.email(), c.phone()).type(EventType.LOGIN).build());
        runs.add(omni.campaigns().start(EMAIL_THEN_SMS, known, "Spring sale"));
      }
      List<ChannelEvent> events = new ArrayList<>();
      for (int i = 0; i < drafts.size(); i++) {
        events.add(event(i, drafts.get(i), customers, runs));
      }
      for (int i : sequence) {
        ChannelEvent event = events.get(i);
        Instant due = event.at().plusMillis(delays == null ? 0 : delays.get(i));
        if (due.isAfter(clock.instant())) {
          clock.set(due);
        }
        omni.ingest(event);
      }
      Map<String, Object> out = new TreeMap<>();
      for (Customer c : customers) {
        String who = "customer " + c.n() + " ";
        customerOutcome(out, omni, who, c.email(), List.of(c.phone(), c.cookie(), c.device()));
        CampaignRun run = omni.campaigns().run(runs.get(c.n()).id());
        out.put(who + "run", run.state() + " " + run.conversion() + " " + run.endedAt());
      }
      return out;
    } finally {
      for (AutoCloseable c : closing) {
        c.close();
      }
    }
  }

  /**
   * What one customer ends with, into {@code out} under keys starting with {@code who}: whether each
   * of {@code others} is theirs (the profile of {@code email}), their cart with its stamps, orders,
   * journey and consent.
   */
  static void customerOutcome(Map<String, Object> out, Omni omni, String who, Identifier email,
      List<Identifier> others) {
    ProfileId p = omni.identities().resolve(email).orElseThrow();
    for (Identifier id : others) {
      out.put(who + id.type() + " is theirs", omni.identities().resolve(id).map(p::equals).orElse(null));
    }
    out.put(who + "cart", omni.carts().get(p).lines());
    out.put(who + "orders", omni.journeys().orders(p).stream()
        .map(o -> o.id() + " " + o.channel() + " " + o.at() + " " + o.lines()).sorted().toList());
    out.put(who + "journey", omni.journeys().of(p).stream()
        .map(t -> t.eventId() + " " + t.type() + " " + t.channel() + " " + t.at()).sorted().toList());
    out.put(who + "consent", omni.store().events().consents(p));
  }

  /** Draft {@code i} as an event: a second apart, in time order of their index. */
  private static ChannelEvent event(int i, Draft d, List<Customer> customers, List<CampaignRun> runs) {
    Customer c = customers.get(d.customer());
    Identifier[] anyOf = {c.email(), c.cookie(), c.device(), c.phone()};
    Identifier via = anyOf[d.via() % anyOf.length];
    ChannelEvent.Builder b = ChannelEvent.builder(d.flag() ? "web" : "app").id("e-" + i)
        .at(T0.plusSeconds(i).plusMillis(d.quantity()));
    LineKey sku = SKUS.get(d.sku());
    switch (d.kind()) {
      case "add" -> b.identifiers(via).type(EventType.CART_ADD).line(sku, d.quantity());
      case "remove" -> b.identifiers(via).type(EventType.CART_REMOVE).line(sku, 1);
      case "order" -> b.identifiers(c.phone()).type(EventType.ORDER).attribute("order", "o-" + i)
          .line(sku, d.quantity());
      case "phone-order" -> b.identifiers(c.phone()).type(EventType.ORDER).attribute("order", "o-" + i)
          .line(LineKey.of("SKU-9"), 1);
      case "login" -> b.identifiers(d.flag() ? c.cookie() : c.device(), c.email()).type(EventType.LOGIN);
      case "consent" -> b.identifiers(c.email()).type(EventType.CONSENT).attribute("channel", "sms")
          .attribute("granted", Boolean.toString(d.flag()));
      case "promo" -> b.identifiers(c.phone()).type(EventType.PROMO_REDEEMED)
          .attribute("code", runs.get(d.customer()).promoCode());
      default -> throw new IllegalArgumentException(d.kind());
    }
    return b.build();
  }

  @Provide
  Arbitrary<List<Draft>> streams() {
    Arbitrary<String> kind = Arbitraries.frequency(
        Tuple.of(8, "add"), Tuple.of(3, "remove"), Tuple.of(2, "order"), Tuple.of(1, "phone-order"),
        Tuple.of(3, "login"), Tuple.of(2, "consent"), Tuple.of(1, "promo"));
    Arbitrary<Draft> draft = Combinators.combine(Arbitraries.integers().between(0, 2), kind,
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, SKUS.size() - 1),
            Arbitraries.integers().between(1, 3), Arbitraries.of(true, false))
        .as(Draft::new);
    return draft.list().ofMinSize(4).ofMaxSize(24);
  }
}
