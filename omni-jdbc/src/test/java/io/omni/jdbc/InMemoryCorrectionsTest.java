package io.omni.jdbc;

import io.omni.spi.OmniStore;

/** The corrections contract on the in-memory reference store, so that the contract itself is checked. */
final class InMemoryCorrectionsTest extends CorrectionsContract {
  @Override
  OmniStore newStore() {
    return OmniStore.inMemory();
  }
}
