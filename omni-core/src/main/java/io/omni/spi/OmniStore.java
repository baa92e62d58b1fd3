package io.omni.spi;

import io.omni.internal.store.InMemoryStore;

/**
 * Where an {@link io.omni.Omni} keeps its state. The rules — identity guards, the cart CRDT,
 * campaign logic — live once in core and run over any store; a store only reads, locks and
 * writes.
 *
 * <p>The in-memory store is the default ({@link #inMemory()}); {@code omni-jdbc}'s {@code
 * JdbcStore} keeps the same state in PostgreSQL, MariaDB/MySQL or H2 and lets many application
 * instances share it.
 *
 * <p>Implementations must be thread-safe.
 */
public interface OmniStore extends AutoCloseable {

  /** A new, empty store that keeps everything on the heap of this JVM. */
  static OmniStore inMemory() {
    return new InMemoryStore();
  }

  /** The identity graph: identifiers, profiles, aliases, evidence and conflicts. */
  IdentityStore identities();

  /** What ingested events recorded: processed event ids, touchpoints, orders, consent. */
  EventStore events();

  /** Campaign runs. */
  CampaignStore campaigns();
  /** Carts, one per profile, with optimistic versions; hand-off token nonces. */
  CartStore carts();

  /**
   * How many identifier lookups this store answered from its cache since it was built; 0 for a
   * store without a cache (the in-memory one). For metrics.
   */
  default long cacheHits() {
    return 0;
  }

  /** How many identifier lookups this store's cache could not answer since it was built. */
  default long cacheMisses() {
    return 0;
  }

  /** Releases what the store holds (connections, caches). The default does nothing. */
  @Override
  default void close() {}
}
