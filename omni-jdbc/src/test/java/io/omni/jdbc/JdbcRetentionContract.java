package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention contract on a database, plus what only a shared database has to keep: instances
 * pruning at once, and version 6 applied again after it was cut short. Each test gets a fresh
 * database.
 */
abstract class JdbcRetentionContract extends RetentionContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();

  @Override
  OmniStore newStore() {
    return JdbcStore.builder(db.pool(3)).build();
  }

  @Test
  void instances_pruning_at_once_share_the_work() throws Exception {
    List<EventStore> instances = List.of(newStore().events(), newStore().events());
    for (int i = 0; i < 200; i++) {
      instances.get(i % 2).markProcessed("evt-" + i, T0.minusSeconds(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Long> one = pool.submit(() -> instances.get(0).pruneProcessed(T0.minusSeconds(49)));
      Future<Long> two = pool.submit(() -> instances.get(1).pruneProcessed(T0.minusSeconds(49)));
      assertThat(one.get() + two.get()).as("marks removed by both").isEqualTo(150);
    } finally {
      pool.shutdownNow();
    }
    assertThat(instances.get(0).processed("evt-49")).isTrue();
    assertThat(instances.get(1).processed("evt-50")).isFalse();
  }

  @Test
  void version_6_cut_short_completes_on_the_next_start() throws Exception {
    newStore();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // as if the instance died after the indexes and before the epoch table
      s.execute("DROP TABLE omni_identity_epoch");
      s.execute("DELETE FROM omni_schema_history WHERE version = 6");
    }
    Identities ids = Omni.builder().store(newStore()).build().identities();
    ids.link("web", Identifier.email("ann@example.com"));
    assertThat(ids.forget(Identifier.email("ann@example.com"))).isTrue();
  }
}
