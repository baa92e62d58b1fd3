package io.omni;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.Campaigns;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.Carts;
import io.omni.cart.HybridClock;
import io.omni.channel.Channel;
import io.omni.channel.ChannelEvent;
import io.omni.channel.MessageSender;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Metrics;
import io.omni.internal.OwedCarries;
import io.omni.internal.Tries;
import io.omni.internal.campaign.CampaignEngine;
import io.omni.internal.cart.CartsEngine;
import io.omni.internal.channel.CartPort;
import io.omni.internal.channel.ChannelRegistry;
import io.omni.internal.channel.CrdtCartPort;
import io.omni.internal.channel.EventIngestor;
import io.omni.internal.identity.IdentityEngine;
import io.omni.internal.journey.JourneyView;
import io.omni.internal.journey.Retention;
import io.omni.journey.Journeys;
import io.omni.json.OmniModule;
import io.omni.spi.ChannelProvider;
import io.omni.spi.OmniStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>Omni starts no threads of its own and prints nothing; it logs through slf4j. So call {@code
 * campaigns().advance(now)} from a scheduler of yours on every instance, even without campaigns:
 * besides sending what is due, it carries identity merges whose carrying to the carts, campaigns
 * and journeys failed after the merge committed and was never retried (see {@link
 * Builder#carryRepairGrace}).
 *
 * <p>Longer than the project's 400 lines because it is the facade: it wires the engines together
 * (which store answers whom, which listener carries what) and holds the {@link Builder}, whose
 * settings are most of its length, each with the Javadoc a shop reads. The work itself lives in
 * {@code io.omni.internal}.
 */
public final class Omni implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Omni.class);
  private final OmniStore store;
  private final Clock clock;
  private final String replicaId;
  private final IdentityEngine identities;
  private final Duration maxDrift;
  private final ChannelRegistry channels;
  private final CartPort cartPort;
  private final CampaignEngine campaigns;
  private final EventIngestor ingestor;
  private final JourneyView journeys;
  private final CartsEngine carts;
  private final Retention retention;
  private final OwedCarries owed;
  private final String defaultRegion;
  private volatile Metrics metrics = Metrics.NONE;

  private Omni(Builder builder) {
    this.defaultRegion = builder.defaultRegion;
    this.store = builder.store != null ? builder.store : OmniStore.inMemory();
    this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
    this.replicaId = builder.replicaId != null ? builder.replicaId : "local";
    this.maxDrift = builder.maxDrift != null ? builder.maxDrift : Duration.ofMinutes(1);
    IdentityRules rules = builder.rules != null ? builder.rules : IdentityRules.defaults();
    this.identities = new IdentityEngine(store.identities(), clock, rules, builder.defaultRegion);
    // carries each merge with this::carry, which reads the engines below when it runs
    this.owed = new OwedCarries(store, identities, this::carry,
        builder.carryRepairGrace != null ? builder.carryRepairGrace : Builder.DEFAULT_CARRY_REPAIR_GRACE);
    this.channels = ChannelRegistry.build(builder.channels, builder.senders, builder.providers,
        builder.discoverProviders == null || builder.discoverProviders);
    CartMergePolicy cartPolicy = builder.cartMergePolicy != null ? builder.cartMergePolicy : CartMergePolicy.MAX;
    this.carts = new CartsEngine(store.carts(), identities, HybridClock.of(clock, replicaId, maxDrift),
        cartPolicy, builder.handoffKey, clock,
        builder.tombstoneHorizon != null ? builder.tombstoneHorizon : Builder.DEFAULT_TOMBSTONE_HORIZON);
    this.cartPort = new CrdtCartPort(carts);
    // One lock for ingestion and campaigns, so that a conversion and an advance never interleave.
    Object channelLock = new Object();
    CampaignEngine.Delivery delivery = new CampaignEngine.Delivery(
        builder.deliveryLease != null ? builder.deliveryLease : Builder.DEFAULT_DELIVERY_LEASE,
        builder.deliveryAttempts != null ? builder.deliveryAttempts : Builder.DEFAULT_DELIVERY_ATTEMPTS,
        builder.deliveryBackoff != null ? builder.deliveryBackoff : Builder.DEFAULT_DELIVERY_BACKOFF);
    Duration campaignRetention = builder.campaignRetention != null
        ? builder.campaignRetention : Builder.DEFAULT_CAMPAIGN_RETENTION;
    this.campaigns = new CampaignEngine(channelLock, identities, store.events(), store.campaigns(), channels,
        cartPort, clock, builder.abandonedCarts, delivery, campaignRetention);
    this.ingestor = new EventIngestor(channelLock, identities, store.events(), channels, cartPort, campaigns, clock,
        maxDrift, owed::carryLeftBehind);
    carts.orderBook(ingestor.orderBook()); // a checkout is an order like an ORDER event
    this.journeys = new JourneyView(identities, store.events(), store.campaigns(), cartPort);
    this.retention = new Retention(store.events(), builder.processedEventRetention != null
        ? builder.processedEventRetention : Builder.DEFAULT_PROCESSED_EVENT_RETENTION,
        builder.journeyRetention, builder.journeyLimit != null ? builder.journeyLimit : 0)
        .changes(store.identities(), builder.changeRetention != null
            ? builder.changeRetention : Builder.DEFAULT_CHANGE_RETENTION)
        .campaigns(store.campaigns(), campaignRetention);
    identities.onMerges(owed::carry);
    identities.onSplits(this::carrySplits);
    // a link or join found done before (a caller's retry): what its merges carry may have failed
    identities.onRepeated(owed::carryLeftBehind);
    identities.onLeftBehind(owed::carryLeftBehind);
    // a merge whose carrying failed and was never retried (or whose process died) is carried by advance
    campaigns.beforeAdvance(owed::sweep);
    // cart writes through omni.carts() are watched for abandonment just as ingested ones
    carts.onChange(campaigns::cartChanged);
    // Erasure reaches every store, not only the identity graph.
    identities.onForget(identifier -> {
      synchronized (channelLock) {
        store.events().forget(identifier);
        store.campaigns().forget(identifier);
      }
    });
  }

  /**
   * Carries one merge to the other stores: the merged profile's cart is folded into the
   * survivor's (first, so that the survivor's cart holds both before anything reads it), then its
   * campaign runs move (each side's orders converting the other's runs first) with its cart watch,
   * then its journey, orders and consent. Every step is idempotent. {@link OwedCarries} calls it
   * for a write's merges, for what a retry finds left behind, and from the sweep of {@code
   * campaigns().advance(now)}.
   */
  private void carry(MergeEvent merge) {
    // In this order, so that a carry cut short always leaves something the holding questions
    // find: the cart's fold marks it last; the runs are converted before they move, and the
    // survivor is watched before the merged profile is not; the journey, whose orders the
    // conversions read, moves last.
    carts.onIdentityMerge(merge);
    campaigns.merged(merge);
    ingestor.merged(merge);
  }

  /** How many times the cart lines of one split are tried before the failure is given up on. */
  private static final int SPLIT_CARRY_TRIES = 3;

  /**
   * After a split, the cart lines that came from the part that left go with it ({@link
   * CartsEngine#onSplit}): its events are those whose evidence names its identifiers and none of
   * the profile that kept the id.
   *
   * <p>The split has committed when this runs, and the write that split (a forget, a separation, a
   * link that marked an identifier shared) leaves nothing for a retry to redo: a failure here that
   * passes, such as a dropped connection, is tried again at once, as a whole (moving lines is a
   * CRDT join and tombstones: idempotent), or the lines would stay with the profile that kept the
   * id for good. After {@value #SPLIT_CARRY_TRIES} tries the failure propagates to the split
   * listener, which logs it.
   */
  private void carrySplits(List<io.omni.identity.ProfileChange> splits) {
    for (io.omni.identity.ProfileChange split : splits) {
      Tries.upTo(SPLIT_CARRY_TRIES, () -> carrySplit(split), (e, tried, tries) ->
          LOG.warn("moving the cart lines of split {} failed (try {} of {}); trying again", split, tried, tries, e));
    }
  }

  private void carrySplit(io.omni.identity.ProfileChange split) {
    if (identities.resolve(split.other()).filter(split.other()::equals).isEmpty()
        || identities.resolve(split.profile()).filter(split.profile()::equals).isEmpty()) {
      return; // not two live profiles (a write that ran again, or a later merge): nothing to move
    }
    Set<String> theirs = new HashSet<>(identities.eventIds(split.other()));
    theirs.removeAll(identities.eventIds(split.profile()));
    carts.onSplit(split.profile(), split.other(), theirs);
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

  /**
   * Takes in one event from any channel. Checks it whole first — an id, at least one identifier
   * that is not a blocked value, a known channel, quantities of at least 1, lines only on cart and order events, a promo code
   * of a run of this customer, and the limits every store keeps (ids and attributes that fit their
   * columns, no NUL or lone surrogate, a time from 1970 to 5999, line quantities and cart adds
   * within {@code Integer.MAX_VALUE}) — and refuses a bad one with nothing stored. Then links its
   * identifiers into one profile, puts it on the journey and applies it: cart lines, an order
   * (recorded in the history, its lines taken out of the cart, running campaigns converted),
   * consent, a promo redemption (its run converted).
   *
   * <p>Idempotent by event id: a second delivery changes nothing and answers the profile — within
   * the {@linkplain Builder#processedEventRetention processed-event retention} (30 days by
   * default) of the first, once {@link #prune} runs; a delivery after that is applied again. A
   * second delivery links nothing: when a {@code forget} has erased the event's evidence since, it
   * answers the profile of the first of its identifiers still known (the forgotten one is not
   * linked back), and is refused with {@link InvalidEventException} when none is.
   *
   * <pre>{@code
   * omni.ingest(ChannelEvent.builder("viber").id("evt-9").at(now)
   *     .identifiers(Identifier.phone("+79161234567"))
   *     .type(EventType.PROMO_REDEEMED).attribute("code", run.promoCode()).build());
   * }</pre>
   *
   * @return the customer's profile
   * @throws InvalidEventException if the event breaks a rule; it names the event and the rule
   * @throws UnknownChannelException if the event's channel (or a consent's) is not known
   * @throws EventIdReusedException if the event's id was linked before with other identifiers (a
   *     redelivery must carry the same ones); nothing is stored and the event stays unprocessed
   */
  public ProfileId ingest(ChannelEvent event) {
    long start = System.nanoTime();
    String channel = event == null ? "none" : channels.find(event.channel()).isPresent() ? event.channel() : "other";
    try {
      ProfileId profile = ingestor.ingest(event);
      metrics.ingested(channel, System.nanoTime() - start);
      return profile;
    } catch (RuntimeException e) {
      metrics.ingestFailed(channel, e.getClass().getSimpleName());
      throw e;
    }
  }

  /**
   * Takes in a batch of events, a back-fill say: checks every event first (one bad event refuses
   * the batch, nothing stored), then applies those not seen before in time order. The identifiers
   * of up to 500 events at a time are linked in one identity write ({@link Identities#linkAll}),
   * then each event's effects are applied; on a database that is a few round trips for the
   * links rather than a dozen per event.
   *
   * <p>Each event is checked against the state before the batch: a promo redemption is accepted
   * only if one of its identifiers already belongs to the run's customer.
   *
   * @return how many events were applied; redeliveries are not counted
   * @throws EventIdReusedException if two events of the batch share an id but not their identifiers
   *     (nothing is stored), or an event not processed yet reuses the id of one linked before with
   *     other identifiers (nothing of its chunk of 500 is stored). An event processed before is
   *     skipped as a redelivery without reading its evidence, so its reuse is not detected here
   *     ({@link #ingest} detects it)
   */
  public int ingestAll(Collection<ChannelEvent> events) {
    long start = System.nanoTime();
    try {
      int applied = ingestor.ingestAll(events);
      metrics.ingested("batch", System.nanoTime() - start);
      return applied;
    } catch (RuntimeException e) {
      metrics.ingestFailed("batch", e.getClass().getSimpleName());
      throw e;
    }
  }

  /** Reports links, merges, conflicts, forgets, ingestion, sends and owed carries to a metrics binding. */
  void metrics(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    identities.metrics(metrics);
    channels.metrics(metrics);
    owed.metrics(metrics);
  }

  /**
   * Decodes a channel's raw JSON payload (a webhook body) into events with the decoder of the
   * {@link ChannelProvider} that brings the channel. Stores nothing.
   *
   * @throws UnknownChannelException if the channel is not known
   * @throws InvalidPayloadException if no provider decodes the channel, or its decoder refuses the
   *     payload, fails, or answers {@code null} or a list holding {@code null}
   */
  public List<ChannelEvent> decode(String channel, String json) {
    Objects.requireNonNull(json, "json");
    this.channels.require(channel);
    ChannelRegistry.ProviderDecoder decoder = this.channels.decoder(channel).orElseThrow(() ->
        new InvalidPayloadException(channel, "no channel provider decodes payloads of this channel", null));
    List<ChannelEvent> events;
    try {
      events = decoder.decoder().decode(channel, json);
    } catch (Exception e) {
      throw new InvalidPayloadException(channel, "provider " + decoder.provider() + " could not decode it: " + e, e);
    }
    if (events == null) {
      throw new InvalidPayloadException(channel, "provider " + decoder.provider() + " decoded it to null", null);
    }
    List<ChannelEvent> decoded = new ArrayList<>(events);
    for (int i = 0; i < decoded.size(); i++) {
      if (decoded.get(i) == null) {
        throw new InvalidPayloadException(channel, "provider " + decoder.provider() + " decoded it to "
            + decoded.size() + " events, of which event " + i + " is null", null);
      }
    }
    return List.copyOf(decoded);
  }

  /**
   * Decodes a channel's raw payload with {@link #decode} and ingests its events with {@link
   * #ingestAll}. A payload that does not decode, or holds one event {@code ingest} refuses, stores
   * nothing.
   *
   * @return how many events were applied
   * @throws InvalidPayloadException if the payload does not decode; it names the channel
   * @throws InvalidEventException if a decoded event breaks a rule; it names the event
   */
  public int ingestRaw(String channel, String json) {
    return ingestAll(decode(channel, json));
  }

  /**
   * Records a customer's decision about being messaged in a channel, now. Consent is granted until
   * refused; a refusal is honoured by every campaign from its next step on.
   *
   * @throws UnknownChannelException if the channel is not known
   * @throws UnknownProfileException if the profile was never issued
   */
  public void consent(ProfileId profile, String channel, boolean granted) {
    ingestor.consent(profile, channel, granted);
  }

  /**
   * Whether the customer may be messaged in the channel: {@code true} unless they refused.
   *
   * @throws UnknownChannelException if the channel is not known
   * @throws UnknownProfileException if the profile was never issued
   */
  public boolean hasConsent(ProfileId profile, String channel) {
    return ingestor.consented(profile, channel);
  }

  /**
   * Drops what the retention settings no longer keep, as of {@code now}: processed event ids
   * marked more than {@link Builder#processedEventRetention} ago (30 days by default), and, when
   * set, touchpoints that happened more than {@link Builder#journeyRetention} ago and those beyond
   * the {@link Builder#journeyLimit} latest of each profile; and entries of the change feed ({@link
   * Identities#changes}) recorded more than {@link Builder#changeRetention} ago (30 days by
   * default); and campaign runs that ended more than {@link Builder#campaignRetention} ago (90 days
   * by default), with their outbox entries. Orders, consent and running campaign runs are kept.
   *
   * <p>Omni starts no threads and prunes nothing by itself: call this from the shop's scheduler
   * (daily is plenty). On a database it deletes in chunks, each its own transaction; instances that
   * prune at once only share the work. Until it is called, everything is kept.
   *
   * <p>An event delivered again after its id was pruned is applied again, as new: its touchpoint,
   * cart lines and order are recorded a second time unless the store deduplicates them. Keep the
   * retention longer than the longest any channel may redeliver.
   *
   * <pre>{@code
   * Omni omni = Omni.builder().processedEventRetention(Duration.ofDays(7)).journeyLimit(500).build();
   * Pruned pruned = omni.prune(clock.instant());   // e.g. nightly, from the shop's scheduler
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code now} is before 1970-01-01T00:00:00Z or after
   *     5999-12-31T23:59:59.999999999Z, the times Omni stamps; nothing is dropped
   */
  public Pruned prune(Instant now) {
    return retention.prune(now);
  }

  /** Journeys: touchpoints in time order, orders from every channel, favourites, where to resume. */
  public Journeys journeys() {
    return journeys;
  }

  /** Cascade campaigns and abandoned-cart reminders. */
  public Campaigns campaigns() {
    return campaigns;
  }

  /** Every channel this Omni knows: the standard ones, the builder's and the providers'. */
  public List<Channel> channels() {
    return List.copyOf(channels.all());
  }

  /**
   * The channel with this id.
   *
   * @throws UnknownChannelException if it is not known
   */
  public Channel channel(String id) {
    return channels.require(id);
  }

  /** The names of the channel providers that loaded. */
  public List<String> channelProviders() {
    return channels.providers();
  }

  /** Carts: one per customer, synced across channels and replicas as a CRDT. */
  public Carts carts() {
    return carts;
  }

  /** The store this Omni keeps its state in. */
  public OmniStore store() {
    return store;
  }

  /**
   * The Jackson module for Omni's value types, reading national phone numbers in this Omni's
   * {@linkplain Builder#defaultRegion(String) default region} as {@link Identities#phone(String)}
   * does. Register it on your {@code ObjectMapper} (in Spring Boot: return it from a {@code @Bean}
   * method).
   */
  public OmniModule jsonModule() {
    return defaultRegion == null ? new OmniModule() : OmniModule.withDefaultRegion(defaultRegion);
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
    /** How long processed event ids are kept unless set: 30 days. */
    public static final Duration DEFAULT_PROCESSED_EVENT_RETENTION = Duration.ofDays(30);
    /** How long entries of the change feed are kept unless set: 30 days. */
    public static final Duration DEFAULT_CHANGE_RETENTION = Duration.ofDays(30);
    /** How long ended campaign runs are kept unless set: 90 days. */
    public static final Duration DEFAULT_CAMPAIGN_RETENTION = Duration.ofDays(90);
    /** How long a claim on a campaign message holds by default: 5 minutes. */
    public static final Duration DEFAULT_DELIVERY_LEASE = Duration.ofMinutes(5);
    /** How many times a sender is tried on one message by default. */
    public static final int DEFAULT_DELIVERY_ATTEMPTS = 5;
    /** The pause after a sender's first failure on a message by default: 1 minute, doubling after each further one. */
    public static final Duration DEFAULT_DELIVERY_BACKOFF = Duration.ofMinutes(1);
    /** The most {@link #deliveryAttempts(int)} accepts. */
    public static final int MAX_DELIVERY_ATTEMPTS = 100;
    /** The longest {@link #deliveryBackoff(Duration)} accepts. */
    public static final Duration MAX_DELIVERY_BACKOFF = Duration.ofDays(1);
    /** How old an owed merge carry must be before {@code advance} carries it, unless set: 1 minute. */
    public static final Duration DEFAULT_CARRY_REPAIR_GRACE = Duration.ofMinutes(1);

    private OmniStore store;
    private Clock clock;
    private String replicaId;
    private IdentityRules rules;
    private String defaultRegion;
    private byte[] handoffKey;
    private Duration maxDrift;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, MessageSender> senders = new LinkedHashMap<>();
    private final List<ChannelProvider> providers = new ArrayList<>();
    private Boolean discoverProviders;
    private AbandonedCartPolicy abandonedCarts;
    private CartMergePolicy cartMergePolicy;
    private Duration tombstoneHorizon;
    private Duration processedEventRetention;
    private Duration journeyRetention;
    private Integer journeyLimit;
    private Duration changeRetention;
    private Duration campaignRetention;
    private Duration carryRepairGrace;

    /** How long a removed cart line's tombstone is kept by default: seven days. */
    public static final Duration DEFAULT_TOMBSTONE_HORIZON = Duration.ofDays(7);
    private Duration deliveryLease;
    private Integer deliveryAttempts;
    private Duration deliveryBackoff;

    private Builder() {}

    /**
     * How long the tombstone of a removed cart line is kept; seven days by default. Every
     * cart write drops older tombstones (by raising the cart's clear stamp, see {@link
     * io.omni.cart.CartState#withoutTombstonesBefore}), so a cart stays bounded however often lines
     * come and go. It is also a promise: no replica (an offline POS, a second region) syncs a cart
     * write older than this; such a write for a line the cart no longer holds is dropped. It must
     * be longer than {@code maxDrift}.
     */
    public Builder cartTombstoneHorizon(Duration horizon) {
      Objects.requireNonNull(horizon, "cartTombstoneHorizon");
      requireUnset(this.tombstoneHorizon, "cartTombstoneHorizon");
      if (horizon.isNegative() || horizon.isZero()) {
        throw new IllegalArgumentException("cartTombstoneHorizon must be positive, was " + horizon);
      }
      this.tombstoneHorizon = horizon;
      return this;
    }

    /**
     * Adds a channel, or redefines a standard one (another cost, say). Each channel id may be set
     * once.
     *
     * <pre>{@code
     * Omni.builder().channel(Channel.of("kiosk", ChannelKind.STORE));
     * }</pre>
     */
    public Builder channel(Channel channel) {
      Objects.requireNonNull(channel, "channel");
      requireUnset(channels.get(channel.id()), "channel " + channel.id());
      channels.put(channel.id(), channel);
      return this;
    }

    /**
     * The sender of one channel's campaign messages; it takes precedence over a provider's. Each
     * channel's sender may be set once; {@link #build()} refuses a channel it does not know.
     *
     * <pre>{@code
     * Omni.builder().sender("email", message -> mailer.send(message));
     * }</pre>
     */
    public Builder sender(String channel, MessageSender sender) {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(sender, "sender");
      requireUnset(senders.get(channel), "sender of channel " + channel);
      senders.put(channel, sender);
      return this;
    }

    /**
     * Registers a channel provider directly, ahead of those the {@link java.util.ServiceLoader}
     * finds. A provider that fails is logged and left out, as a discovered one.
     */
    public Builder provider(ChannelProvider provider) {
      Objects.requireNonNull(provider, "provider");
      providers.add(provider);
      return this;
    }

    /**
     * Whether to look for {@link ChannelProvider}s with the {@link java.util.ServiceLoader};
     * {@code true} by default.
     */
    public Builder discoverProviders(boolean discover) {
      requireUnset(this.discoverProviders, "discoverProviders");
      this.discoverProviders = discover;
      return this;
    }

    /**
     * Reminds customers of abandoned carts from {@code campaigns().advance(now)}. None by default.
     * {@link #build()} checks the cascade's channels.
     */
    public Builder abandonedCarts(AbandonedCartPolicy policy) {
      Objects.requireNonNull(policy, "abandonedCarts");
      requireUnset(this.abandonedCarts, "abandonedCarts");
      this.abandonedCarts = policy;
      return this;
    }

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

    /**
     * How long {@link Omni#prune} keeps the id of a processed event, counted from when it was
     * processed: a redelivery within it is recognised and changes nothing, one after it is applied
     * again. {@link #DEFAULT_PROCESSED_EVENT_RETENTION} (30 days) by default.
     */
    public Builder processedEventRetention(Duration retention) {
      Objects.requireNonNull(retention, "processedEventRetention");
      requireUnset(this.processedEventRetention, "processedEventRetention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("processedEventRetention must be positive, was " + retention);
      }
      this.processedEventRetention = retention;
      return this;
    }

    /**
     * How long an instance's claim on a campaign message holds: {@code campaigns().advance(now)}
     * claims a due message until {@code now} plus this, sends it, then records it. If the instance
     * dies in between, another instance's {@code advance} at or after the lease's end claims and
     * sends the message again, with the same {@link io.omni.channel.Message#idempotencyKey()}.
     * Make it longer than a send ever takes (ten sends, since messages are claimed ten at a time):
     * a claim that lapses while its send is still running lets a second instance send the message
     * too. 5 minutes by default.
     *
     * <pre>{@code
     * Omni.builder().deliveryLease(Duration.ofMinutes(2));
     * }</pre>
     */
    public Builder deliveryLease(Duration lease) {
      Objects.requireNonNull(lease, "deliveryLease");
      requireUnset(this.deliveryLease, "deliveryLease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("deliveryLease must be positive, was " + lease);
      }
      this.deliveryLease = lease;
      return this;
    }

    /**
     * How long {@link Omni#prune} keeps an entry of the change feed ({@link Identities#changes}),
     * counted from when it was recorded: {@link #DEFAULT_CHANGE_RETENTION} (30 days) by default. A
     * consumer that reads the feed less often than this misses the entries pruned meanwhile, and
     * sees it as a gap in the positions.
     */
    public Builder changeRetention(Duration retention) {
      Objects.requireNonNull(retention, "changeRetention");
      requireUnset(this.changeRetention, "changeRetention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("changeRetention must be positive, was " + retention);
      }
      this.changeRetention = retention;
      return this;
    }

    /**
     * How long {@link Omni#prune} keeps a campaign run after it ended (converted, exhausted or
     * cancelled), counted from its {@link io.omni.campaign.CampaignRun#endedAt() endedAt}, together
     * with its outbox entries: {@link #DEFAULT_CAMPAIGN_RETENTION} (90 days) by default. A running
     * run is never pruned. Once pruned, a run is unknown to {@code campaigns().run(id)}, its promo
     * code converts nothing, and an order no longer converts it.
     *
     * <p>An abandoned cart is reminded of only while its last change is younger than this: a cart
     * untouched for longer is no longer looked at until it changes again, so that pruning the
     * reminder of one cart change never lets a second reminder of the same change start. Give
     * every instance on one store the same setting.
     */
    public Builder campaignRetention(Duration retention) {
      Objects.requireNonNull(retention, "campaignRetention");
      requireUnset(this.campaignRetention, "campaignRetention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("campaignRetention must be positive, was " + retention);
      }
      this.campaignRetention = retention;
      return this;
    }

    /**
     * How long {@link Omni#prune} keeps a touchpoint, counted from when it happened (its event
     * time). Kept for ever by default. Orders and consent are not touchpoints and stay.
     */
    public Builder journeyRetention(Duration retention) {
      Objects.requireNonNull(retention, "journeyRetention");
      requireUnset(this.journeyRetention, "journeyRetention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("journeyRetention must be positive, was " + retention);
      }
      this.journeyRetention = retention;
      return this;
    }

    /**
     * How many times a sender is tried on one campaign message, the first included, before the
     * message counts as failed: the run records the failure ({@code CampaignRun.failures()}) and
     * its cascade moves on to the next step. 1 to {@value #MAX_DELIVERY_ATTEMPTS}; {@value
     * #DEFAULT_DELIVERY_ATTEMPTS} by default.
     */
    public Builder deliveryAttempts(int attempts) {
      requireUnset(this.deliveryAttempts, "deliveryAttempts");
      if (attempts < 1 || attempts > MAX_DELIVERY_ATTEMPTS) {
        throw new IllegalArgumentException("deliveryAttempts must be 1 to " + MAX_DELIVERY_ATTEMPTS + ", was "
            + attempts);
      }
      this.deliveryAttempts = attempts;
      return this;
    }

    /**
     * How many touchpoints {@link Omni#prune} leaves on each customer's journey: the latest by
     * event time. No limit by default.
     */
    public Builder journeyLimit(int touchpointsPerProfile) {
      requireUnset(this.journeyLimit, "journeyLimit");
      if (touchpointsPerProfile < 1) {
        throw new IllegalArgumentException("journeyLimit must be at least 1, was " + touchpointsPerProfile);
      }
      this.journeyLimit = touchpointsPerProfile;
      return this;
    }

    /**
     * The pause before a campaign message whose sender failed is tried again: this after the
     * first failure, doubling after each further one (1, 2, 4, 8 minutes by default). The retry
     * goes out at the first {@code advance} at or after it. Positive, at most 1 day; 1 minute by
     * default.
     */
    public Builder deliveryBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "deliveryBackoff");
      requireUnset(this.deliveryBackoff, "deliveryBackoff");
      if (backoff.isNegative() || backoff.isZero() || backoff.compareTo(MAX_DELIVERY_BACKOFF) > 0) {
        throw new IllegalArgumentException("deliveryBackoff must be positive and at most " + MAX_DELIVERY_BACKOFF
            + ", was " + backoff);
      }
      this.deliveryBackoff = backoff;
      return this;
    }

    /**
     * How long after a merge {@code campaigns().advance(now)} waits before it carries the merge
     * itself: {@link #DEFAULT_CARRY_REPAIR_GRACE} (1 minute) by default.
     *
     * <p>Every merge an identity write makes is noted as owed, in the write's transaction, and the
     * note is removed once the merge is carried to the other stores (the merged profile's cart
     * folded, its campaign runs converted or moved, its journey moved). When that carrying fails
     * after the merge committed (a dropped connection) and the caller does not retry the write, or
     * the process dies in between, {@code advance(now)} carries the notes older than {@code now}
     * minus this grace: a younger note is probably being carried right now by its own write.
     * Carrying a merge twice is harmless, so a short grace costs only work. Positive, at most one
     * day.
     */
    public Builder carryRepairGrace(Duration grace) {
      Objects.requireNonNull(grace, "carryRepairGrace");
      requireUnset(this.carryRepairGrace, "carryRepairGrace");
      if (grace.isNegative() || grace.isZero() || grace.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("carryRepairGrace must be positive and at most 1 day, was " + grace);
      }
      this.carryRepairGrace = grace;
      return this;
    }

    private static void requireUnset(Object current, String setting) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * Builds the Omni.
     *
     * @throws UnknownChannelException if a sender or the abandoned-cart cascade names a channel
     *     nobody defines
     */
    public Omni build() {
      Duration drift = maxDrift != null ? maxDrift : Duration.ofMinutes(1);
      if (tombstoneHorizon != null && tombstoneHorizon.compareTo(drift) <= 0) {
        throw new IllegalStateException("cartTombstoneHorizon " + tombstoneHorizon + " must be longer than maxDrift "
            + drift + ": a write may arrive stamped that far ahead");
      }
      return new Omni(this);
    }
  }
}
