package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** The retention contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryRetentionTest extends RetentionContract {
  @Override
  OmniStore newStore() {
    return OmniStore.inMemory();
  }
}
