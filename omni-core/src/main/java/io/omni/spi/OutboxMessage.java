package io.omni.spi;

import io.omni.channel.Message;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A campaign message in the outbox of a {@link CampaignStore}: one per (run, step), keyed by its
 * {@link Message#idempotencyKey()}. {@code campaigns().advance(now)} puts a step's message there
 * when the step falls due ({@link CampaignStore#enqueue}); whichever instance claims it ({@link
 * CampaignStore#claim}) hands it to the sender outside every lock and then settles it ({@link
 * CampaignStore#settle}); the run reads the outcome from here.
 *
 * <p>The store only stores: core decides every transition with the methods below.
 *
 * @param message the message; its {@code at} is when it was put in the outbox, and once settled
 *     when it was sent, failed or dropped
 * @param status where it is
 * @param attempts how many times a sender failed on it
 * @param due when it may next be claimed (a failed attempt puts it off by the backoff)
 * @param leasedUntil while claimed, the instant the claim lapses and another instance may claim
 *     it; empty when no claim was made since the last attempt
 * @param claims how many times it was claimed; a claim holds it while this number is unchanged
 * @param lastFailure what the sender threw the last time, if it failed; for a dropped message, why
 *     it was dropped
 */
public record OutboxMessage(Message message, Status status, int attempts, Instant due,
    Optional<Instant> leasedUntil, int claims, Optional<String> lastFailure) {

  /** Checks for nulls and ranges. */
  public OutboxMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
    if (attempts < 0) {
      throw new IllegalArgumentException("outbox attempts must be 0 or more, was " + attempts);
    }
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(leasedUntil, "leasedUntil");
    if (claims < 0) {
      throw new IllegalArgumentException("outbox claims must be 0 or more, was " + claims);
    }
    Objects.requireNonNull(lastFailure, "lastFailure");
  }

  /** A message just put in the outbox: pending, due at its {@code at}, never tried. */
  public static OutboxMessage pending(Message message) {
    return new OutboxMessage(message, Status.PENDING, 0, message.at(), Optional.empty(), 0, Optional.empty());
  }

  /** Its key: {@link Message#idempotencyKey()}. */
  public String key() {
    return message.idempotencyKey();
  }

  /** This entry claimed once more, until {@code until}: what a store's {@link CampaignStore#claim} answers. */
  public OutboxMessage claimed(Instant until) {
    return new OutboxMessage(message, status, attempts, due, Optional.of(until), claims + 1, lastFailure);
  }

  /** This entry sent at {@code at}. */
  public OutboxMessage sent(Instant at) {
    return new OutboxMessage(at(at), Status.SENT, attempts, due, Optional.empty(), claims, lastFailure);
  }

  /** This entry after a failed attempt, due again at {@code due}. */
  public OutboxMessage retry(Instant due, String reason) {
    return new OutboxMessage(message, Status.PENDING, attempts + 1, due, Optional.empty(), claims,
        Optional.of(reason));
  }

  /** This entry failed for good at {@code at}: the last attempt failed too. */
  public OutboxMessage failed(Instant at, String reason) {
    return new OutboxMessage(at(at), Status.FAILED, attempts + 1, due, Optional.empty(), claims, Optional.of(reason));
  }

  /** This entry dropped unsent at {@code at}, for a reason. */
  public OutboxMessage dropped(Instant at, String reason) {
    return new OutboxMessage(at(at), Status.DROPPED, attempts, due, Optional.empty(), claims, Optional.of(reason));
  }

  private Message at(Instant at) {
    Message m = message;
    return new Message(m.channel(), m.to(), m.text(), m.runId(), m.promoCode(), m.profile(), m.step(), at);
  }

  /** Where an outbox entry is. */
  public enum Status {
    /** Not yet delivered: due, waiting for a retry, or claimed by an instance that is sending it. */
    PENDING,
    /** A sender took it (or, for a channel without one, {@code advance} returned it). */
    SENT,
    /** Every attempt failed; the run records the failure and moves on. */
    FAILED,
    /**
     * Never sent: the run had ended or moved on, consent was refused, or the recipient was
     * forgotten before it went out.
     */
    DROPPED
  }
}
