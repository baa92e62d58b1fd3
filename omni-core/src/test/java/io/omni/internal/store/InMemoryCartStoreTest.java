package io.omni.internal.store;

import io.omni.spi.CartStore;
import io.omni.spi.CartStoreContract;

final class InMemoryCartStoreTest extends CartStoreContract {
  @Override
  protected CartStore store() {
    return new InMemoryCartStore();
  }
}
