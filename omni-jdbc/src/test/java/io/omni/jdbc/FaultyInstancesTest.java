package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults and instances at once: three Omni instances, each with its own pool, share one database;
 * two of them sit on a network that drops about one round trip in twenty. Four threads take the
 * events of six customers (anonymous carts, logins that merge a cookie or a device into a known
 * customer, removals, orders by phone, consent) from one queue in a shuffled order, some of them
 * twice, and hand each to one of the instances; an event whose ingest failed goes back at the end
 * of the queue, as a broker redelivers what was not acknowledged. What the database holds at the
 * end must be what one instance on the in-memory store holds after the same events delivered once,
 * in time order: nothing lost, nothing applied twice, whatever failed where and whoever raced.
 */
final class FaultyInstancesTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final List<LineKey> SKUS = List.of(LineKey.of("SKU-1"), LineKey.of("SKU-2"), LineKey.of("SKU-3"));
  private static final int CUSTOMERS = 6;
  private static final int EVENTS = 90;
  private static final int THREADS = 4;

  record Customer(int n, Identifier email, Identifier phone, Identifier cookie, Identifier device) {
    static Customer number(int n) {
      return new Customer(n, Identifier.email("f" + n + "@example.com"), Identifier.phone(String.format("+7916%07d", n)),
          Identifier.cookie("fcookie-" + n), Identifier.device("fdevice-" + n));
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void events_redelivered_after_dropped_connections_on_racing_instances_leave_what_one_clean_delivery_leaves(
      Dialect dialect) throws Exception {
    List<ChannelEvent> events = events(new Random(41));
    TestClock clock = new TestClock();
    clock.set(T0.plus(Duration.ofHours(1)));

    Map<String, Object> expected = outcome(reference(clock, events));

    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<FailingDataSource> flaky = List.of(new FailingDataSource(db.pool(3)), new FailingDataSource(db.pool(3)));
      JdbcStore.builder(db.pool(2)).build(); // the schema, before any fault
      List<Omni> instances = List.of(
          instance(JdbcStore.builder(flaky.get(0).dataSource).build(), clock, "node-0"),
          instance(JdbcStore.builder(flaky.get(1).dataSource).build(), clock, "node-1"),
          instance(JdbcStore.builder(db.pool(3)).build(), clock, "node-2"));
      flaky.get(0).failRandomly(1, 20);
      flaky.get(1).failRandomly(2, 20);

      List<ChannelEvent> deliveries = new ArrayList<>(events);
      Random shuffle = new Random(43);
      for (ChannelEvent e : events) {
        if (shuffle.nextInt(4) == 0) {
          deliveries.add(e); // a duplicate delivery, to race the first
        }
      }
      Collections.shuffle(deliveries, shuffle);
      ConcurrentLinkedQueue<ChannelEvent> queue = new ConcurrentLinkedQueue<>(deliveries);
      AtomicInteger redeliveries = new AtomicInteger();
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int number = t;
        Thread thread = new Thread(() -> {
          try {
            start.await();
            int turn = number;
            for (ChannelEvent event; (event = queue.poll()) != null; turn++) {
              try {
                instances.get(turn % instances.size()).ingest(event);
              } catch (OmniStorageException e) {
                redeliveries.incrementAndGet();
                queue.add(event);
              }
            }
          } catch (Throwable e) {
            unexpected.add(e);
          }
        }, "faulty-" + t);
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      for (FailingDataSource f : flaky) {
        f.reset();
      }

      assertThat(unexpected).isEmpty();
      assertThat(flaky.get(0).failures() + flaky.get(1).failures()).as("round trips dropped").isGreaterThan(10);
      assertThat(redeliveries.get()).as("ingests that failed and were delivered again").isPositive();
      Omni reader = instance(JdbcStore.builder(db.pool(2)).cacheSize(0).build(), clock, "reader");
      assertThat(outcome(reader)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_later_consent_recorded_by_one_instance_while_another_stores_an_earlier_one_stands(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      JdbcStore.builder(db.pool(2)).build();
      CountingDataSource paused = new CountingDataSource(db.pool(2));
      CountDownLatch aboutToWrite = new CountDownLatch(1);
      CountDownLatch otherDone = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
      paused.beforeStatement = sql -> {
        // A has read the stored decisions; it stops before its first write of one until B is done
        if (sql.contains("omni_consent") && !sql.contains("ORDER BY channel") && armed.compareAndSet(true, false)) {
          aboutToWrite.countDown();
          try {
            otherDone.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      TestClock clock = new TestClock();
      clock.set(T0.plus(Duration.ofHours(1)));
      Omni a = instance(JdbcStore.builder(paused.dataSource).build(), clock, "node-a");
      Omni b = instance(JdbcStore.builder(db.pool(2)).build(), clock, "node-b");
      Identifier ann = Identifier.email("consent@example.com");
      ProfileId who = b.ingest(ChannelEvent.builder("app").id("c-login").at(T0).identifiers(ann)
          .type(EventType.LOGIN).build());
      ChannelEvent earlier = ChannelEvent.builder("app").id("c-early").at(T0.plusSeconds(10)).identifiers(ann)
          .type(EventType.CONSENT).attribute("channel", "sms").attribute("granted", "true").build();
      ChannelEvent later = ChannelEvent.builder("web").id("c-late").at(T0.plusSeconds(20)).identifiers(ann)
          .type(EventType.CONSENT).attribute("channel", "sms").attribute("granted", "false").build();

      armed.set(true);
      List<Throwable> failed = new CopyOnWriteArrayList<>();
      Thread first = new Thread(() -> {
        try {
          a.ingest(earlier);
        } catch (Throwable e) {
          failed.add(e);
        }
      }, "consent-a");
      first.start();
      aboutToWrite.await();
      b.ingest(later);
      otherDone.countDown();
      first.join();

      assertThat(failed).isEmpty();
      assertThat(b.store().events().consents(who)).extracting(c -> c.source() + " " + c.granted())
          .containsExactly("c-late false");
      assertThat(b.hasConsent(who, "sms")).isFalse();
    }
  }

  private static Omni instance(OmniStore store, TestClock clock, String replica) {
    return Omni.builder().store(store).clock(clock).discoverProviders(false).replicaId(replica)
        .cartMergePolicy(CartMergePolicy.JOIN).build();
  }

  private static Omni reference(TestClock clock, List<ChannelEvent> events) {
    Omni omni = instance(OmniStore.inMemory(), clock, "reference");
    for (ChannelEvent e : events) {
      omni.ingest(e);
    }
    return omni;
  }

  /** Each customer's identity, cart (stamps included), orders, journey and consent. */
  private static Map<String, Object> outcome(Omni omni) {
    Map<String, Object> out = new TreeMap<>();
    for (int n = 0; n < CUSTOMERS; n++) {
      Customer c = Customer.number(n);
      DeliveryOrderContract.customerOutcome(out, omni, "customer " + n + " ", c.email(),
          List.of(c.phone(), c.cookie(), c.device()));
    }
    return out;
  }

  /** Each customer first logs in with email and phone; then random events, a second apart. */
  private static List<ChannelEvent> events(Random random) {
    List<ChannelEvent> events = new ArrayList<>();
    for (int n = 0; n < CUSTOMERS; n++) {
      Customer c = Customer.number(n);
      events.add(ChannelEvent.builder("app").id("f-known-" + n).at(T0.plusMillis(n))
          .identifiers(c.email(), c.phone()).type(EventType.LOGIN).build());
    }
    for (int i = 0; i < EVENTS; i++) {
      Customer c = Customer.number(random.nextInt(CUSTOMERS));
      Identifier[] anyOf = {c.email(), c.cookie(), c.device(), c.phone()};
      Identifier via = anyOf[random.nextInt(anyOf.length)];
      LineKey sku = SKUS.get(random.nextInt(SKUS.size()));
      int quantity = 1 + random.nextInt(3);
      ChannelEvent.Builder b = ChannelEvent.builder(random.nextBoolean() ? "web" : "app").id("f-" + i)
          .at(T0.plusSeconds(1 + i));
      switch (random.nextInt(10)) {
        case 0, 1, 2, 3 -> b.identifiers(via).type(EventType.CART_ADD).line(sku, quantity);
        case 4 -> b.identifiers(via).type(EventType.CART_REMOVE).line(sku, 1);
        case 5 -> b.identifiers(c.phone()).type(EventType.ORDER).attribute("order", "fo-" + i).line(sku, quantity);
        case 6, 7 -> b.identifiers(random.nextBoolean() ? c.cookie() : c.device(), c.email()).type(EventType.LOGIN);
        case 8 -> b.identifiers(c.email()).type(EventType.CONSENT).attribute("channel", "sms")
            .attribute("granted", Boolean.toString(random.nextBoolean()));
        default -> b.identifiers(via).type(EventType.PAGE_VIEW);
      }
      events.add(b.build());
    }
    return events;
  }
}
