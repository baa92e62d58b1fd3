package io.omni.internal.channel;

import io.omni.EventIdReusedException;
import io.omni.InvalidEventException;
import io.omni.UnknownProfileException;
import io.omni.channel.ChannelEvent;
import io.omni.channel.Consent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.Link;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import io.omni.internal.campaign.CampaignEngine;
import io.omni.internal.cart.OrderBook;
import io.omni.internal.identity.EventIds;
import io.omni.internal.identity.IdentityEngine;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.journey.Touchpoint;
import io.omni.spi.EventStore;
import io.omni.spi.Evidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code omni.ingest(event)}: checks an event whole, then links its identifiers, puts it on the
 * journey and applies what it means — cart lines, an order, consent, a promo redemption. Runs
 * under the Omni's channel lock, shared with the campaign engine.
 *
 * <h2>An event lands whole</h2>
 *
 * Every effect of an event is idempotent by the event's id (or the order's id), and the event's
 * processed mark is written <em>last</em>, after every effect is stored. A failure anywhere (a
 * connection lost midway, a store refusing a write) leaves the event unmarked, so the caller's
 * retry applies it again, and each effect already stored is found and not repeated:
 *
 * <ul>
 *   <li>the identity link is idempotent by event id (its evidence is found); when it was linked
 *       before, what its merges had to carry to the other stores and did not is carried first;
 *   <li>the touchpoint is appended once per event id, the order once per order id;
 *   <li>the cart lines of an event are one compare-and-set that keeps the event's id with the cart;
 *   <li>an order takes its lines out at a stamp of its own time, consent keeps the later decision,
 *       and a conversion of a run already converted changes nothing.
 * </ul>
 *
 * This works over any store, a user's own included, without a transaction spanning stores; one
 * transaction per event would have held the identity clusters' row locks through every other write
 * and made each store's retry of a lost race a retry of the whole event. Two instances that ingest
 * the same event at once both apply it, harmlessly, and one of them wins the mark.
 *
 * <p>Longer than the project's 400 lines: the checks of an event, done whole before anything is
 * stored, sit next to the effects they guard; the event-id rule lives in {@link EventIds}.
 */
public final class EventIngestor {
  /** The attribute of an ORDER event that holds the shop's order id. */
  public static final String ORDER_ID = "order";
  /** The attribute of a PROMO_REDEEMED event that holds the code. */
  public static final String PROMO_CODE = "code";
  /** The attribute of a CONSENT event that says whether consent is granted. */
  public static final String GRANTED = "granted";
  /** The attribute of a CONSENT event that names the channel it is about. */
  public static final String CONSENT_CHANNEL = "channel";

  /** Events whose identifiers {@code ingestAll} links in one identity write. */
  private static final int LINK_CHUNK = 500;

  private final Object lock;
  private final IdentityEngine identities;
  private final EventStore events;
  private final ChannelRegistry channels;
  private final CartPort carts;
  private final CampaignEngine campaigns;
  private final Clock clock;
  private final Duration maxDrift;
  private final LeftBehind leftBehind;

  /** Carries to a profile what its merged profiles still hold in the other stores. */
  @FunctionalInterface
  public interface LeftBehind {
    /** Carries it; {@code cause}, {@code channel} and {@code at} name the event whose link merged. */
    void carry(ProfileId profile, String cause, String channel, Instant at);
  }

