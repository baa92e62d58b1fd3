package io.omni.internal.store;

import io.omni.identity.ProfileId;
import io.omni.spi.CartStore;
import io.omni.spi.StoredCart;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Carts on the heap: one concurrent map per kind, compare-and-set through {@code compute}. */
final class InMemoryCartStore implements CartStore {
  private final ConcurrentHashMap<ProfileId, StoredCart> carts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Instant> nonces = new ConcurrentHashMap<>();

  @Override
  public Optional<StoredCart> load(ProfileId profile) {
    return Optional.ofNullable(carts.get(Objects.requireNonNull(profile, "profile")));
  }

  /** {@inheritDoc} Reads the map without an {@code Optional}, and builds a set only once one holds a cart. */
  @Override
  public Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = Set.of();
    for (ProfileId p : profiles) {
      StoredCart cart = carts.get(Objects.requireNonNull(p, "profile"));
      if (cart != null && cart.mergedInto() == null) {
        holding = holding.isEmpty() ? new HashSet<>() : holding;
        holding.add(p);
      }
    }
    return holding;
  }

  @Override
  public boolean compareAndSet(long expectedVersion, StoredCart next) {
    Objects.requireNonNull(next, "next");
    if (next.version() != expectedVersion + 1) {
      throw new IllegalArgumentException("a cart saved over version " + expectedVersion
          + " must have version " + (expectedVersion + 1) + ", had " + next.version());
    }
    boolean[] stored = {false};
    carts.compute(next.profile(), (profile, current) -> {
      long version = current == null ? 0 : current.version();
      if (version != expectedVersion) {
        return current;
      }
      stored[0] = true;
      return next;
    });
    return stored[0];
  }

  @Override
  public boolean consumeNonce(String nonce, Instant expiresAt) {
    return nonces.putIfAbsent(Objects.requireNonNull(nonce, "nonce"), Objects.requireNonNull(expiresAt, "expiresAt")) == null;
  }

  @Override
  public void purgeNonces(Instant instant) {
    nonces.values().removeIf(expiry -> expiry.isBefore(instant));
  }

  @Override
  public String toString() {
    return "InMemoryCartStore[" + carts.size() + " carts]";
  }
}
