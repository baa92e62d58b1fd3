package io.omni.spi;

import io.omni.campaign.CampaignRun;
import io.omni.identity.ProfileId;
import java.util.List;
import java.util.Optional;

/**
 * Storage of campaign runs. The store only stores: core moves runs on (cascades, conversions,
 * abandoned carts) and saves each new snapshot. Implementations must be thread-safe.
 */
public interface CampaignStore {

  /** Stores a run, replacing the one with its id if any. */
  void save(CampaignRun run);

  /** The run with this id. */
  Optional<CampaignRun> find(String id);

  /** The run whose promo code this is. */
  Optional<CampaignRun> byPromoCode(String promoCode);

  /** Every run in state {@link CampaignRun.State#RUNNING}, in the order they were first saved. */
  List<CampaignRun> running();

  /** Every run of a profile id as saved (core re-saves runs under the survivor after a merge), oldest first. */
  List<CampaignRun> byProfile(ProfileId profile);

  /**
   * Notes a profile whose cart changed, to be looked at for an abandoned cart; noting it again
   * changes nothing.
   */
  void watchCart(ProfileId profile);

  /** Stops looking at a profile's cart (it was emptied, or the profile merged into another). */
  void unwatchCart(ProfileId profile);

  /** The profiles whose carts are looked at, in the order first noted. */
  List<ProfileId> watchedCarts();
}
