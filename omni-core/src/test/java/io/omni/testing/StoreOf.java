package io.omni.testing;

import io.omni.spi.CampaignStore;
import io.omni.spi.CartStore;
import io.omni.spi.EventStore;
import io.omni.spi.IdentityStore;
import io.omni.spi.OmniStore;

/** A store made of the four a test picks: one of them wrapped to fail, say, the others a real store's. */
public record StoreOf(IdentityStore identities, EventStore events, CampaignStore campaigns, CartStore carts)
    implements OmniStore {
}
