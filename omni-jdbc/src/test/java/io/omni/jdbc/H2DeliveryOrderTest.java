package io.omni.jdbc;

import io.omni.spi.OmniStore;
import java.util.List;

/** The same events, the same outcome, on H2: see {@link DeliveryOrderContract}. */
final class H2DeliveryOrderTest extends DeliveryOrderContract {
  @Override
  OmniStore newStore(List<AutoCloseable> closing) {
    TestDatabase db = TestDatabase.create(Dialect.H2);
    closing.add(db);
    return JdbcStore.builder(db.pool(2)).build();
  }
}
