package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** The change feed contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryChangeFeedTest extends ChangeFeedContract {
  @Override
  OmniStore newStore() {
    return OmniStore.inMemory();
  }
}
