package io.omni.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.omni.identity.Identifier;
import io.omni.jdbc.internal.IdentifierCache;
import io.omni.jdbc.internal.JdbcCampaignStore;
import io.omni.jdbc.internal.JdbcCartStore;
import io.omni.jdbc.internal.JdbcEventStore;
import io.omni.jdbc.internal.JdbcIdentityStore;
import io.omni.jdbc.internal.Migrator;
import io.omni.jdbc.internal.SqlDialect;
import io.omni.jdbc.internal.Transactions;
import io.omni.spi.CampaignStore;
import io.omni.spi.CartStore;
import io.omni.spi.EventStore;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityStore;
import io.omni.spi.OmniStore;
import io.omni.spi.StoredIdentifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Omni's state in PostgreSQL, MariaDB/MySQL or H2, shared by every application instance that
 * points at the same database: the identity graph ({@link #identities()}), journeys, orders and
 * consent ({@link #events()}), campaign runs ({@link #campaigns()}) and carts ({@link #carts()}).
 *
 * <pre>{@code
 * HikariDataSource dataSource = new HikariDataSource(config);
 * Omni omni = Omni.builder()
 *     .store(JdbcStore.builder(dataSource).build())   // creates or upgrades the schema
 *     .build();
 * }</pre>
 *
 * <p>Writes that touch the same customers are serialized by row locks taken in a fixed order and
 * retried, with a bound, on serialization failures, deadlocks and lost races for a new identifier.
 * Identifier lookups for reads are cached (Caffeine); a cached profile id may lag behind a merge
 * made elsewhere by up to {@link Builder#cacheExpiry(Duration)}, which is harmless because an old
 * profile id resolves through its alias. A forget or a split made elsewhere, which no alias covers,
 * reaches the cache within about {@link Builder#erasureCheckInterval(Duration)} (200 ms by
 * default) on every database: see the setting. Writes never read the cache. The cache's upkeep
 * runs on the threads that call the store: it starts no threads.
 *
 * <p>The store does not own the {@link DataSource}: {@link #close()} leaves it open. A pool of at
 * least two connections is needed while the schema is first created.
 */
public final class JdbcStore implements OmniStore {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final SchemaMode schemaMode;
  private final JdbcIdentityStore identities;
  private final JdbcEventStore events;
  private final JdbcCampaignStore campaigns;
  private final JdbcCartStore carts;
  private final Cache<Identifier, StoredIdentifier> cache;
  private final Transactions transactions;

  private JdbcStore(Builder builder, Dialect dialect) {
    this.dataSource = builder.dataSource;
    this.dialect = dialect;
    this.schemaMode = builder.schemaMode;
    SqlDialect sql = SqlDialect.of(dialect);
    // executor(Runnable::run): Caffeine's maintenance (eviction, expiry) runs on the caller's
    // thread, never on ForkJoinPool.commonPool, so that Omni starts no threads (NoThreadsTest)
    Cache<Identifier, StoredIdentifier> lookups = builder.cacheSize == 0 ? null
        : Caffeine.newBuilder().executor(Runnable::run).maximumSize(builder.cacheSize)
            .expireAfterWrite(builder.cacheExpiry).recordStats().build();
    this.cache = lookups;
    IdentifierCache identifierCache = lookups == null ? null : new IdentifierCache(lookups, builder.erasureCheckInterval,
        builder.cacheSize);
    Transactions transactions = new Transactions(dataSource, sql, builder.maxAttempts);
    this.transactions = transactions;
    this.identities = new JdbcIdentityStore(transactions, sql, identifierCache);
    this.events = new JdbcEventStore(transactions);
    this.campaigns = new JdbcCampaignStore(transactions, sql);
    this.carts = new JdbcCartStore(transactions);
  }

  /**
   * Starts configuring a store on this data source (a connection pool such as HikariCP).
   *
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  @Override
  public IdentityStore identities() {
    return identities;
  }

  /** Processed event ids, journeys, orders and consent, in the {@code omni_*} tables of version 2. */
  @Override
  public EventStore events() {
    return events;
  }

  /** Carts with optimistic versions, and consumed hand-off nonces, in the tables of version 3. */
  @Override
  public CartStore carts() {
    return carts;
  }

  /**
   * Campaign runs and the abandoned-cart watch list (version 2), and the outbox their messages go
   * out through (version 4): claims with a lease, so that every instance may run {@code
   * campaigns().advance(now)} at once.
   */
  @Override
  public CampaignStore campaigns() {
    return campaigns;
  }

  /**
   * Stores many pieces of evidence in one transaction, sending their rows in JDBC batches — for
   * back-filling history whose identifiers are stored already. Core's rules are not applied: the
   * accepted bits are stored as given.
   *
   * @return the sequence of each piece, in the order given
   */
  public List<Long> appendEvidence(List<Evidence> evidence) {
    Objects.requireNonNull(evidence, "evidence");
    return identities.appendAll(List.copyOf(evidence));
  }

  /** Identifier lookups for reads that the cache answered; 0 when the cache is off. */
  @Override
  public long cacheHits() {
    return cache == null ? 0 : cache.stats().hitCount();
  }

  /** Identifier lookups for reads that the cache could not answer (and so read the database). */
  @Override
  public long cacheMisses() {
    return cache == null ? 0 : cache.stats().missCount();
  }

  /**
   * Transactions of this store run again because the database reported a transient failure (a
   * deadlock, a serialization failure, a lock timeout, a unique key a concurrent writer won) since
   * it was built: how much concurrent writers on one database get in each other's way.
   */
  public long retries() {
    return transactions.retries();
  }

  /**
   * Transactions of this store run again because what they read moved before they locked it (a
   * concurrent merge), since it was built; not counted in {@link #retries()}.
   */
  public long staleReads() {
    return transactions.staleReads();
  }

  /** The dialect in use, detected or set. */
  public Dialect dialect() {
    return dialect;
  }

  /** What {@link Builder#build()} did with the schema. */
  public SchemaMode schemaMode() {
    return schemaMode;
  }

  /** Drops cached lookups; the data source stays open (its owner closes it). */
  @Override
  public void close() {
    identities.clearCache();
  }

  @Override
  public String toString() {
    return "JdbcStore[" + dialect + ", schema " + schemaMode + "]";
  }

  /**
   * Settings of a {@link JdbcStore}. Each is checked when given and may be given once.
   *
   * <pre>{@code
   * JdbcStore store = JdbcStore.builder(dataSource)
   *     .dialect(Dialect.POSTGRESQL)          // detected from the connection when not set
   *     .schemaMode(SchemaMode.VALIDATE)      // CREATE by default
   *     .cacheSize(100_000)                   // identifier lookups kept; 10 000 by default, 0 for none
   *     .cacheExpiry(Duration.ofSeconds(5))   // 10 s by default
   *     .erasureCheckInterval(Duration.ofMillis(100))  // 200 ms by default
   *     .maxAttempts(10)                      // runs of one write before giving up; 10 by default
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    /** The default number of cached identifier lookups. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;
    /** The default time a cached lookup is trusted. */
    public static final Duration DEFAULT_CACHE_EXPIRY = Duration.ofSeconds(10);
    /** The default longest time between two looks of the cache for forgets and splits made elsewhere. */
    public static final Duration DEFAULT_ERASURE_CHECK_INTERVAL = Duration.ofMillis(200);
    /** The default number of runs of one write transaction before it fails. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    private final DataSource dataSource;
    private Dialect dialect;
    private SchemaMode schemaMode;
    private Long cacheSize;
    private Duration cacheExpiry;
    private Duration erasureCheckInterval;
    private Integer maxAttempts;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /** Sets the dialect instead of detecting it from the connection's metadata. */
    public Builder dialect(Dialect dialect) {
      Objects.requireNonNull(dialect, "dialect");
      requireUnset(this.dialect, "dialect");
      this.dialect = dialect;
      return this;
    }

    /** What to do with the schema at {@link #build()}; {@link SchemaMode#CREATE} by default. */
    public Builder schemaMode(SchemaMode mode) {
      Objects.requireNonNull(mode, "schemaMode");
      requireUnset(this.schemaMode, "schemaMode");
      this.schemaMode = mode;
      return this;
    }

    /** How many identifier lookups to cache; 0 turns the cache off. */
    public Builder cacheSize(long size) {
      requireUnset(this.cacheSize, "cacheSize");
      if (size < 0) {
        throw new IllegalArgumentException("cacheSize must not be negative, was " + size);
      }
      this.cacheSize = size;
      return this;
    }

    /** How long a cached lookup is trusted after it was read. */
    public Builder cacheExpiry(Duration expiry) {
      Objects.requireNonNull(expiry, "cacheExpiry");
      requireUnset(this.cacheExpiry, "cacheExpiry");
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("cacheExpiry must be positive, was " + expiry);
      }
      this.cacheExpiry = expiry;
      return this;
    }

    /**
     * How long, at most, this store's cache answers from what it holds before it asks the
     * database whether an identifier was forgotten or a profile split since it last asked; 200 ms
     * by default, zero to ask on every cached read. Another instance's {@code forget(x)} stops
     * this one answering {@code x} within about this long after the forget commits, and an
     * identifier a split moved to a new profile is answered with the new one from then on.
     *
     * <p>The question is one primary-key {@code SELECT} of the single row of {@code
     * omni_identity_epoch}, which every forget and split moves in its own transaction; it is asked
     * by the first read the cache would answer once the interval has passed, on that read's
     * connection, so an idle instance asks nothing and a busy one at most once per interval. When
     * the epoch moved, the whole cache is dropped. The same on PostgreSQL, MariaDB and H2; no
     * thread, no connection held (see {@code IdentifierCache} for why not {@code LISTEN}).
     */
    public Builder erasureCheckInterval(Duration interval) {
      Objects.requireNonNull(interval, "erasureCheckInterval");
      requireUnset(this.erasureCheckInterval, "erasureCheckInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("erasureCheckInterval must not be negative, was " + interval);
      }
      this.erasureCheckInterval = interval;
      return this;
    }

    /**
     * How many times one write transaction runs before it fails with {@link OmniStorageException}
     * when concurrent writers keep winning (serialization failures, deadlocks, lost unique keys).
     */
    public Builder maxAttempts(int attempts) {
      requireUnset(this.maxAttempts, "maxAttempts");
      if (attempts < 1 || attempts > 1000) {
        throw new IllegalArgumentException("maxAttempts must be 1 to 1000, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    private static void requireUnset(Object current, String setting) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * Builds the store: detects the dialect if not set, then creates, validates or leaves the
     * schema as the mode says.
     *
     * @throws OmniStorageException if the database cannot be reached, is not supported, or its
     *     schema lacks a version, table or column under {@link SchemaMode#VALIDATE}
     */
    public JdbcStore build() {
      schemaMode = schemaMode != null ? schemaMode : SchemaMode.CREATE;
      cacheSize = cacheSize != null ? cacheSize : DEFAULT_CACHE_SIZE;
      cacheExpiry = cacheExpiry != null ? cacheExpiry : DEFAULT_CACHE_EXPIRY;
      erasureCheckInterval = erasureCheckInterval != null ? erasureCheckInterval : DEFAULT_ERASURE_CHECK_INTERVAL;
      maxAttempts = maxAttempts != null ? maxAttempts : DEFAULT_MAX_ATTEMPTS;
      Dialect chosen = dialect != null ? dialect : detect(dataSource);
      Migrator migrator = new Migrator(dataSource, SqlDialect.of(chosen));
      switch (schemaMode) {
        case CREATE:
          migrator.migrate();
          break;
        case VALIDATE:
          migrator.validate();
          break;
        default:
          break;
      }
      return new JdbcStore(this, chosen);
    }

    private static Dialect detect(DataSource dataSource) {
      try (Connection connection = dataSource.getConnection()) {
        return Dialect.forProductName(connection.getMetaData().getDatabaseProductName());
      } catch (SQLException e) {
        throw OmniStorageException.of("could not read the database's metadata to pick a dialect: "
            + e.getMessage(), e);
      }
    }
  }
}
