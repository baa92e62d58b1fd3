package io.omni.internal.campaign;

import io.omni.InvalidEventException;
import io.omni.UnknownCampaignRunException;
import io.omni.UnknownProfileException;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.CampaignRun.Conversion;
import io.omni.campaign.CampaignRun.State;
import io.omni.campaign.Campaigns;
import io.omni.campaign.Cascade;
import io.omni.campaign.CascadeStep;
import io.omni.channel.Channel;
import io.omni.channel.ChannelEvent;
import io.omni.channel.Consent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.channel.MessageSender;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import io.omni.internal.channel.CartPort;
import io.omni.internal.channel.ChannelRegistry;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign rules, once, over any {@link CampaignStore}: cascades, consent and reachability,
 * conversions, abandoned carts. Every method runs under the Omni's channel lock, shared with event
 * ingestion, so a conversion and an advance never interleave within one Omni.
 */
public final class CampaignEngine implements Campaigns {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignEngine.class);
  /** The optional attribute of a PROMO_REDEEMED event naming the run the code is expected to be of. */
  public static final String RUN_ATTRIBUTE = "run";
  private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  private final Object lock;
  private final Identities identities;
  private final EventStore events;
  private final CampaignStore runs;
  private final ChannelRegistry channels;
  private final CartPort carts;
  private final Clock clock;
  private final AbandonedCartPolicy abandonedCarts;
  private final SecureRandom random = new SecureRandom();

  /** The engine; {@code abandonedCarts} may be {@code null} for none. */
  public CampaignEngine(Object lock, Identities identities, EventStore events, CampaignStore runs,
      ChannelRegistry channels, CartPort carts, Clock clock, AbandonedCartPolicy abandonedCarts) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.identities = identities;
    this.events = events;
    this.runs = runs;
    this.channels = channels;
    this.carts = carts;
    this.clock = clock;
    this.abandonedCarts = abandonedCarts;
    if (abandonedCarts != null) {
      resolveSteps(abandonedCarts.cascade());
    }
  }

  private ProfileId live(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    return identities.resolve(profile).orElseThrow(() -> new UnknownProfileException(profile.value()));
  }

  // ------------------------------------------------------------------ start

  @Override
  public CampaignRun start(Cascade cascade, ProfileId profile, String text) {
    Objects.requireNonNull(cascade, "cascade");
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("campaign text must not be blank");
    }
    Limits.text("campaign text", text, Limits.CAMPAIGN_TEXT);
    List<CascadeStep> steps = resolveSteps(cascade);
    synchronized (lock) {
      ProfileId who = live(profile);
      return create(who, steps, text, clock.instant(), Optional.empty());
    }
  }

  /** Checks every step's channel and puts the steps in running order. */
  private List<CascadeStep> resolveSteps(Cascade cascade) {
    for (CascadeStep step : cascade.steps()) {
      Channel channel = channels.require(step.channel());
      if (!channel.carriesMessages()) {
        throw new IllegalArgumentException("cascade step " + step.channel()
            + " names a channel that carries no messages (it reaches nobody)");
      }
    }
    if (!cascade.cheapestFirst()) {
      return cascade.steps();
    }
    List<CascadeStep> sorted = new ArrayList<>(cascade.steps());
    sorted.sort(Comparator.comparing(s -> channels.require(s.channel()).costPerMessage()));
    return sorted;
  }

  private CampaignRun create(ProfileId who, List<CascadeStep> steps, String text, Instant now,
      Optional<Instant> cartChange) {
    String id;
    do {
      id = "run-" + token(12);
    } while (runs.find(id).isPresent());
    String code;
    do {
      code = token(4) + "-" + token(4);
    } while (runs.byPromoCode(code).isPresent());
    CampaignRun run = new CampaignRun(id, who, steps, text, code, now, State.RUNNING, 0, now, false,
        List.of(), cartChange, Optional.empty(), Optional.empty());
    runs.save(run);
    LOG.debug("started campaign run {} for {} over {}", id, who, steps);
    return run;
  }

  private String token(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = CODE_ALPHABET[random.nextInt(CODE_ALPHABET.length)];
    }
    return new String(out);
  }

  // ------------------------------------------------------------------ advance

  @Override
  public List<Message> advance(Instant now) {
    Limits.instant("now", now);
    synchronized (lock) {
      List<Message> sent = new ArrayList<>();
      if (abandonedCarts != null) {
        startAbandonedCartRuns(now);
      }
      for (CampaignRun run : runs.running()) {
        CampaignRun next = step(run, now, sent);
        if (!next.equals(run)) {
          runs.save(next);
        }
      }
      return List.copyOf(sent);
    }
  }

  /** Moves one run on to {@code now}, sending what is due. */
  private CampaignRun step(CampaignRun run, Instant now, List<Message> sent) {
    List<CascadeStep> steps = run.steps();
    int index = run.step();
    Instant stepStart = run.stepStartedAt();
    boolean stepSent = run.stepSent();
    List<Message> messages = new ArrayList<>(run.messages());
    State state = State.RUNNING;
    Optional<Instant> endedAt = Optional.empty();
    while (true) {
      if (index >= steps.size()) {
        state = State.EXHAUSTED;
        endedAt = Optional.of(stepStart);
        LOG.debug("campaign run {} exhausted at {}", run.id(), stepStart);
        break;
      }
      CascadeStep step = steps.get(index);
      if (stepSent) {
        Instant windowEnd = stepStart.plus(step.window());
        if (now.isBefore(windowEnd)) {
          break;
        }
        index++;
        stepStart = windowEnd;
        stepSent = false;
        continue;
      }
      if (now.isBefore(stepStart)) {
        break;
      }
      Optional<Identifier> to = reach(run.profile(), step.channel());
      if (to.isEmpty()) {
        index++;
        continue;
      }
      Message message = new Message(step.channel(), to.get(), run.text(), run.id(), run.promoCode(),
          run.profile(), index, now);
      if (!deliver(message)) {
        index++;
        continue;
      }
      messages.add(message);
      sent.add(message);
      events.appendTouchpoint(run.profile(), Touchpoint.of("msg-" + run.id() + "-" + index, step.channel(),
          EventType.MESSAGE_SENT, now, Map.of("run", run.id(), "step", Integer.toString(index),
              "promoCode", run.promoCode())));
      stepSent = true;
      stepStart = now;
    }
    return new CampaignRun(run.id(), run.profile(), steps, run.text(), run.promoCode(), run.startedAt(), state,
        index, stepStart, stepSent, messages, run.cartChange(), run.conversion(), endedAt);
  }

  /** The identifier a message in this channel reaches the customer at: none without consent. */
  private Optional<Identifier> reach(ProfileId profile, String channelId) {
    if (!consented(profile, channelId)) {
      LOG.debug("skipping {} for {}: consent refused", channelId, profile);
      return Optional.empty();
    }
    Optional<IdentifierType> type = channels.require(channelId).reachedBy();
    if (type.isEmpty()) {
      return Optional.empty();
    }
    Optional<Identifier> to = identities.profile(profile).identifiers(type.get()).stream()
        .min(Comparator.comparing(Identifier::value));
    if (to.isEmpty()) {
      LOG.debug("skipping {} for {}: no {} to reach them at", channelId, profile, type.get());
    }
    return to;
  }

  /** Whether the profile (a live id) may be messaged in the channel: granted unless refused. */
  public boolean consented(ProfileId profile, String channel) {
    return events.consents(profile).stream()
        .filter(c -> c.channel().equals(channel))
        .findFirst()
        .map(Consent::granted)
        .orElse(true);
  }

  private boolean deliver(Message message) {
    Optional<MessageSender> sender = channels.sender(message.channel());
    if (sender.isEmpty()) {
      // No sender: the caller delivers what advance returns.
      return true;
    }
    try {
      sender.get().send(message);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("the sender of channel {} failed on campaign run {}; the cascade moves on to its next step",
          message.channel(), message.runId(), e);
      return false;
    }
  }

  // ------------------------------------------------------------------ abandoned carts

  /**
   * Notes that a profile's cart changed, so that it is looked at for being abandoned. {@code
   * ingest} calls it for cart events; whatever else changes carts (the cart API) must call it too.
   */
  public void cartChanged(ProfileId profile) {
    synchronized (lock) {
      runs.watchCart(profile);
    }
  }

  private void startAbandonedCartRuns(Instant now) {
    List<CascadeStep> steps = resolveSteps(abandonedCarts.cascade());
    for (ProfileId watched : runs.watchedCarts()) {
      Optional<ProfileId> resolved = identities.resolve(watched);
      if (resolved.isEmpty() || !carts.hasLines(resolved.get())) {
        runs.unwatchCart(watched);
        continue;
      }
      ProfileId who = resolved.get();
      if (!who.equals(watched)) {
        runs.unwatchCart(watched);
        runs.watchCart(who);
      }
      Optional<Instant> change = carts.lastChange(who);
      if (change.isEmpty() || now.isBefore(change.get().plus(abandonedCarts.idle()))) {
        continue;
      }
      Instant changed = change.get();
      boolean orderedSince = events.orders(who).stream().anyMatch(o -> !o.at().isBefore(changed));
      boolean remindedAlready = runs.byProfile(who).stream()
          .anyMatch(r -> r.cartChange().filter(changed::equals).isPresent());
      if (orderedSince || remindedAlready) {
        continue;
      }
      create(who, steps, abandonedCarts.text(), now, Optional.of(changed));
    }
  }

  // ------------------------------------------------------------------ conversions

  /**
   * Refuses a promo redemption whose code belongs to no run, or to a run of someone none of the
   * event's identifiers belongs to. Called before anything of the event is stored.
   */
  public void checkPromo(ChannelEvent event, String code) {
    synchronized (lock) {
      CampaignRun run = runs.byPromoCode(code).orElseThrow(() ->
          new InvalidEventException(event.id(), "promo code '" + code + "' belongs to no campaign run"));
      Optional<String> named = event.attribute(RUN_ATTRIBUTE);
      if (named.isPresent() && !named.get().equals(run.id())) {
        throw new InvalidEventException(event.id(), "promo code '" + code + "' belongs to campaign run " + run.id()
            + ", not to run " + named.get() + " the event names");
      }
      Optional<ProfileId> owner = identities.resolve(run.profile());
      boolean own = owner.isPresent() && event.identifiers().stream()
          .map(identities::resolve)
          .flatMap(Optional::stream)
          .anyMatch(owner.get()::equals);
      if (!own) {
        throw new InvalidEventException(event.id(), "promo code '" + code + "' belongs to campaign run "
            + run.id() + " of another customer; none of the event's identifiers is theirs");
      }
    }
  }

  /** An order was recorded: it converts (or cancels) the customer's runs started at or before it. */
  public void ordered(ProfileId profile, Order order, String eventId) {
    synchronized (lock) {
      for (CampaignRun run : runs.byProfile(profile)) {
        if (run.state() != State.RUNNING || order.at().isBefore(run.startedAt())) {
          continue;
        }
        Optional<Message> cause = run.messages().stream().filter(m -> !m.at().isAfter(order.at()))
            .reduce((a, b) -> b);
        if (run.abandonedCart() && cause.isEmpty()) {
          runs.save(end(run, State.CANCELLED, new Conversion(eventId, order.channel(), Optional.empty(), order.at())));
          LOG.debug("abandoned cart run {} cancelled: {} ordered in {}", run.id(), profile, order.channel());
          continue;
        }
        String channel = cause.map(Message::channel).orElse(order.channel());
        runs.save(end(run, State.CONVERTED,
            new Conversion(eventId, channel, cause.map(Message::step), order.at())));
      }
    }
  }

  /** A promo code was redeemed (the event passed {@link #checkPromo}): it converts its run. */
  public void redeemed(ChannelEvent event, String code) {
    synchronized (lock) {
      Optional<CampaignRun> found = runs.byPromoCode(code);
      if (found.isEmpty() || found.get().state() != State.RUNNING) {
        return;
      }
      CampaignRun run = found.get();
      List<Message> before = run.messages().stream().filter(m -> !m.at().isAfter(event.at())).toList();
      Optional<Message> cause = before.stream().filter(m -> m.channel().equals(event.channel()))
          .reduce((a, b) -> b)
          .or(() -> before.stream().reduce((a, b) -> b));
      runs.save(end(run, State.CONVERTED,
          new Conversion(event.id(), event.channel(), cause.map(Message::step), event.at())));
    }
  }

  private static CampaignRun end(CampaignRun run, State state, Conversion conversion) {
    return new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
        state, run.step(), run.stepStartedAt(), run.stepSent(), run.messages(), run.cartChange(),
        Optional.of(conversion), Optional.of(conversion.at()));
  }

  @Override
  public CampaignRun cancel(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock) {
      CampaignRun run = run(id);
      if (run.state() != State.RUNNING) {
        return run;
      }
      CampaignRun cancelled = new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(),
          run.startedAt(), State.CANCELLED, run.step(), run.stepStartedAt(), run.stepSent(), run.messages(),
          run.cartChange(), Optional.empty(), Optional.of(clock.instant()));
      runs.save(cancelled);
      return cancelled;
    }
  }

  /** Moves the merged profile's runs to the survivor. Called from the identity merge listener. */
  public void merged(MergeEvent event) {
    synchronized (lock) {
      for (CampaignRun run : runs.byProfile(event.merged())) {
        runs.save(new CampaignRun(run.id(), event.survivor(), run.steps(), run.text(), run.promoCode(),
            run.startedAt(), run.state(), run.step(), run.stepStartedAt(), run.stepSent(), run.messages(),
            run.cartChange(), run.conversion(), run.endedAt()));
      }
      // Move the watch without reading the watch list: a copy of it per merge made ingest quadratic
      // (a 40,000-customer population fell below 2,000 events/s). Watching a survivor whose cart is
      // empty is harmless: the next advance unwatches it.
      runs.unwatchCart(event.merged());
      runs.watchCart(event.survivor());
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public CampaignRun run(String id) {
    Objects.requireNonNull(id, "id");
    if (Limits.problem(id, Limits.RUN_ID) != null) {
      throw new UnknownCampaignRunException(id); // no run has it, and PostgreSQL could not be asked
    }
    return runs.find(id).orElseThrow(() -> new UnknownCampaignRunException(id));
  }

  @Override
  public List<CampaignRun> runs(ProfileId profile) {
    return runs.byProfile(live(profile));
  }
}
