package io.omni.jdbc;

import io.omni.spi.OmniStore;
import java.util.List;

/** The same events, the same outcome, on the in-memory store: see {@link DeliveryOrderContract}. */
final class InMemoryDeliveryOrderTest extends DeliveryOrderContract {
  @Override
  OmniStore newStore(List<AutoCloseable> closing) {
    return OmniStore.inMemory();
  }
}
