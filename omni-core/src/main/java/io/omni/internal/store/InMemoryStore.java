package io.omni.internal.store;

import io.omni.spi.IdentityStore;
import io.omni.spi.OmniStore;

/** The default store: everything on the heap of this JVM, gone when it exits. */
public final class InMemoryStore implements OmniStore {
  private final InMemoryIdentityStore identities = new InMemoryIdentityStore();

  @Override
  public IdentityStore identities() {
    return identities;
  }

  @Override
  public String toString() {
    return "InMemoryStore";
  }
}
