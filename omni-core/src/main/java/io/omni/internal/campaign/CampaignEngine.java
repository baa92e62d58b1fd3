package io.omni.internal.campaign;

import io.omni.InvalidEventException;
import io.omni.UnknownCampaignRunException;
import io.omni.UnknownProfileException;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.CampaignRun.Conversion;
import io.omni.campaign.CampaignRun.Failure;
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
import io.omni.internal.Tries;
import io.omni.internal.channel.CartPort;
import io.omni.internal.channel.ChannelRegistry;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign rules, once, over any {@link CampaignStore}: cascades, consent and reachability,
 * conversions, abandoned carts, and delivery through the store's outbox.
 *
 * <p>Locks. Every write of a run is a compare-and-set ({@link CampaignStore#replace}), re-applied
 * to what is stored when another writer came first, so that threads and instances sharing the
 * store never undo each other's changes (a conversion, a message recorded). The Omni's channel
 * lock, shared with event ingestion, is held by {@code advance} only for one such write and the
 * touchpoints it records, or for one watched cart's check — never while a run's next step is
 * worked out, never while a store claims messages, never while a sender runs — so an {@code
 * ingest} waits for one run write at most.
 *
 * <p>Delivery. {@code advance} first moves every running run on, putting a due step's message in
 * the outbox (one entry per run and step, ever); then claims due entries in batches, with a lease,
 * and for each claimed one reads its run again, sends it, and settles it (sent, retried later,
 * failed for good, or dropped), recording the outcome on the run.
 */
public final class CampaignEngine implements Campaigns {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignEngine.class);
  /** The optional attribute of a PROMO_REDEEMED event naming the run the code is expected to be of. */
  public static final String RUN_ATTRIBUTE = "run";
  private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  /**
   * Messages claimed at once: few, so that the lease covers their sends even through a slow
   * gateway (10 × 2 s is far within the default 5 minutes), and instances share a backlog.
   */
  static final int CLAIM_BATCH = 10;
  /** Compare-and-set attempts on one run before giving up: each failure means another writer progressed. */
  private static final int MAX_RUN_WRITES = 100;
  /**
   * Tries at recording the outcome of a claimed message (sent, failed, or to retry): a store that
   * failed once (a dropped connection) gets this many tries before the claim is left to lapse, which
   * sends a sent message a second time or tries a failed one without counting the failure.
   */
  static final int RECORD_TRIES = 3;

  /**
   * How messages are delivered.
   *
   * @param lease how long a claim holds a message before another instance may claim it again
   * @param attempts how many times a sender is tried on one message before it counts as failed
   * @param backoff the pause after the first failed attempt; it doubles after each further one
   */
  public record Delivery(Duration lease, int attempts, Duration backoff) {
    /** Checks for nulls and ranges. */
    public Delivery {
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(backoff, "backoff");
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
      }
    }

    /** The pause after {@code failed} failed attempts (1 or more): {@code backoff × 2^(failed − 1)}. */
    public Duration backoffAfter(int failed) {
      return backoff.multipliedBy(1L << Math.min(Math.max(failed - 1, 0), 20));
    }
  }

  private final Object lock;
  private final Identities identities;
  private final EventStore events;
  private final CampaignStore runs;
  private final ChannelRegistry channels;
  private final CartPort carts;
  private final Clock clock;
  private final AbandonedCartPolicy abandonedCarts;
  private final Delivery delivery;
  /** How long ended runs are kept (omni.prune): an abandoned cart older than this is not reminded of. */
  private final Duration retention;
  private final SecureRandom random = new SecureRandom();

  /** The engine; {@code abandonedCarts} may be {@code null} for none. */
  public CampaignEngine(Object lock, Identities identities, EventStore events, CampaignStore runs,
      ChannelRegistry channels, CartPort carts, Clock clock, AbandonedCartPolicy abandonedCarts, Delivery delivery,
      Duration retention) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.identities = identities;
    this.events = events;
    this.runs = runs;
    this.channels = channels;
    this.carts = carts;
    this.clock = clock;
    this.abandonedCarts = abandonedCarts;
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.retention = Objects.requireNonNull(retention, "retention");
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

  /**
   * Stores a new run. An abandoned-cart run takes an id made from its customer and cart change, so
   * that instances noticing one idle cart together store one run between them; {@code null} when
   * another got there first.
   */
  private CampaignRun create(ProfileId who, List<CascadeStep> steps, String text, Instant now,
      Optional<Instant> cartChange) {
    String code;
    do {
      code = token(4) + "-" + token(4);
    } while (runs.byPromoCode(code).isPresent());
    while (true) {
      String id = cartChange.isPresent() ? reminderId(who, cartChange.get()) : "run-" + token(12);
      CampaignRun run = new CampaignRun(id, who, steps, text, code, now, State.RUNNING, 0, now, false,
          List.of(), cartChange, Optional.empty(), Optional.empty(), List.of());
      if (runs.insert(run)) {
        LOG.debug("started campaign run {} for {} over {}", id, who, steps);
        return run;
      }
      if (cartChange.isPresent()) {
        return null;
      }
    }
  }

  /** The id of the reminder of one cart change: {@code run-} and 12 characters of a hash of both. */
  private static String reminderId(ProfileId who, Instant change) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(
          (who.value() + "|" + change).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    char[] out = new char[12];
    for (int i = 0; i < out.length; i++) {
      out[i] = CODE_ALPHABET[(hash[i] & 0xff) % CODE_ALPHABET.length];
    }
    return "run-" + new String(out);
  }

  private String token(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = CODE_ALPHABET[random.nextInt(CODE_ALPHABET.length)];
    }
    return new String(out);
  }

  // ------------------------------------------------------------------ advance

  /** What {@link #advance} runs first; Omni's sweep of owed merge carries. Nothing by default. */
  private volatile Consumer<Instant> beforeAdvance = now -> { };

  /**
   * Runs {@code step} at the start of every {@link #advance}, before any run moves on: Omni carries
   * the merges whose carrying is owed there, so that a run the carrying converts or moves is
   * stepped as it now is. The step must not throw (a failure of it must not stop the delivery).
   */
  public void beforeAdvance(Consumer<Instant> step) {
    this.beforeAdvance = Objects.requireNonNull(step, "step");
  }

  @Override
  public List<Message> advance(Instant now) {
    Limits.instant("now", now);
    beforeAdvance.accept(now);
    if (abandonedCarts != null) {
      startAbandonedCartRuns(now);
    }
    for (CampaignRun run : runs.running()) {
      moveOn(run, now);
    }
    return deliverDue(now);
  }

  /** Moves one run on to {@code now} by compare-and-set, putting its new messages on the journey. */
  private void moveOn(CampaignRun run, Instant now) {
    update(run, r -> step(r, now));
  }

  /**
   * The run moved on to {@code now}: steps skipped or escalated, the outcome of the current step's
   * outbox entry recorded, a due step's message put in the outbox (where the delivery takes it
   * from). Reads identities, consent and the outbox; puts at most one message in the outbox, which
   * is harmless to repeat (one entry per run and step, ever).
   */
  private CampaignRun step(CampaignRun run, Instant now) {
    if (run.state() != State.RUNNING) {
      return run;
    }
    List<CascadeStep> steps = run.steps();
    int index = run.step();
    Instant stepStart = run.stepStartedAt();
    boolean stepSent = run.stepSent();
    List<Message> messages = new ArrayList<>(run.messages());
    List<Failure> failures = new ArrayList<>(run.failures());
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
      Optional<OutboxMessage> entry = runs.outbox(run.id(), index);
      if (entry.isEmpty()) {
        Optional<Identifier> to = reach(run.profile(), step.channel());
        if (to.isEmpty()) {
          index++;
          continue;
        }
        runs.enqueue(new Message(step.channel(), to.get(), run.text(), run.id(), run.promoCode(), run.profile(),
            index, now));
        break;
      }
      OutboxMessage outcome = entry.get();
      if (outcome.status() == OutboxMessage.Status.PENDING) {
        break; // being delivered, or waiting for a retry: the window starts when it goes out
      }
      if (outcome.status() == OutboxMessage.Status.SENT) {
        messages.add(outcome.message());
        stepSent = true;
        stepStart = outcome.message().at();
        continue;
      }
      if (outcome.status() == OutboxMessage.Status.FAILED) {
        failures.add(failure(outcome));
        stepStart = outcome.message().at();
      }
      index++; // failed for good, or dropped unsent: the next step is due now
    }
    return new CampaignRun(run.id(), run.profile(), steps, run.text(), run.promoCode(), run.startedAt(), state,
        index, stepStart, stepSent, messages, run.cartChange(), run.conversion(), endedAt, failures);
  }

  private static Failure failure(OutboxMessage failed) {
    Message m = failed.message();
    return new Failure(m.step(), m.channel(), failed.attempts(), failed.lastFailure().orElse("unknown"), m.at());
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

  // ------------------------------------------------------------------ delivery

  /**
   * Delivers what is due in the outbox, a claimed batch at a time, until nothing due is left to
   * claim. Holds no Omni lock: the claim is committed by the store before any sender is called, and
   * only the write of a run after a send takes the lock.
   */
  private List<Message> deliverDue(Instant now) {
    Instant leaseUntil = now.plus(delivery.lease());
    List<Message> delivered = new ArrayList<>();
    for (List<OutboxMessage> batch; !(batch = runs.claim(now, leaseUntil, CLAIM_BATCH)).isEmpty(); ) {
      for (OutboxMessage claimed : batch) {
        deliver(claimed, now).ifPresent(delivered::add);
      }
    }
    return List.copyOf(delivered);
  }

  /**
   * Sends one claimed message, unless its run ended or moved on, or consent was refused, since it
   * was put in the outbox (read after the claim, so a conversion committed before the claim stops
   * it). An {@link Error} from a sender is not caught: the claim stays until its lease ends, and
   * another instance delivers the message again.
   */
  private Optional<Message> deliver(OutboxMessage claimed, Instant now) {
    Message message = claimed.message();
    Optional<String> stale = staleness(message);
    if (stale.isPresent()) {
      LOG.debug("not sending {}: {}", message.idempotencyKey(), stale.get());
      settle(claimed, claimed.dropped(now, stale.get()), now);
      return Optional.empty();
    }
    Message attempt = new Message(message.channel(), message.to(), message.text(), message.runId(),
        message.promoCode(), message.profile(), message.step(), now);
    Optional<MessageSender> sender = channels.sender(message.channel());
    if (sender.isPresent()) {
      try {
        sender.get().send(attempt);
      } catch (Exception e) {
        failed(claimed, e, now);
        return Optional.empty();
      }
    }
    // without a sender the caller delivers what advance returns: handing it over is the send
    recordSent(claimed, claimed.sent(now), now);
    return Optional.of(attempt);
  }

  /**
   * Records a message that went out, trying again when the store fails: left unrecorded, its claim
   * would lapse and the next {@code advance} would send it a second time. A try that failed after
   * its outbox write committed (the answer lost with the connection) leaves the row settled: the
   * next try finds nothing to change and leaves the run to the next {@code advance}, which reads the
   * step's outcome from the outbox. After {@value #RECORD_TRIES} tries the failure propagates
   * and the message may go out again, with the same key, once the lease ends.
   */
  private void recordSent(OutboxMessage claimed, OutboxMessage sent, Instant now) {
    settleTrying(claimed, sent, now, "went out", "it goes out again, with the same key, after its lease");
  }

  /**
   * Settles a claimed message, trying up to {@value #RECORD_TRIES} times when the store fails
   * ({@link #recordSent} says why a try may fail after its write committed, and why that is safe).
   */
  private void settleTrying(OutboxMessage claimed, OutboxMessage next, Instant now, String what, String otherwise) {
    try {
      Tries.upTo(RECORD_TRIES, () -> settle(claimed, next, now), (e, tried, tries) ->
          LOG.warn("{} {} but recording it failed (try {} of {}); trying again", next.key(), what, tried, tries, e));
    } catch (RuntimeException e) {
      LOG.error("{} {} but could not be recorded in {} tries; {}", next.key(), what, RECORD_TRIES, otherwise, e);
      throw e;
    }
  }

  /** Why a claimed message must not go out now, if it must not. */
  private Optional<String> staleness(Message message) {
    Optional<CampaignRun> found = runs.find(message.runId());
    if (found.isEmpty()) {
      return Optional.of("its run is not stored");
    }
    CampaignRun run = found.get();
    if (run.state() != State.RUNNING) {
      return Optional.of("the run ended " + run.state() + " before it went out");
    }
    if (run.step() != message.step() || run.stepSent()) {
      return Optional.of("the run moved on past step " + message.step());
    }
    Optional<ProfileId> live = identities.resolve(run.profile());
    if (live.isPresent() && !consented(live.get(), message.channel())) {
      return Optional.of("consent to " + message.channel() + " was refused before it went out");
    }
    return Optional.empty();
  }

  /**
   * Records a failed attempt, trying again when the store fails: left unrecorded, the claim would
   * lapse and the next {@code advance} would try the message as if for the first time, so that a
   * sender that keeps failing would be called more than {@code deliveryAttempts} times.
   */
  private void failed(OutboxMessage claimed, Exception e, Instant now) {
    Message message = claimed.message();
    String reason = Failure.cut(e.toString());
    int attempts = claimed.attempts() + 1;
    if (attempts >= delivery.attempts()) {
      LOG.warn("the sender of channel {} failed on {} for the {} time; recorded as failed on run {}, whose cascade "
          + "moves on to its next step", message.channel(), message.idempotencyKey(), ordinal(attempts),
          message.runId(), e);
      settleTrying(claimed, claimed.failed(now, reason), now, "failed for good",
          "it is tried once more after its lease");
    } else {
      Instant again = now.plus(delivery.backoffAfter(attempts));
      LOG.info("the sender of channel {} failed on {} (attempt {} of {}): {}; trying again at or after {}",
          message.channel(), message.idempotencyKey(), attempts, delivery.attempts(), reason, again);
      settleTrying(claimed, claimed.retry(again, reason), now, "failed",
          "the attempt is not counted, and the message is tried again after its lease");
    }
  }

  private static String ordinal(int n) {
    return n == 1 ? "first" : n + (n % 10 == 2 && n % 100 != 12 ? "nd" : n % 10 == 3 && n % 100 != 13 ? "rd" : "th");
  }

  /**
   * Stores the outcome of a claimed message and records it on its run. When the claim lapsed and
   * another instance holds the message, that instance records it instead.
   */
  private void settle(OutboxMessage claimed, OutboxMessage next, Instant now) {
    if (!runs.settle(claimed, next)) {
      LOG.debug("outbox entry {} was claimed again or dropped meanwhile; its holder records it", claimed.key());
      return;
    }
    if (next.status() == OutboxMessage.Status.PENDING) {
      return; // a retry is due later; the run waits for it
    }
    Optional<CampaignRun> found = runs.find(next.message().runId());
    if (found.isEmpty()) {
      return;
    }
    if (found.get().state() == State.RUNNING) {
      moveOn(found.get(), now);
    } else {
      update(found.get(), run -> late(run, next));
    }
  }

  /**
   * A run that ended while its message was out (a conversion between the check and the send):
   * the message is kept in its history all the same, and a failure said.
   */
  private static CampaignRun late(CampaignRun run, OutboxMessage settled) {
    int step = settled.message().step();
    List<Message> messages = new ArrayList<>(run.messages());
    List<Failure> failures = new ArrayList<>(run.failures());
    if (run.state() == State.RUNNING) {
      return run;
    } else if (settled.status() == OutboxMessage.Status.SENT && messages.stream().noneMatch(m -> m.step() == step)) {
      messages.add(settled.message());
    } else if (settled.status() == OutboxMessage.Status.FAILED && failures.stream().noneMatch(f -> f.step() == step)) {
      failures.add(failure(settled));
    } else {
      return run;
    }
    return new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
        run.state(), run.step(), run.stepStartedAt(), run.stepSent(), messages, run.cartChange(), run.conversion(),
        run.endedAt(), failures);
  }

  // ------------------------------------------------------------------ writing runs

  /** A run before and after a write; the same run twice when the change changed nothing. */
  private record Written(CampaignRun before, CampaignRun after) {}

  /**
   * Writes {@code change} of a run by compare-and-set: when another writer (a thread, or another
   * instance on the same store) changed the run since it was read, reads it again and applies the
   * change to what it finds, so that no write undoes another. The change is worked out with no lock
   * held (it may read identities, consent and the outbox); the lock is held for putting the
   * messages it records on the journey and for the write.
   */
  private Written update(CampaignRun seen, UnaryOperator<CampaignRun> change) {
    CampaignRun current = seen;
    for (int attempt = 1; ; attempt++) {
      CampaignRun next = change.apply(current);
      if (next.equals(current)) {
        return new Written(current, next);
      }
      synchronized (lock) {
        // the journey first: a touchpoint is appended once per event id however often it is
        // appended, so a write that fails after it (a dropped connection, a lost compare-and-set)
        // loses nothing and the next write doubles nothing; appended after the run's write, a
        // failure in between left the run holding a sent message its journey never showed
        Written written = new Written(current, next);
        journal(written);
        if (runs.replace(current, next)) {
          return written;
        }
      }
      Optional<CampaignRun> again = runs.find(seen.id());
      if (again.isEmpty()) {
        return new Written(seen, seen);
      }
      current = again.get();
      if (attempt >= MAX_RUN_WRITES) {
        throw new IllegalStateException("campaign run " + seen.id() + " changed under each of " + MAX_RUN_WRITES
            + " attempts to write it");
      }
    }
  }

  /**
   * Puts the messages a write records on the customer's journey, before the write: each message
   * went out already (its outbox entry says sent), and its touchpoint's event id ({@code
   * msg-<run>-<step>}) makes a second append of it, by a write that runs again or by another
   * writer, change nothing.
   */
  private void journal(Written written) {
    List<Message> before = written.before().messages();
    List<Message> after = written.after().messages();
    for (Message m : after.subList(Math.min(before.size(), after.size()), after.size())) {
      events.appendTouchpoint(written.after().profile(), Touchpoint.of("msg-" + m.runId() + "-" + m.step(),
          m.channel(), EventType.MESSAGE_SENT, m.at(), Map.of("run", m.runId(), "step", Integer.toString(m.step()),
              "promoCode", m.promoCode())));
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
      synchronized (lock) {
        remindIfAbandoned(watched, steps, now);
      }
    }
  }

  private void remindIfAbandoned(ProfileId watched, List<CascadeStep> steps, Instant now) {
    Optional<ProfileId> resolved = identities.resolve(watched);
    if (resolved.isEmpty() || !carts.hasLines(resolved.get())) {
      runs.unwatchCart(watched);
      return;
    }
    ProfileId who = resolved.get();
    if (!who.equals(watched)) {
      runs.unwatchCart(watched);
      runs.watchCart(who);
    }
    Optional<Instant> change = carts.lastChange(who);
    if (change.isEmpty() || now.isBefore(change.get().plus(abandonedCarts.idle()))) {
      return;
    }
    Instant changed = change.get();
    if (Duration.between(changed, now).compareTo(retention) > 0) {
      // its reminder, if it had one, may be pruned already: never remind of this change again
      runs.unwatchCart(who);
      return;
    }
    boolean orderedSince = events.orders(who).stream().anyMatch(o -> !o.at().isBefore(changed));
    boolean remindedAlready = runs.byProfile(who).stream()
        .anyMatch(r -> r.cartChange().filter(changed::equals).isPresent());
    if (orderedSince || remindedAlready) {
      return;
    }
    create(who, steps, abandonedCarts.text(), now, Optional.of(changed));
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
        update(run, r -> converted(r, order, eventId));
      }
    }
  }

  /**
   * The run converted (or, an abandoned-cart reminder before its first message, cancelled) by the
   * order, if the order came at or after its start and the run is running — or ended by a
   * conversion later than the order: a purchase delivered late converts the run as it would have
   * on time, so that the earliest purchase converts it whatever order they arrive in.
   */
  private static CampaignRun converted(CampaignRun run, Order order, String eventId) {
    if (order.at().isBefore(run.startedAt()) || !convertible(run, order.at(), eventId)) {
      return run;
    }
    Optional<Message> cause = run.messages().stream().filter(m -> !m.at().isAfter(order.at()))
        .reduce((a, b) -> b);
    if (run.abandonedCart() && cause.isEmpty()) {
      LOG.debug("abandoned cart run {} cancelled: {} ordered in {}", run.id(), run.profile(), order.channel());
      return end(run, State.CANCELLED, new Conversion(eventId, order.channel(), Optional.empty(), order.at()));
    }
    String channel = cause.map(Message::channel).orElse(order.channel());
    return end(run, State.CONVERTED, new Conversion(eventId, channel, cause.map(Message::step), order.at()));
  }

  /** A promo code was redeemed (the event passed {@link #checkPromo}): it converts its run. */
  public void redeemed(ChannelEvent event, String code) {
    synchronized (lock) {
      runs.byPromoCode(code).ifPresent(found -> update(found, run -> {
        if (!convertible(run, event.at(), event.id())) {
          return run;
        }
        List<Message> before = run.messages().stream().filter(m -> !m.at().isAfter(event.at())).toList();
        Optional<Message> cause = before.stream().filter(m -> m.channel().equals(event.channel()))
            .reduce((a, b) -> b)
            .or(() -> before.stream().reduce((a, b) -> b));
        return end(run, State.CONVERTED,
            new Conversion(event.id(), event.channel(), cause.map(Message::step), event.at()));
      }));
    }
  }

  /**
   * Whether an event at {@code at} may convert the run: it is running, or a conversion after that
   * event (later, or at the same instant with a greater event id) ended it.
   */
  private static boolean convertible(CampaignRun run, Instant at, String eventId) {
    if (run.state() == State.RUNNING) {
      return true;
    }
    if (run.state() != State.CONVERTED && run.state() != State.CANCELLED || run.conversion().isEmpty()) {
      return false;
    }
    Conversion earlier = run.conversion().get();
    int c = at.compareTo(earlier.at());
    return c < 0 || c == 0 && eventId.compareTo(earlier.eventId()) < 0;
  }

  private static CampaignRun end(CampaignRun run, State state, Conversion conversion) {
    return new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
        state, run.step(), run.stepStartedAt(), run.stepSent(), run.messages(), run.cartChange(),
        Optional.of(conversion), Optional.of(conversion.at()), run.failures());
  }

  @Override
  public CampaignRun cancel(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (lock) {
      Instant now = clock.instant();
      return update(run(id), run -> run.state() != State.RUNNING ? run
          : new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
              State.CANCELLED, run.step(), run.stepStartedAt(), run.stepSent(), run.messages(), run.cartChange(),
              Optional.empty(), Optional.of(now), run.failures())).after();
    }
  }

  /** Moves the merged profile's runs to the survivor. Called from the identity merge listener. */
  public void merged(MergeEvent event) {
    synchronized (lock) {
      // One customer now: each purchase either profile made converts the runs of the other, as it
      // would have had the merge come first. Purchases are read off the journeys (an ORDER
      // touchpoint names the event that carried it), which hold them until journey retention.
      // Converted before the runs move: a carry cut short here leaves the merged profile's runs
      // (or its journey, which Omni moves after this) for the next try to find.
      List<CampaignRun> mergedRuns = runs.byProfile(event.merged());
      List<CampaignRun> running = new ArrayList<>(runs.byProfile(event.survivor()));
      running.addAll(mergedRuns);
      if (!running.isEmpty()) {
        for (ProfileId side : List.of(event.survivor(), event.merged())) {
          for (Touchpoint t : events.touchpoints(side)) {
            if (t.type() == EventType.ORDER) {
              Order order = new Order(t.attributes().getOrDefault("order", t.eventId()), event.survivor(),
                  t.channel(), t.at(), List.of());
              for (CampaignRun found : running) {
                update(runs.find(found.id()).orElse(found), r -> converted(r, order, t.eventId()));
              }
            }
          }
        }
      }
      for (CampaignRun found : mergedRuns) {
        update(runs.find(found.id()).orElse(found), run -> !run.profile().equals(event.merged()) ? run
            : new CampaignRun(run.id(), event.survivor(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
                run.state(), run.step(), run.stepStartedAt(), run.stepSent(), run.messages(), run.cartChange(),
                run.conversion(), run.endedAt(), run.failures()));
      }
      // Move the watch without reading the watch list: a copy of it per merge made ingest quadratic
      // (a 40,000-customer population fell below 2,000 events/s). Watching a survivor whose cart is
      // empty is harmless: the next advance unwatches it. The survivor first: cut short between the
      // two, the merged profile is still watched, and the next try finds it.
      runs.watchCart(event.survivor());
      runs.unwatchCart(event.merged());
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
