package io.omni.jdbc;

import io.omni.spi.OmniStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Campaign delivery from several instances on one database, each instance with a pool of its own. */
abstract class JdbcDeliveryContract extends DeliveryContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();

  @Override
  OmniStore instanceStore() {
    return JdbcStore.builder(db.pool(4)).build();
  }
}
