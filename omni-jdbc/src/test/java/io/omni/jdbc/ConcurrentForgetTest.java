package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Erasure racing links on two instances: whatever order they commit in, every cluster is what its
 * remaining evidence joins (an identifier whose evidence was all erased stays, alone) and no merge
 * is half done.
 */
final class ConcurrentForgetTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void forgets_racing_links_leave_clusters_that_match_the_remaining_evidence(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Identities> instances = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).build())
            .identityRules(IdentityRules.relaxed()).build().identities());
      }
      List<Identifier> pool = Graph.identifiers("cf", 80);
      List<Identifier> forgotten = new CopyOnWriteArrayList<>();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicInteger linksLeft = new AtomicInteger(200);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 5; t++) {
        Identities ids = instances.get(t % 2);
        Random random = new Random(t);
        boolean forgetter = t == 0;
        threads.add(new Thread(() -> {
          try {
            while (linksLeft.get() > 0) {
              if (forgetter) {
                Identifier victim = pool.get(random.nextInt(pool.size()));
                if (ids.forget(victim)) {
                  forgotten.add(victim);
                }
                Thread.sleep(5);
              } else if (linksLeft.decrementAndGet() >= 0) {
                ids.link("web", Graph.link(random, pool).toArray(Identifier[]::new));
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();
      assertThat(forgotten).isNotEmpty();

      Graph.assertWhole(db);
      JdbcStore store = JdbcStore.builder(db.pool(2)).cacheSize(0).build();
      Identities fresh = Omni.builder().store(store).identityRules(IdentityRules.relaxed()).build().identities();
      Graph.assertMatchesItsEvidence(fresh, store, pool);
    }
  }
}
