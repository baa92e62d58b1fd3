package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** The event and campaign contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryChannelStoreTest extends ChannelStoreContract {
  @Override
  OmniStore newStore() {
    return OmniStore.inMemory();
  }
}
