package io.omni.jdbc;

import io.omni.spi.CartStore;
import io.omni.spi.OmniStore;

/** The cart store contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryCartStoreTest extends CartStoreContract {
  @Override
  protected CartStore store() {
    return OmniStore.inMemory().carts();
  }
}
