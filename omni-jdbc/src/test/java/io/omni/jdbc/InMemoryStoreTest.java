package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** The contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryStoreTest extends IdentityStoreContract {
  @Override
  OmniStore newStore() {
    return OmniStore.inMemory();
  }
}
