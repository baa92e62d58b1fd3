package io.omni.jdbc;

import io.omni.spi.OmniStore;
import java.util.List;

/** The same events, the same outcome, on PostgreSQL: see {@link DeliveryOrderContract}. */
final class PostgresDeliveryOrderTest extends DeliveryOrderContract {
  @Override
  OmniStore newStore(List<AutoCloseable> closing) {
    TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL);
    closing.add(db);
    return JdbcStore.builder(db.pool(2)).build();
  }
}
