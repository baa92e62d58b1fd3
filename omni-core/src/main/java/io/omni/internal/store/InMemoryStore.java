package io.omni.internal.store;

import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.CartStore;
import io.omni.spi.IdentityStore;
import io.omni.spi.OmniStore;

/** The default store: everything on the heap of this JVM, gone when it exits. */
public final class InMemoryStore implements OmniStore {
  private final InMemoryIdentityStore identities = new InMemoryIdentityStore();
  private final InMemoryEventStore events = new InMemoryEventStore();
  private final InMemoryCampaignStore campaigns = new InMemoryCampaignStore();
  private final InMemoryCartStore carts = new InMemoryCartStore();

  @Override
  public IdentityStore identities() {
    return identities;
  }

  @Override
  public EventStore events() {
    return events;
  }

  @Override
  public CampaignStore campaigns() {
    return campaigns;
  }

  @Override
  public CartStore carts() {
    return carts;
  }

  @Override
  public String toString() {
    return "InMemoryStore";
  }
}
