package io.omni.campaign;

import io.omni.channel.Message;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One campaign for one customer: a cascade in progress and how it ended. A snapshot read from
 * {@code omni.campaigns().run(id)}; runs change only through {@code campaigns().advance(now)} and
 * the events {@code omni.ingest(...)} sees.
 *
 * <p>Stores persist it as it is (it is the record {@link io.omni.spi.CampaignStore} keeps); the
 * rules that move it on live in core.
 *
 * @param id the run's id
 * @param profile the customer
 * @param steps the steps in the order they run (a cheapest-first cascade already sorted)
 * @param text the message text
 * @param promoCode the code generated for this run; redeeming it anywhere converts the run
 * @param startedAt when the run started; orders at or after it convert it
 * @param state where the run is
 * @param step the index of the current step; {@code steps.size()} once past the last
 * @param stepStartedAt when the current step started, or when its message went out once it has
 * @param stepSent whether the current step's message went out
 * @param messages the messages sent, oldest first
 * @param cartChange for a run started by an {@link AbandonedCartPolicy}, the time of the cart
 *     change it reminds of
 * @param conversion how the run ended by the customer converting or ordering, if it did
 * @param endedAt when the run stopped being {@link State#RUNNING}
 * @param failures the steps whose message could not be delivered (the sender failed on every
 *     attempt), oldest first; the cascade moved on past each
 */
public record CampaignRun(
    String id,
    ProfileId profile,
    List<CascadeStep> steps,
    String text,
    String promoCode,
    Instant startedAt,
    State state,
    int step,
    Instant stepStartedAt,
    boolean stepSent,
    List<Message> messages,
    Optional<Instant> cartChange,
    Optional<Conversion> conversion,
    Optional<Instant> endedAt,
    List<Failure> failures) {

  /** Checks for nulls and copies the lists. */
  public CampaignRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profile, "profile");
    steps = List.copyOf(steps);
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(promoCode, "promoCode");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(state, "state");
    if (step < 0 || step > steps.size()) {
      throw new IllegalArgumentException("run " + id + " step must be 0 to " + steps.size() + ", was " + step);
    }
    Objects.requireNonNull(stepStartedAt, "stepStartedAt");
    messages = List.copyOf(messages);
    Objects.requireNonNull(cartChange, "cartChange");
    Objects.requireNonNull(conversion, "conversion");
    Objects.requireNonNull(endedAt, "endedAt");
    failures = List.copyOf(failures);
  }

  /**
   * A run without failed steps: the record as it was before delivery failures were recorded, kept
   * so that code written against it still compiles.
   */
  public CampaignRun(String id, ProfileId profile, List<CascadeStep> steps, String text, String promoCode,
      Instant startedAt, State state, int step, Instant stepStartedAt, boolean stepSent, List<Message> messages,
      Optional<Instant> cartChange, Optional<Conversion> conversion, Optional<Instant> endedAt) {
    this(id, profile, steps, text, promoCode, startedAt, state, step, stepStartedAt, stepSent, messages, cartChange,
        conversion, endedAt, List.of());
  }

  /** The channel that converted the run, if it converted. */
  public Optional<String> convertedVia() {
    return state == State.CONVERTED ? conversion.map(Conversion::channel) : Optional.empty();
  }

  /** The index of the step that converted the run, if it converted after a message. */
  public Optional<Integer> convertedStep() {
    return state == State.CONVERTED ? conversion.flatMap(Conversion::step) : Optional.empty();
  }

  /** Whether the run was started by an {@link AbandonedCartPolicy}. */
  public boolean abandonedCart() {
    return cartChange.isPresent();
  }

  /** The indexes of the steps whose message could not be delivered, oldest first. */
  public List<Integer> failedSteps() {
    return failures.stream().map(Failure::step).toList();
  }

  /** Where a run is. */
  public enum State {
    /** Messages are still due. */
    RUNNING,
    /** The customer ordered or redeemed the promo code; nothing more is sent. */
    CONVERTED,
    /** Every step was sent or skipped and the last window passed without a conversion. */
    EXHAUSTED,
    /**
     * Stopped without a conversion: by {@code campaigns().cancel(id)}, or an abandoned-cart run
     * whose owner ordered before any reminder went out.
     */
    CANCELLED
  }

  /**
   * What ended a run by the customer acting.
   *
   * @param eventId the event that converted it (an order or a promo redemption)
   * @param channel for a promo redemption the channel it was redeemed in; for an order the channel
   *     of the step whose message went out last before it (the order's own channel when none had)
   * @param step the step whose message caused it: for a promo redemption the step that sent the
   *     code in the redeeming channel, else the latest sent before the conversion; empty when no
   *     message had gone out
   * @param at when it happened
   */
  public record Conversion(String eventId, String channel, Optional<Integer> step, Instant at) {
    /** Checks for nulls. */
    public Conversion {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A step whose message could not be delivered: its sender threw on every attempt Omni allows
   * ({@code Omni.builder().deliveryAttempts(n)}). The cascade moved on to the next step.
   *
   * @param step the index of the step
   * @param channel the step's channel
   * @param attempts how many times the sender was tried
   * @param reason what the sender threw the last time (its class and message, cut to {@value
   *     #MAX_REASON_LENGTH} characters)
   * @param at when the last attempt failed
   */
  public record Failure(int step, String channel, int attempts, String reason, Instant at) {
    /** The longest reason kept; a longer one is cut. */
    public static final int MAX_REASON_LENGTH = 1000;

    /** Checks for nulls and ranges, and cuts a long reason. */
    public Failure {
      if (step < 0) {
        throw new IllegalArgumentException("failure step must be 0 or more, was " + step);
      }
      Objects.requireNonNull(channel, "channel");
      if (attempts < 1) {
        throw new IllegalArgumentException("failure attempts must be 1 or more, was " + attempts);
      }
      reason = cut(Objects.requireNonNull(reason, "reason"));
      Objects.requireNonNull(at, "at");
    }

    /** A reason cut to {@value #MAX_REASON_LENGTH} characters, never between the halves of a surrogate pair. */
    public static String cut(String reason) {
      if (reason.length() <= MAX_REASON_LENGTH) {
        return reason;
      }
      int end = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1)) ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH;
      return reason.substring(0, end);
    }
  }
}
