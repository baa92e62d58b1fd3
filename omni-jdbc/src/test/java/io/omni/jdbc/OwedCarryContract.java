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
import io.omni.identity.Link;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.OwedCarry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A login merges a phone — which put a line in its cart and ordered — into a customer whose
 * campaign is running; the carrying of that merge to the other stores fails at its k-th round trip,
 * for every k, and the caller does not retry (a shop's checkout that logs and moves on). The merge
 * was noted as owed in its own transaction ({@code omni_owed_carry}), so {@code advance} past the
 * grace period carries it: the phone's cart folded into the customer's, her journey whole, the run
 * converted by the phone's order, and no note left. The same for a batch of logins ({@code
 * linkAll}); and two instances (each its own pool) sweeping the same notes at once fold each cart
 * once under {@link CartMergePolicy#SUM}.
 *
 * <p>Each customer is her own names and her own day: the class shares one database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OwedCarryContract {
  static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  static final LineKey SKU1 = LineKey.of("SKU-1");
  static final LineKey SKU5 = LineKey.of("SKU-5");
  /** Past the default grace period of one minute. */
  static final Duration PAST_GRACE = Duration.ofMinutes(2);
  private static final Instant FAR = Instant.parse("5999-01-01T00:00:00Z");

  private TestDatabase db;
  private FailingDataSource network;
  private final TestClock clock = new TestClock();
  private Omni omni;
  private int customers;

  abstract Dialect dialect();

  @BeforeAll
  void database() {
    db = TestDatabase.create(dialect());
    network = new FailingDataSource(db.pool(4));
    omni = Omni.builder().store(JdbcStore.builder(network.dataSource).build()).clock(clock).build();
  }

  @AfterAll
  void dropDatabase() throws java.sql.SQLException {
    if (db != null) {
      db.close();
    }
  }

  /** One customer: her email, her phone, her event ids; her history starts on a day of her own. */
  record Customer(String tag, Identifier email, Identifier phone) {
    String id(String name) {
      return tag + "-" + name;
    }
  }

  private Customer customer() {
    int n = ++customers;
    clock.advance(Duration.ofDays(3)); // past every earlier customer's campaign windows
    return new Customer("oc" + n + dialect().name().charAt(0), Identifier.email("oc" + n + "@example.com"),
        Identifier.phone(String.format("+7916%07d", 3_000_000 + n)));
  }

  /**
   * Her cart and running campaign (its email sent), then her phone, not yet known to be hers, puts
   * a line in its cart and orders. Answers the login that merges the two.
   */
  private Link history(Customer c) {
    Instant t0 = clock.instant();
    omni.ingest(ChannelEvent.builder("web").id(c.id("e1")).at(t0).identifiers(c.email()).type(EventType.CART_ADD)
        .line(SKU1, 1).build());
    omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(c.email()).orElseThrow(), "Sale");
    omni.campaigns().advance(clock.instant());
    clock.advance(Duration.ofMinutes(40));
    omni.ingest(ChannelEvent.builder("app").id(c.id("e1b")).at(t0.plusSeconds(2_300)).identifiers(c.phone())
        .type(EventType.CART_ADD).line(SKU5, 2).build());
    omni.ingest(ChannelEvent.builder("pos").id(c.id("e2")).at(t0.plusSeconds(2_350)).identifiers(c.phone())
        .type(EventType.ORDER).attribute("order", c.id("o-1")).line(LineKey.of("SKU-9"), 1).build());
    return new Link(c.id("login"), "web", t0.plusSeconds(2_400), List.of(c.email(), c.phone()));
  }

  /** Her state after the login and a sweep: as if the carrying had never failed, or no merge at all. */
  private void assertCarried(Customer c, String when) {
    ProfileId p = omni.identities().resolve(c.email()).orElseThrow();
    ProfileId q = omni.identities().resolve(c.phone()).orElseThrow();
    if (!p.equals(q)) {
      // the fault hit the identity write itself, which rolled back: nothing merged, nothing owed
      assertThat(omni.carts().get(q).quantity(SKU5)).as(when).isEqualTo(2);
      return;
    }
    List<String> journey = new ArrayList<>();
    for (Touchpoint t : omni.journeys().of(p)) {
      journey.add((t.eventId().startsWith("msg-") ? "msg" : t.eventId().replace(c.tag(), "#")) + " " + t.type());
    }
    assertThat(journey).as("journey, %s", when)
        .containsExactlyInAnyOrder("#-e1 CART_ADD", "msg MESSAGE_SENT", "#-e1b CART_ADD", "#-e2 ORDER");
    assertThat(omni.journeys().orders(p)).as("orders, %s", when).hasSize(1);
    assertThat(omni.carts().get(p).quantity(SKU1)).as("cart, %s", when).isEqualTo(1);
    assertThat(omni.carts().get(p).quantity(SKU5)).as("cart, %s", when).isEqualTo(2);
    List<CampaignRun> runs = omni.campaigns().runs(p);
    assertThat(runs).as("runs, %s", when).hasSize(1);
    assertThat(runs.get(0).state()).as("run, %s", when).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(runs.get(0).conversion().orElseThrow().eventId()).as(when).isEqualTo(c.id("e2"));
  }

  private List<OwedCarry> owed() {
    return omni.store().identities().owedCarries(FAR, 1_000);
  }

  @Test
  void advance_carries_a_merge_whose_carrying_failed_at_any_round_trip_and_was_never_retried() {
    List<Customer> each = new ArrayList<>();
    List<Link> logins = new ArrayList<>();
    int interrupted = network.interruptEachRoundTrip(k -> {
      each.add(customer());
      logins.add(history(each.get(each.size() - 1)));
    }, k -> omni.identities().link(logins.get(k - 1).eventId(), "web", logins.get(k - 1).at(),
        logins.get(k - 1).identifiers()), (k, cut, thrown) -> {
          // no retry: the scheduler's next advance, past the grace period, repairs it
          clock.advance(PAST_GRACE);
          omni.campaigns().advance(clock.instant());
          assertCarried(each.get(k - 1), "round trip " + k + " of the login dropped, no retry, then advance");
          assertThat(owed()).as("notes left after round trip %d dropped and an advance", k).isEmpty();
        });
    assertThat(interrupted).as("round trips of a login that merges and carries").isGreaterThan(10);
  }

  @Test
  void advance_carries_the_merges_of_a_batch_whose_carrying_failed_and_was_never_retried() {
    List<List<Customer>> each = new ArrayList<>();
    List<List<Link>> batches = new ArrayList<>();
    int interrupted = network.interruptEachRoundTrip(k -> {
      List<Customer> three = List.of(customer(), customer(), customer());
      List<Link> batch = new ArrayList<>();
      for (Customer c : three) {
        batch.add(history(c));
      }
      each.add(three);
      batches.add(batch);
    }, k -> omni.identities().linkAll(batches.get(k - 1)), (k, cut, thrown) -> {
      clock.advance(PAST_GRACE);
      omni.campaigns().advance(clock.instant());
      for (Customer c : each.get(k - 1)) {
        assertCarried(c, "round trip " + k + " of the batch dropped, no retry, then advance");
      }
      assertThat(owed()).as("notes left after round trip %d of the batch dropped and an advance", k).isEmpty();
    });
    assertThat(interrupted).as("round trips of a batch that merges and carries").isGreaterThan(10);
  }

  @Test
  void two_instances_sweeping_the_same_notes_at_once_fold_each_cart_once() throws Exception {
    // a carrying that fails at its first question, on every login of the batch: every merge is owed
    TestClock shared = new TestClock();
    shared.set(clock.instant().plus(Duration.ofDays(3)));
    Omni writer = Omni.builder().store(JdbcStore.builder(CountingDataSource.droppingEveryCarrying(db.pool(2))).build())
        .clock(shared).cartMergePolicy(CartMergePolicy.SUM).build();
    List<Link> logins = new ArrayList<>();
    List<Customer> each = new ArrayList<>();
    for (int n = 0; n < 12; n++) {
      Customer c = customer();
      each.add(c);
      writer.carts().add(c.email(), "web", SKU1, 1); // her own cart
      Identifier cookie = Identifier.cookie(c.id("cookie"));
      writer.carts().add(cookie, "web", SKU1, 2); // the anonymous visitor's, who then logs in
      // she logs in after both carts were written: the fold is stamped just before the login
      logins.add(new Link(c.id("login"), "web", shared.instant().plusSeconds(1), List.of(cookie, c.email())));
    }
    shared.advance(Duration.ofSeconds(1));
    try {
      writer.identities().linkAll(logins);
    } catch (RuntimeException e) {
      assertThat(e).hasMessageContaining("injected");
    }
    assertThat(writer.store().identities().owedCarries(FAR, 100)).as("owed after the failed carrying").hasSize(12);

    shared.advance(PAST_GRACE);
    List<Omni> instances = List.of(sweeper(shared), sweeper(shared));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Omni instance : instances) {
        done.add(threads.submit(() -> {
          start.await();
          return instance.campaigns().advance(shared.instant());
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    for (Customer c : each) {
      ProfileId p = instances.get(0).identities().resolve(c.email()).orElseThrow();
      assertThat(instances.get(0).carts().get(p).quantity(SKU1)).as("%s's cart after two sweeps", c.tag()).isEqualTo(3);
    }
    assertThat(instances.get(1).store().identities().owedCarries(FAR, 100)).as("owed after the sweeps").isEmpty();
  }

  private Omni sweeper(TestClock at) {
    return Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).clock(at).cartMergePolicy(CartMergePolicy.SUM)
        .build();
  }
}
