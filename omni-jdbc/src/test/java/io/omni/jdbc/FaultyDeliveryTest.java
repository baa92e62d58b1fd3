package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.channel.MessageSender;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.OmniStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Campaigns delivered by racing instances on a flaky network: three Omni instances, each with its
 * own pool, share one database; two of them drop about one round trip in twenty. Forty customers
 * each get a two-step campaign (email, then SMS a day later); some order before anything is due,
 * some after the email, some after the SMS, some never. In each round the orders due by then are
 * ingested (an ingest that failed is delivered again, as a broker would), then six threads on the
 * two flaky instances advance the campaigns at once, so that those claim and send; an advance that
 * failed is simply left for the next one, as a scheduler would; and a round ends with advances on
 * every instance past the delivery lease, so that a message whose claim outlived a failed advance
 * is taken up again.
 *
 * <p>What must hold is what one instance on the in-memory store does with the same rounds and no
 * fault: the same messages reach the gateway (nothing lost, nothing sent after an order), each
 * copy of a message identical (so the gateway can drop a copy by its key), the same run states and
 * the same journeys (a send recorded once, whatever failed around it).
 *
 * <p>Which statement a random drop hits depends on how the threads interleave, so this test does
 * not reliably hit the one moment where a drop used to send a message twice (the record of a send
 * that went out); {@link #a_connection_dropped_while_a_sent_message_is_recorded_does_not_send_it_again}
 * drops exactly that statement.
 */
final class FaultyDeliveryTest {
  private static final Instant T0 = Instant.parse("2026-04-06T08:00:00Z");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  private static final Duration LEASE = ofMinutes(5);
  private static final int CUSTOMERS = 40;
  private static final int THREADS = 6;
  /** The rounds, from T0: nothing due, the emails, the SMSes, the runs' end, and two to settle. */
  private static final List<Duration> ROUNDS =
      List.of(ofHours(0), ofHours(1), ofHours(24), ofHours(25), ofHours(30), ofHours(48), ofHours(50), ofHours(72));

  private static Identifier email(int i) {
    return Identifier.email("faulty-" + i + "@example.com");
  }

  private static Identifier phone(int i) {
    return Identifier.phone(String.format("+7917%07d", i));
  }

  /**
   * When customer {@code i} orders, from T0: before the email (a cancelled run: nothing is sent),
   * after the email, after the SMS, or never (null).
   */
  private static Duration orderAt(int i) {
    switch (i % 4) {
      case 0:
        return ofMinutes(30); // ahead of the first advance that sends (1 h): no message at all
      case 1:
        return ofHours(2); // after the email, before the SMS: converted, no SMS
      case 2:
        return ofHours(26); // after both
      default:
        return null; // never: the run is exhausted
    }
  }

  /**
   * A network that drops statements at random, seeded: one in {@value #OUTBOX_ONE_IN} of the
   * outbox's updates (a claim taking its rows, and the record of a send, where a failure could send
   * a message twice) and one in {@value #OTHER_ONE_IN} of the others (the runs' pass and ingests,
   * which an advance makes a hundred of before it delivers anything: at a higher rate no advance
   * of a flaky instance would reach its deliveries).
   */
  private static final class FlakyNetwork {
    static final int OUTBOX_ONE_IN = 2;
    static final int OTHER_ONE_IN = 100;
    final CountingDataSource network;
    final java.util.Random random;
    volatile boolean on;
    int outboxDrops;
    int otherDrops;

    FlakyNetwork(javax.sql.DataSource pool, long seed) {
      network = new CountingDataSource(pool);
      random = new java.util.Random(seed);
      network.beforeStatement = this::maybeDrop;
    }

    private synchronized void maybeDrop(String sql) throws java.sql.SQLException {
      if (!on) {
        return;
      }
      boolean outbox = sql.startsWith("UPDATE omni_outbox");
      if (random.nextInt(outbox ? OUTBOX_ONE_IN : OTHER_ONE_IN) == 0) {
        if (outbox) {
          outboxDrops++;
        } else {
          otherDrops++;
        }
        throw new java.sql.SQLTransientConnectionException("injected: the connection dropped", FailingDataSource.LOST);
      }
    }
  }

  /** What the gateway saw: every copy of every message, by key. */
  private static final class Gateway implements MessageSender {
    final Map<String, List<String>> copies = new ConcurrentHashMap<>();

    @Override
    public void send(Message m) {
      copies.computeIfAbsent(m.idempotencyKey(), k -> new CopyOnWriteArrayList<>())
          .add(m.channel() + " " + m.to().value() + " " + m.text());
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void campaigns_advanced_by_racing_instances_on_a_flaky_network_send_what_one_clean_instance_sends(Dialect dialect)
      throws Exception {
    TestClock clock = new TestClock();
    clock.set(T0);
    FAILED_ADVANCES.set(0);
    FAILED_INGESTS.set(0);
    Gateway cleanGateway = new Gateway();
    Omni reference = instance(OmniStore.inMemory(), clock, cleanGateway, "reference");
    Map<String, Object> expected = play(clock, List.of(reference), reference, cleanGateway, () -> { }, () -> { });

    try (TestDatabase db = TestDatabase.create(dialect)) {
      clock.set(T0);
      List<FlakyNetwork> flaky = List.of(new FlakyNetwork(db.pool(3), 7), new FlakyNetwork(db.pool(3), 8));
      JdbcStore.builder(db.pool(2)).build(); // the schema, before any fault
      Gateway gateway = new Gateway();
      List<Omni> instances = List.of(
          instance(JdbcStore.builder(flaky.get(0).network.dataSource).build(), clock, gateway, "node-0"),
          instance(JdbcStore.builder(flaky.get(1).network.dataSource).build(), clock, gateway, "node-1"),
          instance(JdbcStore.builder(db.pool(3)).build(), clock, gateway, "node-2"));
      Runnable faults = () -> flaky.forEach(f -> f.on = true);
      Runnable noFaults = () -> flaky.forEach(f -> f.on = false);
      // the customers and their campaigns are set up without faults; the rounds run with them
      Map<String, Object> actual = play(clock, instances, instances.get(2), gateway, faults, noFaults);

      int outbox = flaky.get(0).outboxDrops + flaky.get(1).outboxDrops;
      int other = flaky.get(0).otherDrops + flaky.get(1).otherDrops;
      assertThat(outbox).as("outbox updates dropped").isPositive();
      assertThat(other).as("other statements dropped").isPositive();
      assertThat(FAILED_ADVANCES.get()).as("advances that failed").isPositive();
      assertThat(FAILED_INGESTS.get()).as("ingests that failed").isPositive();
      assertThat(actual).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_connection_dropped_while_a_sent_message_is_recorded_does_not_send_it_again(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      JdbcStore.builder(db.pool(2)).build();
      CountingDataSource network = new CountingDataSource(db.pool(2));
      java.util.concurrent.atomic.AtomicInteger drops = new java.util.concurrent.atomic.AtomicInteger(1);
      network.beforeStatement = sql -> {
        // the first write of an outbox row's outcome: after the sender took the message
        if (sql.startsWith("UPDATE omni_outbox SET status") && drops.getAndDecrement() > 0) {
          throw new java.sql.SQLTransientConnectionException("injected: the connection dropped", FailingDataSource.LOST);
        }
      };
      TestClock clock = new TestClock();
      clock.set(T0);
      Gateway gateway = new Gateway();
      Omni omni = instance(JdbcStore.builder(network.dataSource).build(), clock, gateway, "node");
      ProfileId who = omni.identities().link("app", email(1), phone(1));
      CampaignRun run = omni.campaigns().start(EMAIL_THEN_SMS, who, "Spring sale");

      for (Duration at : List.of(ofHours(0), LEASE.plusSeconds(1), ofHours(1))) {
        try {
          omni.campaigns().advance(T0.plus(at));
        } catch (OmniStorageException e) {
          // a scheduler calls advance again later
        }
      }

      assertThat(drops.get()).as("the drop happened").isNegative();
      assertThat(gateway.copies.get(run.id() + ":0")).as("copies of the email").hasSize(1);
      assertThat(omni.campaigns().run(run.id()).messages()).extracting(Message::step).containsExactly(0);
      assertThat(omni.journeys().of(who)).extracting(Touchpoint::type).containsExactly(EventType.MESSAGE_SENT);
    }
  }

  /**
   * Sets up the customers and their runs on {@code setup}, then plays the rounds on {@code
   * instances} with faults on, and returns for each customer the run's state and messages, every
   * copy of each step's message the gateway took, and the journey.
   */
  private static Map<String, Object> play(TestClock clock, List<Omni> instances, Omni setup, Gateway gateway,
      Runnable faults, Runnable noFaults) throws Exception {
    List<ProfileId> customers = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      ProfileId who = setup.ingest(ChannelEvent.builder("app").id("fd-login-" + i).at(T0).type(EventType.LOGIN)
          .identifiers(email(i), phone(i)).build());
      customers.add(who);
      runs.add(setup.campaigns().start(EMAIL_THEN_SMS, who, "Spring sale for customer " + i).id());
    }
    faults.run();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    Duration previous = Duration.ofMillis(-1);
    for (Duration round : ROUNDS) {
      Instant now = T0.plus(round);
      clock.set(now);
      int turn = 0;
      for (int i = 0; i < CUSTOMERS; i++) {
        Duration at = orderAt(i);
        if (at != null && at.compareTo(previous) > 0 && at.compareTo(round) <= 0) {
          ChannelEvent order = ChannelEvent.builder("pos").id("fd-order-" + i).at(T0.plus(at)).type(EventType.ORDER)
              .identifiers(email(i)).attribute("order", "fd-o-" + i).line(LineKey.of("SKU-1"), 1).build();
          for (int attempt = 0; ; attempt++) {
            try {
              instances.get(turn++ % instances.size()).ingest(order);
              break;
            } catch (OmniStorageException e) {
              FAILED_INGESTS.incrementAndGet();
              assertThat(attempt).as("attempts to ingest %s", order.id()).isLessThan(50);
            }
          }
        }
      }
      previous = round;
      // first the instances on the flaky network alone (all of them for the reference), so that they
      // claim and send, then every instance
      advanceAll(instances.size() > 1 ? instances.subList(0, 2) : instances, now, unexpected);
      // past the lease: what a failed advance claimed and left is taken up again
      advanceAll(instances, now.plus(LEASE).plusSeconds(1), unexpected);
      advanceAll(instances, now.plus(LEASE.multipliedBy(2)).plusSeconds(2), unexpected);
    }
    noFaults.run();
    assertThat(unexpected).isEmpty();

    Omni reader = instances.get(instances.size() - 1);
    Map<String, Object> out = new TreeMap<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      CampaignRun run = reader.campaigns().run(runs.get(i));
      out.put(String.format("customer %02d run", i), run.state() + " "
          + run.messages().stream().map(m -> m.step() + ":" + m.channel() + ":" + m.to().value()).toList()
          + " failures " + run.failures().size());
      for (int step = 0; step < 2; step++) {
        out.put(String.format("customer %02d step %d at the gateway", i, step),
            gateway.copies.getOrDefault(runs.get(i) + ":" + step, List.of()));
      }
      out.put(String.format("customer %02d journey", i), reader.journeys().of(customers.get(i)).stream()
          .map(Touchpoint::type).map(Enum::name).toList());
    }
    return out;
  }

  /** Six threads advance at once; an advance that fails is left to the next, as a scheduler would. */
  private static void advanceAll(List<Omni> instances, Instant now, List<Throwable> unexpected) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Omni omni = instances.get(t % instances.size());
      Thread thread = new Thread(() -> {
        try {
          go.await();
          omni.campaigns().advance(now);
        } catch (OmniStorageException e) {
          FAILED_ADVANCES.incrementAndGet(); // the network dropped a round trip: the next advance takes it up
        } catch (Throwable e) {
          unexpected.add(e);
        }
      }, "advance-" + t);
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Advances and ingests that failed on a dropped round trip, over the test. */
  private static final java.util.concurrent.atomic.AtomicInteger FAILED_ADVANCES = new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger FAILED_INGESTS = new java.util.concurrent.atomic.AtomicInteger();

  private static Omni instance(OmniStore store, TestClock clock, Gateway gateway, String replica) {
    return Omni.builder().store(store).clock(clock).discoverProviders(false).replicaId(replica)
        .deliveryLease(LEASE).sender("email", gateway).sender("sms", gateway).build();
  }
}
