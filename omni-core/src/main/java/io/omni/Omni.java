package io.omni;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.Carts;
import io.omni.cart.HybridClock;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.internal.cart.CartsEngine;
import io.omni.internal.identity.IdentityEngine;
import io.omni.spi.OmniStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One customer across every channel of a shop. The entry point: build one per application (it is
 * thread-safe) and reach each capability from it.
 *
 * <pre>{@code
 * Omni omni = Omni.inMemory();                    // embedded default, nothing to install
 * Identities ids = omni.identities();
 * ProfileId ann = ids.link("web", Identifier.cookie("c-81"), Identifier.email("Ann@Example.com"));
 * ids.link("app", Identifier.email("ann@example.com"), Identifier.phone("+7 916 123-45-67"));
 * ids.resolve(Identifier.cookie("c-81"));          // Optional[ann]
 * omni.carts().add(ann, "app", LineKey.of("SKU-1"), 2);   // one cart, seen from every channel
 * }</pre>
 *
 * <p>Omni starts no threads of its own and prints nothing; it logs through slf4j.
 */
public final class Omni implements AutoCloseable {
  private final OmniStore store;
  private final Clock clock;
  private final String replicaId;
  private final IdentityEngine identities;
  private final byte[] handoffKey;
  private final Duration maxDrift;
  private final CartsEngine carts;

  private Omni(Builder builder) {
    this.store = builder.store != null ? builder.store : OmniStore.inMemory();
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
    this.replicaId = builder.replicaId != null ? builder.replicaId : "local";
    this.handoffKey = builder.handoffKey;
    this.maxDrift = builder.maxDrift != null ? builder.maxDrift : Duration.ofMinutes(1);
    IdentityRules rules = builder.rules != null ? builder.rules : IdentityRules.defaults();
    this.identities = new IdentityEngine(store.identities(), clock, rules, builder.defaultRegion);
    CartMergePolicy cartPolicy = builder.cartMergePolicy != null ? builder.cartMergePolicy : CartMergePolicy.MAX;
    this.carts = new CartsEngine(store.carts(), identities, HybridClock.of(clock, replicaId, maxDrift),
        cartPolicy, handoffKey, clock);
    identities.onMerge(carts::onIdentityMerge);
  }

  /** An Omni with every default: in memory, the system clock, the default identity rules. */
  public static Omni inMemory() {
    return builder().build();
  }

  /** A builder for an Omni with settings of your own. */
  public static Builder builder() {
    return new Builder();
  }

  /** Identity resolution: link contacts, resolve them to profiles, explain, forget. */
  public Identities identities() {
    return identities;
  }

  /** Carts: one per customer, synced across channels and replicas as a CRDT. */
  public Carts carts() {
    return carts;
  }

  /** The store this Omni keeps its state in. */
  public OmniStore store() {
    return store;
  }

  /** The clock this Omni reads time from. */
  public Clock clock() {
    return clock;
  }

  /** The id this replica stamps its cart writes with. */
  public String replicaId() {
    return replicaId;
  }

  /** How far ahead of the local clock a remote cart stamp may be before it is refused. */
  public Duration maxDrift() {
    return maxDrift;
  }

  /** Whether a hand-off key was set on the builder. */
  boolean hasHandoffKey() {
    return handoffKey != null;
  }

