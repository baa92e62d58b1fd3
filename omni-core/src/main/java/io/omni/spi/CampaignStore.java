package io.omni.spi;

import io.omni.campaign.CampaignRun;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Storage of campaign runs. The store only stores: core moves runs on (cascades, conversions,
 * abandoned carts) and saves each new snapshot. Implementations must be thread-safe.
 */
public interface CampaignStore {

  /** Stores a run, replacing the one with its id if any. */
  void save(CampaignRun run);

  /** The run with this id. */
  Optional<CampaignRun> find(String id);

  /** The run whose promo code this is. */
  Optional<CampaignRun> byPromoCode(String promoCode);

  /** Every run in state {@link CampaignRun.State#RUNNING}, in the order they were first saved. */
  List<CampaignRun> running();

  /** Every run of a profile id as saved (core re-saves runs under the survivor after a merge), oldest first. */
  List<CampaignRun> byProfile(ProfileId profile);

  /**
   * Notes a profile whose cart changed, to be looked at for an abandoned cart; noting it again
   * changes nothing.
   */
  void watchCart(ProfileId profile);

  /** Stops looking at a profile's cart (it was emptied, or the profile merged into another). */
  void unwatchCart(ProfileId profile);

  /** The profiles whose carts are looked at, in the order first noted. */
  List<ProfileId> watchedCarts();

  /**
   * Which of these profiles have a campaign run or a watched cart: those a merge must move. The
   * default reads runs profile by profile and the watch list once; a database store answers in a
   * query.
   */
  default Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = new HashSet<>();
    for (ProfileId p : profiles) {
      if (!byProfile(p).isEmpty()) {
        holding.add(p);
      }
    }
    if (holding.size() < profiles.size()) {
      Set<ProfileId> watched = new HashSet<>(watchedCarts());
      for (ProfileId p : profiles) {
        if (watched.contains(p)) {
          holding.add(p);
        }
      }
    }
    return holding;
  }

  /**
   * What a message's recipient becomes once its identifier is forgotten: {@code
   * forgotten:forgotten}. The message itself stays, so that a later conversion is still attributed
   * to the step that sent it.
   */
  Identifier FORGOTTEN = Identifier.of(IdentifierType.of("forgotten"), "forgotten");

  /**
   * Erases a forgotten identifier from the stored runs: every run becomes {@link
   * #withoutIdentifier(CampaignRun, Identifier)} of itself. Core calls it after {@code
   * identities().forget(identifier)}; calling it again changes nothing.
   */
  void forget(Identifier identifier);

  /**
   * A run whose messages to the identifier are addressed to {@link #FORGOTTEN} instead; the same
   * run when none was sent to it. The one rule every store applies.
   */
  static CampaignRun withoutIdentifier(CampaignRun run, Identifier identifier) {
    if (run.messages().stream().noneMatch(m -> m.to().equals(identifier))) {
      return run;
    }
    List<Message> messages = new ArrayList<>(run.messages().size());
    for (Message m : run.messages()) {
      messages.add(!m.to().equals(identifier) ? m
          : new Message(m.channel(), FORGOTTEN, m.text(), m.runId(), m.promoCode(), m.profile(), m.step(), m.at()));
    }
    return new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
        run.state(), run.step(), run.stepStartedAt(), run.stepSent(), messages, run.cartChange(),
        run.conversion(), run.endedAt());
  }
}
