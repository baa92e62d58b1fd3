package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** Campaign delivery from several instances sharing one in-memory store, so that the contract itself is checked. */
final class InMemoryDeliveryTest extends DeliveryContract {
  private final OmniStore shared = OmniStore.inMemory();

  @Override
  OmniStore instanceStore() {
    return shared;
  }
}
