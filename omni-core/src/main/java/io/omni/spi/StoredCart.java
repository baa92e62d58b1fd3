package io.omni.spi;

import io.omni.cart.CartState;
import io.omni.cart.CartStatus;
import io.omni.identity.ProfileId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A profile's cart as the store holds it.
 *
 * @param profile whose cart
 * @param state the CRDT state
 * @param version the optimistic version: 1 for the first save, one more for each save after
 * @param mergedInto the survivor this cart was folded into, or {@code null} while it is active
 * @param appliedMerges the ids of one-time operations already applied to this cart, so that a
 *     replay does not apply them twice: identity merges folded into it (the merged profile id) and
 *     ingested events whose lines it took ({@code event:<epoch ms>:<event id>}, kept for a bounded
 *     time). Core reads and writes them; the store keeps the set as it is given
 */
public record StoredCart(
    ProfileId profile, CartState state, long version, ProfileId mergedInto, Set<String> appliedMerges) {

  /** Checks the fields and copies the set. */
  public StoredCart {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(state, "state");
    if (version < 1) {
      throw new IllegalArgumentException("a stored cart's version starts at 1, was " + version);
    }
    appliedMerges = Set.copyOf(appliedMerges);
  }

  /** {@link CartStatus#MERGED} once the cart was folded into a survivor's. */
  public CartStatus status() {
    return mergedInto == null ? CartStatus.ACTIVE : CartStatus.MERGED;
  }

  /** The survivor this cart was folded into, if it was. */
  public Optional<ProfileId> survivor() {
    return Optional.ofNullable(mergedInto);
  }
}
