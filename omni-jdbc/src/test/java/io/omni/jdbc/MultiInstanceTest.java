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
      List<Omni> instances = linkingInstances(db, 10);
      List<Identifier> pool = Graph.identifiers("mi", 200);
      List<List<Identifier>> links = randomLinks(new Random(7), pool);
      ConcurrentLinkedQueue<List<Identifier>> work = new ConcurrentLinkedQueue<>(links);
      together(THREADS, t -> {
        Identities ids = instances.get(t % INSTANCES).identities();
        for (List<Identifier> link; (link = work.poll()) != null; ) {
          ids.link("web", link.toArray(Identifier[]::new));
        }
      });
      assertSameAsReference(db, pool, links);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void batches_from_eight_threads_on_three_instances_reach_the_single_threaded_partition(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Omni> instances = linkingInstances(db, 50); // whole batches lose races more often than links
      List<Identifier> pool = Graph.identifiers("mb", 200);
      Random random = new Random(17);
      List<List<Identifier>> links = randomLinks(random, pool);
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
      together(THREADS, t -> {
        Identities ids = instances.get(t % INSTANCES).identities();
        for (List<io.omni.identity.Link> batch; (batch = work.poll()) != null; ) {
          ids.linkAll(batch);
        }
      });
      assertSameAsReference(db, pool, links);
    }
  }

  private static List<Omni> linkingInstances(TestDatabase db, int maxAttempts) {
    List<Omni> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).maxAttempts(maxAttempts).build())
          .identityRules(IdentityRules.relaxed()).replicaId("node-" + i).build());
    }
    return instances;
  }

  private static List<List<Identifier>> randomLinks(Random random, List<Identifier> pool) {
    List<List<Identifier>> links = new ArrayList<>();
    for (int i = 0; i < LINKS; i++) {
      links.add(Graph.link(random, pool));
    }
    return links;
  }

  /** What a worker thread does; {@code t} is its number. */
  @FunctionalInterface
  private interface Worker {
    void run(int t) throws Exception;
  }

  /** Starts the workers together, waits for them all, and fails with what any of them threw. */
  private static void together(int threads, Worker worker) throws InterruptedException {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int number = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          worker.run(number);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "worker-" + t);
      thread.start();
      started.add(thread);
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  /**
   * The database holds what one thread linking on the in-memory store gets: the same partition,
   * every link once, one live profile per cluster, no half merge, no identifier twice.
   */
  private static void assertSameAsReference(TestDatabase db, List<Identifier> pool, List<List<Identifier>> links)
      throws Exception {
    Identities fresh = Omni.builder().store(JdbcStore.builder(db.pool(2)).cacheSize(0).build())
        .identityRules(IdentityRules.relaxed()).build().identities();
    assertThat(Graph.partition(fresh, pool)).isEqualTo(Graph.partition(Graph.reference(links), pool));
    assertThat(fresh.stats().evidence()).isEqualTo(links.size());
    assertThat(fresh.stats().profiles()).isEqualTo(Graph.partition(fresh, pool).size());
    Graph.assertWhole(db);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      assertThat(Graph.count(s, """
          SELECT COUNT(*) FROM (SELECT id_type, id_value FROM omni_identifier
            GROUP BY id_type, id_value HAVING COUNT(*) > 1) twice""")).isZero();
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
      together(6, t -> {
        Omni omni = instances.get(t % INSTANCES);
        for (ChannelEvent event; (event = work.poll()) != null; ) {
          omni.ingest(event);
        }
      });

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
      together(threads, t -> {
        Omni omni = instances.get(t % INSTANCES);
        String channel = t % 2 == 0 ? "web" : "app";
        for (int i = 0; i < linesPerThread; i++) {
          omni.carts().add(ann, channel, LineKey.of("SKU-" + t + "-" + i), i + 1);
        }
      });

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
