package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartLine;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event lands whole or not at all: a scripted story of one customer (an anonymous cart, a
 * known customer's own cart, a login that merges the two, a removal, a promo redemption, a consent,
 * an order by phone, then a back-fill batch) is run once with a connection dropped at the k-th
 * round trip of one of its steps, for every k of every step, and the step retried as a caller
 * would; then again with the acknowledgement of the k-th commit of the step lost (the commit stands,
 * the caller hears of a failure and retries a write that already committed). Each interrupted run
 * must end in the state of the uninterrupted one: the identity graph, the journey, the orders, the
 * cart, the campaign run and the consent.
 *
 * <p>Each run is its own customer (its own identifiers and event ids) on one database, so that the
 * hundreds of runs share one schema; their states are compared with the run's own names taken out,
 * right after the interrupted step (the steps after it are the same code as in the reference run).
 */
abstract class IngestFaultContract {
  static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);
  final TestClock clock = new TestClock();
  private int customers;

  abstract Dialect dialect();

  /** One customer's names in a run: every id of the run holds its tag. */
  record Customer(String tag, Identifier cookie, Identifier email, Identifier phone, Identifier device) {
    static Customer number(int n) {
      String tag = "r" + n;
      return new Customer(tag, Identifier.cookie("c-" + tag), Identifier.email(tag + "@example.com"),
          Identifier.phone(String.format("+7916%07d", n)), Identifier.device("d-" + tag));
    }

    String id(String name) {
      return tag + "-" + name;
    }

    String untagged(String text) {
      return text.replace(tag, "#").replace(phone.value(), "PHONE");
    }
  }

  /** A step of the story: ingest one event, or a batch. */
  interface Step {
    void run(Omni omni, Customer customer, CampaignRun run);
  }

  private List<Step> story(Instant t0) {
    LineKey sku1 = LineKey.of("SKU-1");
    LineKey sku2 = LineKey.of("SKU-2");
    LineKey sku3 = LineKey.of("SKU-3");
    List<Step> steps = new ArrayList<>();
    // 0: an anonymous visitor fills a cart on the web
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("web").id(c.id("e1")).at(t0)
        .identifiers(c.cookie()).type(EventType.CART_ADD).line(sku1, 2).line(sku2, 1).build()));
    // 1: the known customer adds in the app
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("app").id(c.id("e2")).at(t0.plusSeconds(10))
        .identifiers(c.email(), c.phone()).type(EventType.CART_ADD).line(sku3, 1).line(sku1, 1).build()));
    // 2: she logs in on the web: the anonymous profile, its cart and journey merge into hers
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("web").id(c.id("e3")).at(t0.plusSeconds(20))
        .identifiers(c.cookie(), c.email()).type(EventType.LOGIN).build()));
    // 3: she removes a line in the app
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("app").id(c.id("e4")).at(t0.plusSeconds(30))
        .identifiers(c.email()).type(EventType.CART_REMOVE).line(sku2, 1).build()));
    // 4: she redeems the campaign's promo code in Viber
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("viber").id(c.id("e5")).at(t0.plusSeconds(40))
        .identifiers(c.phone()).type(EventType.PROMO_REDEEMED).attribute("code", run.promoCode()).build()));
    // 5: she refuses SMS
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("web").id(c.id("e6")).at(t0.plusSeconds(50))
        .identifiers(c.email()).type(EventType.CONSENT).attribute("channel", "sms").attribute("granted", "false")
        .build()));
    // 6: she orders by phone, a line of her cart and one that never was in it
    steps.add((omni, c, run) -> omni.ingest(ChannelEvent.builder("call-center").id(c.id("e7")).at(t0.plusSeconds(60))
        .identifiers(c.phone()).type(EventType.ORDER).attribute("order", c.id("o1"))
        .line(sku1, 2).line(LineKey.of("SKU-9"), 1).build()));
    // 7: a back-fill batch: a new device's cart, a login that brings it to her, a second order
    steps.add((omni, c, run) -> omni.ingestAll(List.of(
        ChannelEvent.builder("app").id(c.id("e8")).at(t0.plusSeconds(70))
            .identifiers(c.device()).type(EventType.CART_ADD).line(LineKey.of("SKU-5"), 3).build(),
        ChannelEvent.builder("app").id(c.id("e9")).at(t0.plusSeconds(80))
            .identifiers(c.device(), c.email()).type(EventType.LOGIN).build(),
        ChannelEvent.builder("pos").id(c.id("e10")).at(t0.plusSeconds(90))
            .identifiers(c.phone()).type(EventType.ORDER).attribute("order", c.id("o2"))
            .line(LineKey.of("SKU-5"), 1).build())));
    return steps;
  }

  /** What a customer's run came to, with the run's own names taken out. */
  record Outcome(List<String> identifiers, boolean oneProfile, List<String> journey, List<String> orders,
      List<String> cart, String campaign, boolean smsConsent) {}

  private Outcome outcome(Omni omni, Customer c, CampaignRun run) {
    ProfileId p = omni.identities().resolve(c.email()).or(() -> omni.identities().resolve(c.cookie())).orElseThrow();
    boolean one = List.of(c.cookie(), c.phone(), c.device()).stream()
        .allMatch(id -> omni.identities().resolve(id).map(p::equals).orElse(false));
    Function<String, String> u = text -> c.untagged(run == null ? text : text.replace(run.promoCode(), "PROMO"));
    List<String> identifiers = new ArrayList<>(new TreeSet<>(
        omni.identities().profile(p).identifiers().stream().map(Object::toString).map(u).toList()));
    List<String> journey = new ArrayList<>();
    for (Touchpoint t : omni.journeys().of(p)) {
      journey.add(u.apply(t.eventId() + " " + t.channel() + " " + t.type() + " " + t.at() + " " + t.attributes()));
    }
    List<String> orders = new ArrayList<>();
    for (Order o : omni.journeys().orders(p)) {
      orders.add(u.apply(o.id() + " " + o.channel() + " " + o.at() + " " + o.lines()));
    }
    List<String> cart = new ArrayList<>();
    for (CartLine line : omni.carts().get(p).lines()) {
      cart.add(line.key() + "=" + line.quantity());
    }
    CampaignRun now = run == null ? null : omni.campaigns().run(run.id());
    return new Outcome(identifiers, one, journey, orders, cart, now == null ? "" : now.state() + " " + now.convertedVia(),
        omni.hasConsent(p, "sms"));
  }

  private Omni omni(FailingDataSource source) {
    return Omni.builder().store(JdbcStore.builder(source.dataSource).cacheSize(0).build()).clock(clock)
        .discoverProviders(false).sender("email", m -> { }).sender("sms", m -> { }).build();
  }

  /**
   * Runs the story for a new customer up to {@code lastStep}. The k-th round trip (or commit, as
   * {@code fault} counts) of that step fails, and the step is retried as a caller would (k = 0:
   * nothing fails). Returns the outcome after each step; null when the last step made fewer than k
   * (nothing failed).
   */
  private List<Outcome> runStory(Omni omni, FailingDataSource source, int lastStep, FailingDataSource.Fault fault,
      int k) {
    Customer c = Customer.number(++customers);
    Instant t0 = clock.instant().minus(Duration.ofMinutes(30));
    List<Step> steps = story(t0);
    CampaignRun run = null;
    List<Outcome> outcomes = new ArrayList<>();
    for (int s = 0; s <= lastStep; s++) {
      if (s == 2) {
        ProfileId known = omni.identities().resolve(c.email()).orElseThrow();
        run = omni.campaigns().start(EMAIL_THEN_SMS, known, "SKU-3 is 30% off");
      }
      Step step = steps.get(s);
      if (k == 0 || s < lastStep) {
        step.run(omni, c, run);
        outcomes.add(outcome(omni, c, run));
        continue;
      }
      source.failAt(fault, k);
      CampaignRun started = run;
      try {
        step.run(omni, c, started);
      } catch (RuntimeException e) {
        assertThat(source.fired()).as("step %d failed at %s %d, not by the injected fault: %s", s, fault.what(), k, e)
            .isTrue();
      }
      boolean fired = source.fired();
      source.reset();
      if (!fired) {
        return null; // the step needs fewer than k round trips: every k was tried
      }
      step.run(omni, c, started); // the caller's retry
      outcomes.add(outcome(omni, c, run));
    }
    return outcomes;
  }

  @Test
  void every_step_interrupted_at_every_round_trip_and_retried_ends_as_an_uninterrupted_run() {
    FailingDataSource source = new FailingDataSource(db.pool(4));
    Omni omni = omni(source);
    int steps = story(clock.instant()).size();
    List<Outcome> references = runStory(omni, source, steps - 1, FailingDataSource.Fault.DROP, 0);
    Outcome reference = references.get(steps - 1);
    assertThat(reference.oneProfile()).isTrue();
    assertThat(reference.orders()).hasSize(2);
    assertThat(reference.cart()).contains("SKU-3=1").doesNotContain("SKU-2=1");
    assertThat(reference.campaign()).isEqualTo("CONVERTED Optional[viber]");
    assertThat(reference.smsConsent()).isFalse();

    java.util.Map<FailingDataSource.Fault, Integer> interrupted = new java.util.EnumMap<>(FailingDataSource.Fault.class);
    for (FailingDataSource.Fault fault : FailingDataSource.Fault.values()) {
      for (int s = 0; s < steps; s++) {
        for (int k = 1; ; k++) {
          List<Outcome> outcomes = runStory(omni, source, s, fault, k);
          if (outcomes == null) {
            assertThat(k).as("step %d made no %s", s, fault.what()).isGreaterThan(1);
            break;
          }
          interrupted.merge(fault, 1, Integer::sum);
          assertThat(outcomes.get(s)).as("step %d interrupted at %s %d, then retried", s, fault.what(), k)
              .isEqualTo(references.get(s));
        }
      }
    }
    assertThat(interrupted.get(FailingDataSource.Fault.DROP)).isGreaterThan(50);
    assertThat(interrupted.get(FailingDataSource.Fault.LOST_ACK)).as("commits whose acknowledgement was lost")
        .isGreaterThanOrEqualTo(2 * steps);
  }

  @Test
  void an_event_that_failed_at_its_last_round_trip_is_not_applied_twice_by_its_retry() {
    FailingDataSource source = new FailingDataSource(db.pool(4));
    Omni omni = omni(source);
    Customer c = Customer.number(++customers);
    Instant at = clock.instant().minusSeconds(60);
    Function<String, ChannelEvent> add = id -> ChannelEvent.builder("web").id(c.id(id)).at(at)
        .identifiers(c.email()).type(EventType.CART_ADD).line(LineKey.of("SKU-1"), 2).build();
    omni.ingest(add.apply("a1"));
    source.reset();
    omni.ingest(add.apply("a2"));
    int roundTrips = source.count(); // of an add to a customer who has a cart
    source.failAt(roundTrips);
    assertThatThrownBy(() -> omni.ingest(add.apply("a3"))).hasStackTraceContaining("injected");
    source.reset();
    omni.ingest(add.apply("a3"));
    ProfileId p = omni.identities().resolve(c.email()).orElseThrow();
    assertThat(omni.carts().get(p).quantity(LineKey.of("SKU-1"))).isEqualTo(6);
    assertThat(omni.journeys().of(p)).extracting(Touchpoint::eventId).containsExactly(c.id("a1"), c.id("a2"), c.id("a3"));
  }

  /**
   * A dropped round trip leaves the write unstored (and the caller retries it), or stored with its
   * cart watched; a lost acknowledgement of any of its commits leaves it stored, and the retry
   * changes nothing.
   */
  @Test
  void a_cart_api_write_interrupted_at_any_round_trip_is_not_stored_or_stands_with_its_cart_watched() {
    FailingDataSource source = new FailingDataSource(db.pool(4));
    Omni omni = omni(source);
    LineKey sku = LineKey.of("SKU-1");
    for (FailingDataSource.Fault fault : FailingDataSource.Fault.values()) {
      int interrupted = 0;
      for (int k = 1; ; k++) {
        Customer c = Customer.number(++customers);
        ProfileId p = omni.identities().link("web", c.email());
        source.failAt(fault, k);
        boolean failed = false;
        try {
          omni.carts().setQuantity(p, "web", sku, 2);
        } catch (RuntimeException e) {
          assertThat(source.fired()).as("failed at %s %d, not by the injected fault: %s", fault.what(), k, e).isTrue();
          failed = true;
        }
        boolean fired = source.fired();
        source.reset();
        if (!fired) {
          break;
        }
        interrupted++;
        if (failed) {
          if (fault == FailingDataSource.Fault.DROP) {
            assertThat(omni.carts().get(p).quantity(sku)).as("a failed write at round trip %d", k).isZero();
          }
          omni.carts().setQuantity(p, "web", sku, 2); // the caller's retry
        }
        assertThat(omni.carts().get(p).quantity(sku)).isEqualTo(2);
        assertThat(omni.store().campaigns().watchedCarts()).as("watched after a fault at %s %d", fault.what(), k)
            .contains(p);
      }
      assertThat(interrupted).as("%ss interrupted", fault.what()).isGreaterThan(fault == FailingDataSource.Fault.DROP ? 1 : 0);
    }
  }
}
