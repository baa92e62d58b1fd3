package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several Omni instances, each with its own connection pool, share one database; eight threads
 * link at random. The result must be what one thread gets on the in-memory store from the same
 * links, with every link recorded once and no merge half done.
 */
final class MultiInstanceTest {
  private static final int INSTANCES = 3;
  private static final int THREADS = 8;
  private static final int LINKS = 360;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void eight_threads_on_three_instances_reach_the_single_threaded_partition(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Omni> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).build())
            .identityRules(IdentityRules.relaxed()).replicaId("node-" + i).build());
      }
      Random random = new Random(7);
      List<Identifier> pool = Graph.identifiers("mi", 200);
      List<List<Identifier>> links = new ArrayList<>();
      for (int i = 0; i < LINKS; i++) {
        links.add(Graph.link(random, pool));
      }
      ConcurrentLinkedQueue<List<Identifier>> work = new ConcurrentLinkedQueue<>(links);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Identities ids = instances.get(t % INSTANCES).identities();
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (List<Identifier> link; (link = work.poll()) != null; ) {
              ids.link("web", link.toArray(Identifier[]::new));
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "linker-" + t);
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();

      Identities fresh = Omni.builder().store(JdbcStore.builder(db.pool(2)).cacheSize(0).build())
          .identityRules(IdentityRules.relaxed()).build().identities();
      assertThat(Graph.partition(fresh, pool)).isEqualTo(Graph.partition(Graph.reference(links), pool));
      assertThat(fresh.stats().evidence()).isEqualTo(LINKS);
      assertThat(fresh.stats().profiles()).isEqualTo(Graph.partition(fresh, pool).size());
      Graph.assertWhole(db);
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        assertThat(Graph.count(s, """
            SELECT COUNT(*) FROM (SELECT id_type, id_value FROM omni_identifier
              GROUP BY id_type, id_value HAVING COUNT(*) > 1) twice""")).isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void batches_from_eight_threads_on_three_instances_reach_the_single_threaded_partition(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Omni> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).maxAttempts(50).build())
            .identityRules(IdentityRules.relaxed()).replicaId("node-" + i).build());
      }
      Random random = new Random(17);
      List<Identifier> pool = Graph.identifiers("mb", 200);
      List<List<Identifier>> links = new ArrayList<>();
      for (int i = 0; i < LINKS; i++) {
        links.add(Graph.link(random, pool));
      }
      // batches of 1 to 24 links, with event ids, some delivered twice to different instances
      ConcurrentLinkedQueue<List<io.omni.identity.Link>> work = new ConcurrentLinkedQueue<>();
      Instant t0 = Instant.parse("2026-11-23T08:00:00Z");
      for (int from = 0; from < LINKS; ) {
        int to = Math.min(LINKS, from + 1 + random.nextInt(24));
        List<io.omni.identity.Link> batch = new ArrayList<>();
        for (int k = from; k < to; k++) {
          batch.add(new io.omni.identity.Link("mb-" + k, "web", t0.plusSeconds(k), links.get(k)));
        }
        work.add(batch);
        if (random.nextInt(4) == 0) {
          work.add(batch);
        }
        from = to;
      }
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Identities ids = instances.get(t % INSTANCES).identities();
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (List<io.omni.identity.Link> batch; (batch = work.poll()) != null; ) {
              ids.linkAll(batch);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "batcher-" + t);
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();

      Identities fresh = Omni.builder().store(JdbcStore.builder(db.pool(2)).cacheSize(0).build())
          .identityRules(IdentityRules.relaxed()).build().identities();
      assertThat(Graph.partition(fresh, pool)).isEqualTo(Graph.partition(Graph.reference(links), pool));
      assertThat(fresh.stats().evidence()).isEqualTo(LINKS);
      assertThat(fresh.stats().profiles()).isEqualTo(Graph.partition(fresh, pool).size());
      Graph.assertWhole(db);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void every_event_delivered_to_two_instances_at_once_lands_once_in_its_customers_journey(Dialect dialect)
      throws Exception {
    int customers = 8;
    int eventsPerCustomer = 10;
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Omni> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).replicaId("node-" + i).build());
      }
      Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
      List<ChannelEvent> events = new ArrayList<>();
      for (int e = 0; e < eventsPerCustomer; e++) {
        for (int c = 0; c < customers; c++) {
          events.add(ChannelEvent.builder(e % 2 == 0 ? "web" : "call-center").id("evt-" + c + "-" + e)
              .at(t0.plusSeconds(e)).identifiers(Identifier.email("c" + c + "@example.com"))
              .type(EventType.PAGE_VIEW).attribute("n", Integer.toString(e)).build());
        }
      }
      // every event twice, shuffled, so that two threads on different instances race for it
      List<ChannelEvent> deliveries = new ArrayList<>(events);
      deliveries.addAll(events);
      Collections.shuffle(deliveries, new Random(11));
      ConcurrentLinkedQueue<ChannelEvent> work = new ConcurrentLinkedQueue<>(deliveries);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Omni omni = instances.get(t % INSTANCES);
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (ChannelEvent event; (event = work.poll()) != null; ) {
              omni.ingest(event);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "ingester-" + t);
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();

      Omni fresh = Omni.builder().store(JdbcStore.builder(db.pool(2)).cacheSize(0).build()).build();
      for (int c = 0; c < customers; c++) {
        ProfileId who = fresh.identities().resolve(Identifier.email("c" + c + "@example.com")).orElseThrow();
        List<Touchpoint> journey = fresh.journeys().of(who);
        String prefix = "evt-" + c + "-";
        assertThat(journey).extracting(Touchpoint::eventId).as("journey of customer " + c)
            .hasSize(eventsPerCustomer).doesNotHaveDuplicates().allMatch(id -> id.startsWith(prefix));
      }
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        assertThat(Graph.count(s, "SELECT COUNT(*) FROM omni_processed_event")).isEqualTo(events.size());
        assertThat(Graph.count(s, "SELECT COUNT(*) FROM omni_touchpoint")).isEqualTo(events.size());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void every_cart_line_written_from_three_instances_is_in_the_cart_at_the_end(Dialect dialect) throws Exception {
    int threads = 6;
    int linesPerThread = 8;
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Omni> instances = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).replicaId("node-" + i).build());
      }
      ProfileId ann = instances.get(0).identities().link("web", Identifier.email("cart@example.com"));
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Omni omni = instances.get(t % INSTANCES);
        String channel = t % 2 == 0 ? "web" : "app";
        int writer = t;
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < linesPerThread; i++) {
              omni.carts().add(ann, channel, LineKey.of("SKU-" + writer + "-" + i), i + 1);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "cart-writer-" + t);
        thread.start();
        writers.add(thread);
      }
      start.countDown();
      for (Thread thread : writers) {
        thread.join();
      }
      assertThat(failures).isEmpty();

      CartState cart = Omni.builder().store(JdbcStore.builder(db.pool(2)).cacheSize(0).build()).replicaId("reader")
          .build().carts().get(ann);
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < linesPerThread; i++) {
          assertThat(cart.quantity(LineKey.of("SKU-" + t + "-" + i))).as("line SKU-" + t + "-" + i).isEqualTo(i + 1);
        }
      }
      assertThat(cart.lines()).hasSize(threads * linesPerThread);
    }
  }
}
