package io.omni.internal.cart;

import io.omni.InvalidTokenException;
import io.omni.InvalidTokenException.Reason;
import io.omni.UnknownProfileException;
import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.CartStatus;
import io.omni.cart.Carts;
import io.omni.cart.HybridClock;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.spi.CartStore;
import io.omni.spi.StoredCart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Carts} over a {@link CartStore}: every write is a load, a CRDT step and a compare-and-set,
 * retried when another writer saved first. Identity merges arrive through {@link
 * #onIdentityMerge(MergeEvent)}.
 */
public final class CartsEngine implements Carts {
  private static final Logger LOG = LoggerFactory.getLogger(CartsEngine.class);
  private static final String DEFAULT_CHANNEL = "cart";
  private static final Duration MAX_TTL = Duration.ofDays(1);
  private static final int MAX_REDIRECTS = 32;
  /** Ids kept with a cart that name an ingested event rather than an identity merge. */
  private static final String EVENT_PREFIX = "event:";
  /** How long before an event the ids of applied events are kept with a cart. */
  public static final Duration APPLIED_EVENTS_KEPT = Duration.ofDays(30);

  private final CartStore store;
  private final Identities identities;
  private final HybridClock hlc;
  private final CartMergePolicy policy;
  private final HandoffTokens tokens;
  private final Clock clock;
  private final Duration tombstoneHorizon;
  private final List<Consumer<ProfileId>> changeListeners = new CopyOnWriteArrayList<>();
  private volatile OrderBook orders = OrderBook.NONE;

  /**
   * Creates the engine.
   *
   * @param handoffKey the HMAC key for hand-off tokens, or {@code null} to refuse hand-offs
   * @param tombstoneHorizon how long a removed line's tombstone is kept: every write drops those older
   *     ({@link CartState#withoutTombstonesBefore})
   */
  public CartsEngine(CartStore store, Identities identities, HybridClock hlc, CartMergePolicy policy,
      byte[] handoffKey, Clock clock, Duration tombstoneHorizon) {
    this.store = Objects.requireNonNull(store, "store");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.hlc = Objects.requireNonNull(hlc, "hlc");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.tokens = handoffKey == null ? null : new HandoffTokens(handoffKey);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tombstoneHorizon = Objects.requireNonNull(tombstoneHorizon, "tombstoneHorizon");
  }

  /**
   * Calls the listener, on the writing thread, with the profile whose cart a write is about to
   * change, before the write is stored. The channel layer watches carts for abandonment this way.
   * A listener that throws stops the write, which is then not stored and fails with what it threw,
   * so that no stored write lacks what the listener records; a listener must therefore accept a
   * call for a write that then does not happen (a lost race, run again, or a failed store).
   */
  public void onChange(Consumer<ProfileId> listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void changing(ProfileId profile) {
    for (Consumer<ProfileId> listener : changeListeners) {
      listener.accept(profile);
    }
  }

  /** Where checkouts record their orders; set once by Omni while it wires itself. */
  public void orderBook(OrderBook book) {
    this.orders = Objects.requireNonNull(book, "book");
  }

  /** The policy identity merges fold carts by. */
  public CartMergePolicy policy() {
    return policy;
  }

  // ---- who ----

  private ProfileId profileOf(Identifier who, String channel) {
    Objects.requireNonNull(who, "who");
    return identities.resolve(who).orElseGet(() -> identities.link(channel, who));
  }

  private ProfileId profileOf(ProfileId who) {
    Objects.requireNonNull(who, "who");
    return identities.resolve(who).orElseThrow(() -> new UnknownProfileException(who.value()));
  }

  // ---- writes ----

  @Override
  public CartState add(Identifier who, String channel, LineKey key, int quantity) {
    checkWrite(channel, key);
    return add(profileOf(who, channel), channel, key, quantity);
  }

  @Override
  public CartState add(ProfileId who, String channel, LineKey key, int quantity) {
    checkWrite(channel, key);
    if (quantity < 1) {
      throw new IllegalArgumentException("add needs a quantity of at least 1, was " + quantity + " (use setQuantity or remove)");
    }
    return update(profileOf(who),
        (state, stamp) -> state.set(key, Limits.addQuantity(key, state.quantity(key), quantity), channel, stamp.get()));
  }

  /**
   * Applies an ingested event's cart change once: the id of the event is kept with the cart in the
   * same compare-and-set that saves the change, so that an ingest retried after a failure midway
   * (its processed mark comes last) finds it and changes nothing more. Kept ids older than {@link
   * #APPLIED_EVENTS_KEPT} before the event are dropped in the same save, so the set stays bounded;
   * a redelivery older than that is applied again, as one older than the processed-event horizon.
   */
  public CartState applyEvent(ProfileId who, String eventId, Instant at, String channel,
      BiFunction<CartState, Supplier<Stamp>, CartState> change) {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(channel, "channel");
    Limits.channel(channel);
    String applied = EVENT_PREFIX + at.toEpochMilli() + ":" + eventId;
    long horizon = at.minus(APPLIED_EVENTS_KEPT).toEpochMilli();
    return update(profileOf(who), change, applied, kept -> keptEvent(kept, horizon));
  }

  /**
   * The stamp of an ingested event's cart writes: the event's own time, logical 0, and a replica id
   * derived from the event id ({@code ev-} and 16 hex digits of its SHA-256), so that every Omni
   * stamps the same event alike and two events of one millisecond are ordered the same way
   * wherever they are applied. The hybrid clock moves past it, so that a direct write made later
   * comes after it. Events from further ahead than the clock's drift bound are refused before this.
   */
  public Stamp eventStamp(String eventId, Instant at) {
    Stamp stamp = Stamp.of(at.toEpochMilli(), 0, derivedReplica("ev-", eventId));
    hlc.update(stamp);
    return stamp;
  }

  /** {@code prefix} and the first 8 bytes of the SHA-256 of {@code id}, in hex. */
  static String derivedReplica(String prefix, String id) {
    byte[] digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
    }
    return sb.toString();
  }

  private long horizonMillis() {
    return clock.millis() - tombstoneHorizon.toMillis();
  }

  /** Whether an id the cart keeps stays: merge ids always, event ids until their horizon. */
  private static boolean keptEvent(String kept, long horizon) {
    if (!kept.startsWith(EVENT_PREFIX)) {
      return true;
    }
    int colon = kept.indexOf(':', EVENT_PREFIX.length());
    try {
      return Long.parseLong(kept.substring(EVENT_PREFIX.length(), colon)) >= horizon;
    } catch (RuntimeException e) {
      return true;
    }
  }

  @Override
  public CartState setQuantity(Identifier who, String channel, LineKey key, int quantity) {
    checkWrite(channel, key);
    return setQuantity(profileOf(who, channel), channel, key, quantity);
  }

  @Override
  public CartState setQuantity(ProfileId who, String channel, LineKey key, int quantity) {
    checkWrite(channel, key);
    if (quantity < 0) {
      throw new IllegalArgumentException("setQuantity needs a quantity of at least 0, was " + quantity);
    }
    return update(profileOf(who), (state, stamp) -> state.set(key, quantity, channel, stamp.get()));
  }

  @Override
  public CartState remove(Identifier who, String channel, LineKey key) {
    checkWrite(channel, key);
    return remove(profileOf(who, channel), channel, key);
  }

  @Override
  public CartState remove(ProfileId who, String channel, LineKey key) {
    checkWrite(channel, key);
    return update(profileOf(who), (state, stamp) -> state.removed(key, channel, stamp.get()));
  }

  /** Before a write reads anything: a channel a cart line holds, a key. */
  private static void checkWrite(String channel, LineKey key) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(key, "key");
    Limits.channel(channel);
  }

  // ---- reads ----

  @Override
  public CartState get(Identifier who) {
    Objects.requireNonNull(who, "who");
    return identities.resolve(who).map(this::get).orElse(CartState.empty());
  }

  @Override
  public CartState get(ProfileId who) {
    return locate(profileOf(who)).state();
  }

  @Override
  public Optional<Instant> lastChange(ProfileId who) {
    CartState state = get(who);
    return state.isEmpty() ? Optional.empty() : state.latest().map(s -> Instant.ofEpochMilli(s.millis()));
  }

  @Override
  public CartStatus status(ProfileId who) {
    Objects.requireNonNull(who, "who");
    return store.load(who).map(StoredCart::status).orElse(CartStatus.ACTIVE);
  }

  // ---- sync, checkout, orders ----

  @Override
  public CartState sync(Identifier who, CartState remote) {
    Objects.requireNonNull(remote, "remote");
    return sync(profileOf(who, DEFAULT_CHANNEL), remote);
  }

  @Override
  public CartState sync(ProfileId who, CartState remote) {
    Objects.requireNonNull(remote, "remote");
    ProfileId profile = profileOf(who);
    // The greatest stamp decides: refuse the whole state before any of it is kept.
    remote.latest().ifPresent(hlc::update);
    return update(profile, (state, stamp) -> state.merge(remote));
  }

  @Override
  public Order checkout(Identifier who, String channel, String orderId) {
    Limits.channel(channel);
    Limits.orderId(orderId); // before an unknown customer is linked
    return checkout(profileOf(who, channel), channel, orderId);
  }

  @Override
  public Order checkout(ProfileId who, String channel, String orderId) {
    Limits.channel(channel);
    Limits.orderId(orderId);
    ProfileId profile = profileOf(who);
    Optional<Order> earlier = orders.find(orderId);
    if (earlier.isPresent()) {
      // a retry: the order stands; take its lines out as an ORDER event would (a no-op when the
      // first call got as far as its clear stamp), leaving lines added since alone
      Order order = earlier.get();
      ordered(profile, order);
      return order;
    }
    CartState state = locate(profile).state();
    if (state.isEmpty()) {
      throw new IllegalStateException("the cart of " + profile + " has no lines to check out as order " + orderId);
    }
    List<OrderLine> bought = new ArrayList<>();
    for (CartLine line : state.lines()) {
      bought.add(new OrderLine(line.key(), line.quantity()));
    }
    // the order first: a failure after it leaves an order whose retry (above) finishes the cart
    Order order = orders.record(profile, new Order(orderId, profile, channel, clock.instant(), bought));
    // the clear stamp is the checkout's time: whatever any replica wrote before it goes, as in a
    // checkout that was one compare-and-set
    Stamp read = state.latest().orElseThrow();
    update(profile, (current, stamp) -> current.cleared(hlc.nowAfter(read)));
    return order;
  }

  @Override
  public CartState ordered(ProfileId who, Order order) {
    Objects.requireNonNull(order, "order");
    ProfileId profile = profileOf(who);
    // the same stamp wherever and whenever the order is applied: its time, after every event of
    // that millisecond, and a replica id of the order's own
    Stamp at = Stamp.of(order.at().toEpochMilli(), Stamp.MAX_LOGICAL, derivedReplica("or-", order.id()));
    hlc.update(at);
    String channel = order.channel().isBlank() ? DEFAULT_CHANNEL : order.channel();
    return update(profile, (state, stamp) -> {
      CartState out = state;
      for (OrderLine line : order.lines()) {
        out = out.removed(line.key(), channel, at);
      }
      return out;
    });
  }

  // ---- hand-off ----

  @Override
  public String handoff(Identifier who, Duration ttl) {
    requireKey();
    return handoff(profileOf(who, DEFAULT_CHANNEL), ttl);
  }

  @Override
  public String handoff(ProfileId who, Duration ttl) {
    requireKey();
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("hand-off ttl must be more than 0 and at most " + MAX_TTL + ", was " + ttl);
    }
    ProfileId profile = profileOf(who);
    Stamp version = get(profile).latest().orElse(null);
    return tokens.issue(profile, version, clock.instant().plus(ttl));
  }

  @Override
  public CartState redeem(String token, String channel) {
    requireKey();
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(channel, "channel");
    HandoffTokens.Claims claims = tokens.verify(token);
    Instant now = clock.instant();
    if (now.isAfter(claims.expiresAt())) {
      throw new InvalidTokenException(Reason.EXPIRED, "it expired at " + claims.expiresAt() + ", now is " + now);
    }
    store.purgeNonces(now);
    // The cart is read before the token is spent: spent last, a token whose redeem failed on the way
    // (a connection dropped while the cart was read) is still good for the caller's retry, which
    // was refused as REUSED when the read came after.
    CartState cart = get(claims.profile());
    if (!store.consumeNonce(claims.nonce(), claims.expiresAt())) {
      throw new InvalidTokenException(Reason.REUSED, "it was already redeemed; tokens are single-use");
    }
    LOG.debug("hand-off of the cart of {} (version {}) redeemed in {}", claims.profile(), claims.cartStamp(), channel);
    return cart;
  }

  private void requireKey() {
    if (tokens == null) {
      throw new IllegalStateException("cart hand-off needs a key: set handoffKey(byte[]) on Omni.builder()");
    }
  }

  // ---- identity merges ----

  /**
   * Folds the merged profile's cart into the survivor's by the policy, once per merge, and marks
   * the merged cart {@link CartStatus#MERGED}. Replaying the same event changes nothing: the
   * survivor's cart records the merge's id (the merged profile id) in the same save.
   */
  public void onIdentityMerge(MergeEvent event) {
    Optional<StoredCart> mergedCart = store.load(event.merged());
    if (mergedCart.isEmpty()) {
      return; // nothing to fold; reads of the merged id go to the survivor through its alias
    }
    String mergeId = event.merged().value();
    CartState theirs = mergedCart.get().state();
    String channel = event.channel().isBlank() ? DEFAULT_CHANNEL : event.channel();
    // Stamped just before the event that caused the merge, not when it is applied: a merge
    // delivered late does not overwrite what the customer did after it (an order that emptied a
    // line), and the event's own lines count on top of what it folds.
    long at = Math.max(0, event.at().toEpochMilli() - 1);
    Stamp stamp = Stamp.of(at, Stamp.MAX_LOGICAL, derivedReplica("mg-", mergeId));
    hlc.update(stamp);
    foldInto(event.survivor(), mergeId, theirs, channel, stamp);
    markMerged(event.merged(), event.survivor());
  }

  private void foldInto(ProfileId survivor, String mergeId, CartState theirs, String channel, Stamp stamp) {
    for (;;) {
      Located current = locate(survivor);
      if (current.appliedMerges().contains(mergeId)) {
        LOG.debug("cart merge {} into {} was applied before; not applying it again", mergeId, current.target());
        return;
      }
      CartState next = CartMerges.apply(policy, current.state(), theirs, channel, stamp);
      Set<String> applied = new HashSet<>(current.appliedMerges());
      applied.add(mergeId);
      long version = current.version();
      if (store.compareAndSet(version, new StoredCart(current.target(), next, version + 1, null, applied))) {
        return;
      }
    }
  }

  /**
   * A profile split: the lines of its cart that came from the part that split off go with it. A
   * line goes when every write it holds (its last write and each addition counted on it) came from
   * an ingested event in {@code theirEvents} — the events whose identifiers are all in the part
   * that left, stamped {@code ev-<hash of the event id>} ({@link #eventStamp}). The lines keep their
   * stamps in the new cart, and the kept cart takes them out with a tombstone. A line any other
   * write touched — a direct API write, a checkout, an identity merge's fold, an event of the
   * profile that kept the id, or one whose stamp no event of the part explains — is ambiguous and
   * stays. Idempotent: a line moved once is a tombstone written here, which no event explains.
   *
   * @param kept the profile that kept its id
   * @param left the profile issued for, or now holding, the part that left
   * @param theirEvents the ids of the events whose evidence holds identifiers of {@code left} only
   */
  public void onSplit(ProfileId kept, ProfileId left, java.util.Collection<String> theirEvents) {
    if (theirEvents.isEmpty()) {
      return;
    }
    Set<String> theirs = new HashSet<>();
    for (String eventId : theirEvents) {
      theirs.add(derivedReplica("ev-", eventId));
    }
    Located current = locate(kept);
    if (!current.target().equals(kept)) {
      return; // the kept profile's cart was merged away: nothing of its own to split
    }
    CartState state = current.state();
    // a line moves when every write it holds is one of theirs: any other write keeps it here
    java.util.Map<LineKey, Boolean> allTheirs = new java.util.HashMap<>();
    for (List<CartLine> writes : List.of(state.entries(), state.additions())) {
      for (CartLine w : writes) {
        allTheirs.merge(w.key(), theirs.contains(w.stamp().replica()), Boolean::logicalAnd);
      }
    }
    Set<LineKey> moved = new HashSet<>();
    allTheirs.forEach((key, all) -> {
      if (all && state.quantity(key) > 0) {
        moved.add(key);
      }
    });
    if (moved.isEmpty()) {
      return;
    }
    CartState lines = CartMerges.only(state, moved);
    // theirs first: a failure between the two leaves the lines in both carts, never in neither
    update(left, (cart, stamp) -> cart.merge(lines));
    update(kept, (cart, stamp) -> {
      CartState out = cart;
      for (LineKey key : moved) {
        out = out.removed(key, DEFAULT_CHANNEL, stamp.get());
      }
      return out;
    });
    LOG.debug("split of {}: {} cart lines went with {}", kept, moved.size(), left);
  }

  private void markMerged(ProfileId merged, ProfileId survivor) {
    for (;;) {
      StoredCart current = store.load(merged).orElseThrow();
      if (current.mergedInto() != null) {
        return;
      }
      StoredCart next = new StoredCart(merged, current.state(), current.version() + 1, survivor, current.appliedMerges());
      if (store.compareAndSet(current.version(), next)) {
        return;
      }
    }
  }

  // ---- storage ----

  /** Where a profile's live cart is: the profile itself or the survivor its cart was merged into. */
  private record Located(ProfileId target, StoredCart cart) {
    CartState state() {
      return cart == null ? CartState.empty() : cart.state();
    }

    long version() {
      return cart == null ? 0 : cart.version();
    }

    Set<String> appliedMerges() {
      return cart == null ? Set.of() : cart.appliedMerges();
    }
  }

  /** The live cart for a profile, following MERGED carts to their survivor. */
  private Located locate(ProfileId profile) {
    ProfileId id = profile;
    for (int hops = 0; hops < MAX_REDIRECTS; hops++) {
      StoredCart cart = store.load(id).orElse(null);
      if (cart == null || cart.mergedInto() == null) {
        return new Located(id, cart);
      }
      id = cart.mergedInto();
    }
    throw new IllegalStateException("the cart of " + profile + " redirects more than " + MAX_REDIRECTS + " times; the store holds a cycle");
  }

  /**
   * Load, change, compare-and-set, until no other writer came between. The change gets the state
   * and a source of stamps that come after every write the state holds, so that a write here never
   * loses to a write it has read (another Omni on the same store may run ahead by its clock).
   */
  private CartState update(ProfileId profile, BiFunction<CartState, Supplier<Stamp>, CartState> change) {
    return update(profile, change, null, null);
  }

  /**
   * {@link #update(ProfileId, BiFunction)}, once per {@code operation} when one is given: a cart
   * that keeps the operation's id is left as it is, and the save keeps it (with the kept ids that
   * {@code keep} accepts).
   */
  private CartState update(ProfileId profile, BiFunction<CartState, Supplier<Stamp>, CartState> change,
      String operation, java.util.function.Predicate<String> keep) {
    for (;;) {
      Located current = locate(profile);
      CartState state = current.state();
      if (operation != null && current.appliedMerges().contains(operation)) {
        LOG.debug("{} was applied to the cart of {} before; not applying it again", operation, current.target());
        return state;
      }
      Supplier<Stamp> stamps = () -> state.latest().map(hlc::nowAfter).orElseGet(hlc::now);
      CartState next = change.apply(state, stamps).withoutTombstonesBefore(horizonMillis());
      if (operation == null && current.cart() != null && next.equals(state)) {
        return state;
      }
      Set<String> applied = current.appliedMerges();
      if (operation != null) {
        applied = new HashSet<>();
        for (String kept : current.appliedMerges()) {
          if (keep.test(kept)) {
            applied.add(kept);
          }
        }
        applied.add(operation);
      }
      long version = current.version();
      StoredCart saved = new StoredCart(current.target(), next, version + 1, null, applied);
      changing(current.target());
      if (store.compareAndSet(version, saved)) {
        return next;
      }
    }
  }
}
