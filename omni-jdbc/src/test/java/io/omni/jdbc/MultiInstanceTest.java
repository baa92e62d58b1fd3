package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
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
}
