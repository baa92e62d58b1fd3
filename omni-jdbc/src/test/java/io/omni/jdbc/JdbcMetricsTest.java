package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omni.Omni;
import io.omni.OmniMetrics;
import io.omni.identity.Identifier;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The JDBC store's identifier cache, counted by {@link OmniMetrics}. */
final class JdbcMetricsTest {

  @Test
  void cache_hits_and_misses_of_the_jdbc_store_are_counted() throws SQLException {
    try (TestDatabase db = TestDatabase.create(Dialect.H2)) {
      JdbcStore store = JdbcStore.builder(db.pool(2)).build();
      Omni omni = Omni.builder().store(store).build();
      MeterRegistry registry = new SimpleMeterRegistry();
      new OmniMetrics(omni).bindTo(registry);
      omni.identities().link("web", Identifier.email("ann@example.com"));

      omni.identities().resolve(Identifier.email("ann@example.com")); // read from the database, then cached
      omni.identities().resolve(Identifier.email("ann@example.com"));
      omni.identities().resolve(Identifier.email("ann@example.com"));

      // the first cached read after start also looks at the erasure epoch and may drop the cache once
      // (IdentifierCache), so the split between hits and misses is not fixed; the counters follow it
      assertThat(store.cacheHits()).isBetween(1L, 2L);
      assertThat(store.cacheHits() + store.cacheMisses()).isGreaterThanOrEqualTo(3);
      assertThat(registry.get("omni.store.cache.hits").functionCounter().count()).isEqualTo(store.cacheHits());
      assertThat(registry.get("omni.store.cache.misses").functionCounter().count()).isEqualTo(store.cacheMisses());
      assertThat(registry.get("omni.identity.links").counter().count()).isEqualTo(1);
    }
  }
}