  /** The ingestor. */
  public EventIngestor(Object lock, IdentityEngine identities, EventStore events, ChannelRegistry channels,
      CartPort carts, CampaignEngine campaigns, Clock clock, Duration maxDrift, LeftBehind leftBehind) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.identities = identities;
    this.events = events;
    this.channels = channels;
    this.carts = carts;
    this.campaigns = campaigns;
    this.clock = clock;
    this.maxDrift = Objects.requireNonNull(maxDrift, "maxDrift");
    this.leftBehind = Objects.requireNonNull(leftBehind, "leftBehind");
  }

  /** Ingests one event; see {@code Omni.ingest}. */
  public ProfileId ingest(ChannelEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      checkIdAndTime(event);
      if (events.processed(event.id())) {
        if (event.identifiers().isEmpty()) {
          throw new InvalidEventException(event.id(), "it holds no identifiers, so it belongs to no customer");
        }
        // A redelivery: answered with the profile its evidence reaches now, linking nothing new
        Optional<ProfileId> linked = identities.relinkProcessed(event.id(), event.channel(), event.at(),
            event.identifiers());
        return linked.orElseGet(() -> erased(event));
      }
      check(event, new CartAddBudget(identities, carts));
      return apply(event).profile();
    }
  }

  /**
   * A redelivery of an event processed before whose evidence a forget erased since: it is not
   * linked again (that would bring the forgotten identifier back) and answers the profile the first
   * of its identifiers still known is in, or is refused when none is.
   */
  private ProfileId erased(ChannelEvent event) {
    for (Identifier identifier : event.identifiers()) {
      Optional<ProfileId> profile = identities.resolve(identifier);
      if (profile.isPresent()) {
        return profile.get();
      }
    }
    throw new InvalidEventException(event.id(), "it was processed before and a forget has erased its evidence "
        + "since; a redelivery does not link its identifiers again, and none of them is in a profile now");
  }

  /** Checks every event, then applies the new ones in time order; see {@code Omni.ingestAll}. */
  public int ingestAll(Collection<ChannelEvent> batch) {
    Objects.requireNonNull(batch, "events");
    synchronized (lock) {
      List<ChannelEvent> fresh = new ArrayList<>();
      CartAddBudget budget = new CartAddBudget(identities, carts); // the batch's adds add up
      List<ChannelEvent> given = new ArrayList<>(batch);
      for (int position = 0; position < given.size(); position++) {
        ChannelEvent event = Objects.requireNonNull(given.get(position), "event " + position + " of the batch");
        checkIdAndTime(event);
        if (!events.processed(event.id())) {
          check(event, budget);
          fresh.add(event);
        }
      }
      // one event id, one set of identifiers: within the batch this is known before anything is stored
      EventIds.requireOneSetPerId(identities.rules(), given.stream().map(ChannelEvent::id).toList(),
          k -> given.get(k).identifiers(), "event");
      fresh.sort(Comparator.comparing(ChannelEvent::at));
      int applied = 0;
      // the identifiers of a chunk in one identity write, then each event's effects in time order
      for (int from = 0; from < fresh.size(); from += LINK_CHUNK) {
        List<ChannelEvent> chunk = fresh.subList(from, Math.min(fresh.size(), from + LINK_CHUNK));
        List<Link> links = new ArrayList<>(chunk.size());
        for (ChannelEvent event : chunk) {
          links.add(new Link(event.id(), event.channel(), event.at(), event.identifiers()));
        }
        List<IdentityEngine.Linked> profiles;
        try {
          profiles = identities.linkEvents(links);
        } catch (EventIdReusedException e) {
          // linked before with other identifiers: named by its place in the caller's batch, not the chunk's
          throw new EventIdReusedException(e.eventId(), "event " + positionOf(given, e.eventId()) + " of the batch",
              "linked before", e.added(), e.leftOut());
        }
        for (int k = 0; k < chunk.size(); k++) {
          ChannelEvent event = chunk.get(k);
          if (!events.processed(event.id()) && apply(event, profiles.get(k)).applied()) {
            applied++;
          }
        }
      }
      return applied;
    }
  }

  private static int positionOf(List<ChannelEvent> batch, String eventId) {
    for (int k = 0; k < batch.size(); k++) {
      if (batch.get(k).id().equals(eventId)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The id and the time, checked before the store is asked whether the event was processed (an
   * id PostgreSQL cannot store fails the query) and before a redelivery is linked.
   */
  private static void checkIdAndTime(ChannelEvent event) {
    if (event.id() == null || event.id().isBlank()) {
      throw new InvalidEventException(event.id(), "an event needs an id (idempotency is by id), it has none");
    }
    String idProblem = Limits.problem(event.id(), Limits.EVENT_ID);
    if (idProblem != null) {
      throw new InvalidEventException(event.id(), "its id " + idProblem);
    }
    String atProblem = Limits.instantProblem(event.at());
    if (atProblem != null) {
      throw new InvalidEventException(event.id(), "it happened at " + event.at() + ", which " + atProblem);
    }
  }

  /**
   * Every rule an event must keep, checked before anything of it is stored — those of {@link
   * Limits} that a database would enforce midway included, so that every store refuses the same
   * events alike.
   *
   * @param budget what the cart adds checked before this one (of the same batch) come to
   */
  private void check(ChannelEvent event, CartAddBudget budget) {
    String id = event.id();
    channels.require(event.channel());
    Instant latest = clock.instant().plus(maxDrift);
    if (event.at().isAfter(latest)) {
      // the cart CRDT would refuse its stamp midway; refuse the whole event before anything is stored
      throw new InvalidEventException(id, "it happened at " + event.at() + ", more than maxDrift " + maxDrift
          + " ahead of this Omni's clock (" + clock.instant() + ")");
    }
    if (event.identifiers().isEmpty()) {
      throw new InvalidEventException(id, "it holds no identifiers, so it belongs to no customer");
    }
    long distinct = event.identifiers().stream().distinct().count();
    if (distinct > Evidence.MAX_IDENTIFIERS) {
      throw new InvalidEventException(id, "it holds " + distinct + " distinct identifiers; evidence keeps at most "
          + Evidence.MAX_IDENTIFIERS);
    }
    if (event.identifiers().stream().allMatch(identities.rules()::isBlocked)) {
      throw new InvalidEventException(id, "every identifier it holds is a blocked value (junk or a blocked pattern), "
          + "so it belongs to no customer");
    }
    EventType type = event.type();
    if (!type.carriesLines() && !event.lines().isEmpty()) {
      throw new InvalidEventException(id, "a " + type + " event carries no lines, it has " + event.lines().size());
    }
    if ((type == EventType.CART_ADD || type == EventType.CART_REMOVE) && event.lines().isEmpty()) {
      throw new InvalidEventException(id, "a " + type + " event needs at least one line");
    }
    for (ChannelEvent.Line line : event.lines()) {
      if (line.quantity() < 1) {
        throw new InvalidEventException(id, "line " + line.key() + " has quantity " + line.quantity()
            + "; a quantity must be at least 1");
      }
    }
    checkAttributes(event);
    if (type == EventType.ORDER) {
      // an order's lines of one key become one order line: their sum must fit its int
      Map<io.omni.cart.LineKey, Long> sums = new LinkedHashMap<>();
      for (ChannelEvent.Line line : event.lines()) {
        long sum = sums.merge(line.key(), (long) line.quantity(), Long::sum);
        if (sum > Integer.MAX_VALUE) {
          throw new InvalidEventException(id, "the quantities of line " + Limits.shown(line.key().toString())
              + " add up past the largest quantity, " + Integer.MAX_VALUE);
        }
      }
    }
    switch (type) {
      case ORDER -> {
        Optional<String> order = event.attribute(ORDER_ID);
        String problem = order.map(Limits::orderIdProblem).orElse(null);
        if (problem != null) {
          throw new InvalidEventException(id, "attribute 'order', the order id '" + Limits.shown(order.get()) + "', "
              + problem);
        }
      }
      case PROMO_REDEEMED -> {
        String code = event.attribute(PROMO_CODE).filter(c -> !c.isBlank()).orElseThrow(() ->
            new InvalidEventException(id, "a PROMO_REDEEMED event needs attribute 'code', the promo code"));
        String problem = Limits.problem(code, Limits.PROMO_CODE);
        if (problem != null) {
          throw new InvalidEventException(id, "attribute 'code', the promo code '" + Limits.shown(code) + "', "
              + problem + "; no campaign run has it");
        }
        campaigns.checkPromo(event, code);
      }
      case CART_ADD -> budget.add(event);
      case CONSENT -> {
        String granted = event.attribute(GRANTED).orElse("");
        if (!granted.equals("true") && !granted.equals("false")) {
          throw new InvalidEventException(id, "a CONSENT event needs attribute 'granted' of 'true' or 'false', was '"
              + granted + "'");
        }
        channels.require(event.attribute(CONSENT_CHANNEL).orElse(event.channel()));
      }
      default -> { }
    }
  }

  /** An event's attributes, as the touchpoint's JSON column holds them ({@link Limits#ATTRIBUTES}). */
  private static void checkAttributes(ChannelEvent event) {
    if (event.attributes().size() > Limits.ATTRIBUTES) {
      throw new InvalidEventException(event.id(), "it has " + event.attributes().size() + " attributes, at most "
          + Limits.ATTRIBUTES + " are kept");
    }
    for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
      String name = attribute.getKey();
      String problem = Limits.problem(name, Limits.ATTRIBUTE_NAME);
      if (problem != null) {
        throw new InvalidEventException(event.id(), "the name of attribute '" + Limits.shown(name) + "' " + problem);
      }
      problem = Limits.problem(attribute.getValue(), Limits.ATTRIBUTE_VALUE);
      if (problem != null) {
        throw new InvalidEventException(event.id(), "the value of attribute '" + Limits.shown(name) + "' "
            + problem);
      }
    }
  }

  /** What applying an event came to: the profile, and whether this call applied it. */
  private record Outcome(ProfileId profile, boolean applied) {}

  private Outcome apply(ChannelEvent event) {
    return apply(event, identities.linkEvent(event.id(), event.channel(), event.at(), event.identifiers()));
  }

  /**
   * Applies an event whose identifiers are linked already, into {@code linked}'s profile: every
   * effect, then the processed mark (see the class comment).
   */
  private Outcome apply(ChannelEvent event, IdentityEngine.Linked linked) {
    if (linked.redelivered()) {
      // linked by an earlier attempt that failed before its mark: finish carrying its merges first
      leftBehind.carry(linked.profile(), event.id(), event.channel(), event.at());
    }
    ProfileId profile = identities.resolve(linked.profile()).orElse(linked.profile());
    events.appendTouchpoint(profile,
        Touchpoint.of(event.id(), event.channel(), event.type(), event.at(), event.attributes()));
    switch (event.type()) {
      case CART_ADD, CART_REMOVE -> {
        // the cart engine has the campaigns watch the cart before it stores the change
        carts.apply(profile, event.id(), event.channel(), event.at(), event.lines(), event.type() == EventType.CART_REMOVE);
      }
      case ORDER -> {
        Map<io.omni.cart.LineKey, Integer> quantities = new LinkedHashMap<>();
        event.lines().forEach(l -> quantities.merge(l.key(), l.quantity(), Integer::sum));
        List<OrderLine> lines = quantities.entrySet().stream().map(e -> new OrderLine(e.getKey(), e.getValue())).toList();
        Order order = events.appendOrder(profile,
            new Order(event.attribute(ORDER_ID).orElse(event.id()), profile, event.channel(), event.at(), lines));
        carts.ordered(profile, order);
        campaigns.ordered(profile, order, event.id());
        campaigns.cartChanged(profile);
      }
      case PROMO_REDEEMED -> campaigns.redeemed(event, event.attribute(PROMO_CODE).orElseThrow());
      case CONSENT -> record(profile, Consent.of(event.attribute(CONSENT_CHANNEL).orElse(event.channel()),
          Boolean.parseBoolean(event.attribute(GRANTED).orElseThrow()), event.at(), event.id()));
      default -> { }
    }
    // Last: a failure above leaves the event unmarked, and the caller's retry completes it. False
    // when another Omni over the same store applied it meanwhile (idempotently, as we did).
    // Marked at processing time: retention counts from the first delivery, so that a back-fill of
    // old events is deduplicated too.
    return new Outcome(profile, events.markProcessed(event.id(), clock.instant()));
  }

  /**
   * The order book of {@code carts().checkout}: an order placed through the cart API is recorded as
   * an {@code ORDER} event's is — in the history, on the journey (a touchpoint of id {@code
   * order:<order id>}), converting running campaigns and cancelling abandoned-cart reminders — once
   * per order id. The cart itself is the caller's to clear.
   */
  public OrderBook orderBook() {
    return new OrderBook() {
      @Override
      public Optional<Order> find(String orderId) {
        return events.order(orderId);
      }

      @Override
      public Order record(ProfileId profile, Order order) {
        synchronized (lock) {
          ProfileId live = identities.resolve(profile).orElse(profile);
          // The order last, as an event's processed mark: checkout's retry takes a recorded order as
          // done, so a touchpoint or conversion left behind it would be lost for good (a connection
          // dropped at the touchpoint left the journey without the order and its run RUNNING). Both
          // are idempotent, so a retry after a failure here does them again harmlessly.
          events.appendTouchpoint(live, Touchpoint.of("order:" + order.id(), order.channel(), EventType.ORDER,
              order.at(), Map.of(ORDER_ID, order.id())));
          campaigns.ordered(live, order, "order:" + order.id());
          return events.appendOrder(live, order);
        }
      }
    };
  }

  /** {@code omni.consent(profile, channel, granted)}: a decision made now. */
  public void consent(ProfileId profile, String channel, boolean granted) {
    Objects.requireNonNull(profile, "profile");
    channels.require(channel);
    synchronized (lock) {
      ProfileId live = identities.resolve(profile).orElseThrow(() -> new UnknownProfileException(profile.value()));
      record(live, Consent.of(channel, granted, clock.instant(), "api"));
    }
  }

  /** Whether the customer may be messaged in the channel. */
  public boolean consented(ProfileId profile, String channel) {
    Objects.requireNonNull(profile, "profile");
    channels.require(channel);
    synchronized (lock) {
      ProfileId live = identities.resolve(profile).orElseThrow(() -> new UnknownProfileException(profile.value()));
      return campaigns.consented(live, channel);
    }
  }

  /**
   * Keeps the later decision per channel ({@link #decides}), so that back-filled events do not undo
   * newer ones and the decision kept does not depend on the order decisions arrived in: a
   * compare-and-set, run again while another instance changes the stored decision meanwhile.
   */
  private void record(ProfileId profile, Consent consent) {
    while (true) {
      Consent current = events.consents(profile).stream()
          .filter(c -> c.channel().equals(consent.channel())).findFirst().orElse(null);
      if (current != null && !decides(consent, current)) {
        return;
      }
      if (events.replaceConsent(profile, current, consent)) {
        return;
      }
    }
  }

  /**
   * Whether decision {@code x} stands over {@code y} about the same channel: the later one; at the
   * same instant a refusal; between two alike at one instant, the greater source (event id), so
   * that every delivery order keeps the same one.
   */
  static boolean decides(Consent x, Consent y) {
    int c = x.at().compareTo(y.at());
    if (c == 0) {
      c = Boolean.compare(y.granted(), x.granted());
    }
    if (c == 0) {
      c = x.source().compareTo(y.source());
    }
    return c > 0;
  }

  /**
   * Moves the merged profile's journey, orders and consent to the survivor. Per channel the later
   * consent decision wins; at the same instant a refusal wins ({@link #decides}).
   */
  public void merged(MergeEvent merge) {
    synchronized (lock) {
      for (Consent theirs : events.consents(merge.merged())) {
        record(merge.survivor(), theirs);
      }
      events.rekey(merge.merged(), merge.survivor());
    }
  }
}