  /** Closes the store. */
  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "Omni[store=" + store + ", replica=" + replicaId + ", rules=" + identities.rules() + "]";
  }

  /**
   * Settings of an {@link Omni}. Each setting is checked the moment it is given, and may be given
   * once; {@link #build()} fills in the defaults.
   */
  public static final class Builder {
    private static final Pattern REPLICA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The shortest hand-off key accepted: HMAC-SHA256 wants at least its output size. */
    public static final int MIN_HANDOFF_KEY_BYTES = 32;

    private OmniStore store;
    private Clock clock;
    private String replicaId;
    private IdentityRules rules;
    private String defaultRegion;
    private byte[] handoffKey;
    private Duration maxDrift;
    private CartMergePolicy cartMergePolicy;

    private Builder() {}

    /** Where state is kept; the in-memory store by default. */
    public Builder store(OmniStore store) {
      Objects.requireNonNull(store, "store");
      requireUnset(this.store, "store");
      this.store = store;
      return this;
    }

    /** The clock to read time from; {@link Clock#systemUTC()} by default. */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      requireUnset(this.clock, "clock");
      this.clock = clock;
      return this;
    }

    /**
     * The id this replica stamps its cart writes with, unique among the replicas that sync carts
     * with each other: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}. {@code "local"} by
     * default.
     */
    public Builder replicaId(String replicaId) {
      Objects.requireNonNull(replicaId, "replicaId");
      requireUnset(this.replicaId, "replicaId");
      if (!REPLICA_ID.matcher(replicaId).matches()) {
        throw new IllegalArgumentException("replicaId must be 1 to 64 letters, digits, '.', '_' or '-', was '" + replicaId + "'");
      }
      this.replicaId = replicaId;
      return this;
    }

    /** The identity guards; {@link IdentityRules#defaults()} by default. */
    public Builder identityRules(IdentityRules rules) {
      Objects.requireNonNull(rules, "identityRules");
      requireUnset(this.rules, "identityRules");
      this.rules = rules;
      return this;
    }

    /**
     * The region national phone numbers are read in by {@link Identities#phone(String)}: an ISO
     * 3166 alpha-2 code libphonenumber supports, such as {@code "RU"} or {@code "US"}. None by
     * default, so national numbers are refused.
     */
    public Builder defaultRegion(String region) {
      Objects.requireNonNull(region, "defaultRegion");
      requireUnset(this.defaultRegion, "defaultRegion");
      String code = region.trim().toUpperCase(Locale.ROOT);
      if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
        throw new IllegalArgumentException("defaultRegion must be an ISO 3166 alpha-2 region libphonenumber supports, was '" + region + "'");
      }
      this.defaultRegion = code;
      return this;
    }

    /**
     * The secret that signs cart hand-off tokens (HMAC-SHA256), at least {@value
     * #MIN_HANDOFF_KEY_BYTES} bytes. The bytes are copied. Without one, hand-off is refused.
     */
    public Builder handoffKey(byte[] key) {
      Objects.requireNonNull(key, "handoffKey");
      requireUnset(this.handoffKey, "handoffKey");
      if (key.length < MIN_HANDOFF_KEY_BYTES) {
        throw new IllegalArgumentException("handoffKey must be at least " + MIN_HANDOFF_KEY_BYTES
            + " bytes, was " + key.length);
      }
      this.handoffKey = Arrays.copyOf(key, key.length);
      return this;
    }

    /**
     * How far ahead of the local clock a remote cart stamp may be before it is refused with
     * {@code ClockDriftException}; 1 minute by default.
     */
    public Builder maxDrift(Duration maxDrift) {
      Objects.requireNonNull(maxDrift, "maxDrift");
      requireUnset(this.maxDrift, "maxDrift");
      if (maxDrift.isNegative() || maxDrift.isZero()) {
        throw new IllegalArgumentException("maxDrift must be positive, was " + maxDrift);
      }
      this.maxDrift = maxDrift;
      return this;
    }

    /**
     * How two carts become one when their customers' profiles merge; {@link CartMergePolicy#MAX}
     * by default.
     */
    public Builder cartMergePolicy(CartMergePolicy policy) {
      Objects.requireNonNull(policy, "cartMergePolicy");
      requireUnset(this.cartMergePolicy, "cartMergePolicy");
      this.cartMergePolicy = policy;
      return this;
    }

    private static void requireUnset(Object current, String setting) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /** Builds the Omni. */
    public Omni build() {
      return new Omni(this);
    }
  }
}
