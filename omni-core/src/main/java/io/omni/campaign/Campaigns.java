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
   * Moves every running run on to {@code now}: sends the messages that are due through the
   * senders, skips steps without consent or a reachable identifier, escalates runs whose window
   * passed, ends runs past their last window as {@link CampaignRun.State#EXHAUSTED}, and starts
   * abandoned-cart runs when a policy is set.
   *
   * @return the messages sent, in the order they were sent
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
