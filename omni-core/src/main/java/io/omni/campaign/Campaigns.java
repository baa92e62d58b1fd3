package io.omni.campaign;

import io.omni.UnknownCampaignRunException;
import io.omni.UnknownChannelException;
import io.omni.UnknownProfileException;
import io.omni.channel.Message;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.List;

/**
 * Cascade campaigns: reach a customer through the cheapest channel they can be reached in, escalate
 * when a window passes without reaction, stop the moment they convert in any channel. Obtained from
 * {@code omni.campaigns()}.
 *
 * <pre>{@code
 * CampaignRun run = omni.campaigns().start(cascade, ann, "Your favourite SKU-1 is 30% off");
 * omni.campaigns().advance(clock.instant());   // the email goes out
 * // a day later, nobody reacted
 * omni.campaigns().advance(clock.instant());   // the SMS goes out
 * omni.campaigns().run(run.id()).state();      // RUNNING
 * }</pre>
 *
 * <p>Omni starts no threads: the application calls {@link #advance(Instant)} from its own
 * scheduler, as often as it likes. A run converts at the first order in any channel at or after
 * its start, or when its promo code is redeemed anywhere; {@code omni.ingest(...)} sees both.
 */
public interface Campaigns {

  /**
   * Starts a run now. Nothing is sent until the next {@link #advance(Instant)}.
   *
   * @param cascade the channels to try, in order
   * @param profile the customer
   * @param text the message text
   * @return the new run, {@link CampaignRun.State#RUNNING}, with a generated promo code
   * @throws UnknownProfileException if the profile was never issued
   * @throws UnknownChannelException if a step names a channel this Omni does not know
   * @throws IllegalArgumentException if a step's channel carries no messages, or the text is blank,
   *     longer than 65,536 characters or holds NUL or a lone surrogate
   */
  CampaignRun start(Cascade cascade, ProfileId profile, String text);

  /**
   * Moves every running run on to {@code now} and delivers the messages that are due: skips steps
   * without consent or a reachable identifier, escalates runs whose window passed, ends runs past
   * their last window as {@link CampaignRun.State#EXHAUSTED}, starts abandoned-cart runs when a
   * policy is set, and hands each due message to its channel's sender.
   *
   * <p><b>Many instances.</b> Any number of threads and of instances sharing a store (separate
   * {@code Omni}s on one database) may call {@code advance} at once. A due step's message is put in
   * the store's outbox once per (run, step); an instance <em>claims</em> it there, with a lease of
   * {@code deliveryLease} (5 minutes by default), in a write that commits before any sender is
   * called, so a claimed message is sent by the one instance that claimed it.
   *
   * <p><b>The guarantee</b> is at-least-once delivery with a stable key: every copy of a message
   * that reaches a sender carries the same {@link Message#idempotencyKey()} ({@code runId:step}).
   * In the absence of crashes, and of sends slower than the lease, each (run, step) message reaches
   * a sender exactly once. A second copy goes out only when an instance stopped between its claim
   * and recording the send (it died, a sender threw an {@link Error} or blocked past the lease), or
   * its store failed three tries in a row at recording it (one failure that passes, such as a
   * dropped connection, is tried again at once):
   * once the lease has ended, the next {@code advance} at or after its end, on any instance, claims
   * and sends the message again. Give the key to the gateway so that it drops such copies.
   *
   * <p><b>Locks.</b> Senders are called on the caller's thread outside every Omni lock, after the
   * claim has committed: {@code ingest} on other threads never waits for a sender, only, at most,
   * for one write of a run (a compare-and-set and the touchpoints it records).
   *
   * <p><b>Failures.</b> A sender that throws (an exception, not an {@link Error}) is tried again at
   * the first {@code advance} at or after {@code deliveryBackoff} (1 minute by default, doubling
   * after each further failure), up to {@code deliveryAttempts} tries (5 by default); then the run
   * records the step as failed ({@link CampaignRun#failures()}) and its cascade moves on to the
   * next step. The run's window for a step starts when its message was sent.
   *
   * <p><b>Conversions.</b> After claiming a message and before sending it, {@code advance} reads its
   * run again: a run converted, cancelled or moved on since the message fell due, or a customer who
   * refused consent to the channel meanwhile, gets nothing (the message is dropped). A conversion
   * that lands between that read and the send does not stop the message; the run keeps it in its
   * history.
   *
   * <p><b>Owed merge carries.</b> First, before any run moves on, {@code advance} repairs identity
   * merges whose carrying to the other stores did not complete: a merge is noted as owed in the
   * identity write that makes it, and the note is removed once the merged profile's cart is folded,
   * its runs converted or moved and its journey moved. When that carrying failed after the merge
   * committed and the caller never retried the write (or the process died in between), the note
   * stays, and {@code advance} carries the notes older than {@code now} minus the {@code
   * carryRepairGrace} (1 minute by default), up to 1,000 per call (10 chunks of 100), into the live profile
   * each merged profile resolves to. Instances that do it at once may carry a merge twice, which
   * changes nothing. A merge whose carrying fails is logged and its note postponed to {@code now}:
   * a call a grace period later tries it again, behind the others, so merges that keep failing do
   * not hold up the rest. Any other failure here is logged and leaves the notes for the next call;
   * the delivery goes on. So call {@code advance} periodically even without campaigns.
   *
   * <p>Times — due, lease and backoff — are judged by the {@code now} each caller passes: give
   * every instance its clock's time.
   *
   * @return the messages this call delivered, in the order it sent them: those its senders took,
   *     and those of channels without a sender, which the caller delivers (they count as sent once
   *     returned, so they go out at most once). A message another instance claimed is delivered
   *     by, and returned from, that instance.
   * @throws IllegalArgumentException if {@code now} is before 1970-01-01T00:00:00Z or after
   *     5999-12-31T23:59:59.999999999Z, the times Omni stamps; nothing is sent or stored
   */
  List<Message> advance(Instant now);

  /**
   * Stops a run: nothing more is sent and it ends {@link CampaignRun.State#CANCELLED}. A run that
   * already ended is left as it is.
   *
   * @return the run as it is now
   * @throws UnknownCampaignRunException if no run has this id
   */
  CampaignRun cancel(String id);

  /**
   * A run as it is now.
   *
   * @throws UnknownCampaignRunException if no run has this id
   */
  CampaignRun run(String id);

  /** Every run of a customer, oldest first. */
  List<CampaignRun> runs(ProfileId profile);
}
