package io.omni.spi;

import io.omni.campaign.CampaignRun;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Storage of campaign runs and of the outbox their messages go out through. The store only stores:
 * core moves runs on (cascades, conversions, abandoned carts) and writes each new snapshot with
 * {@link #replace}, a compare-and-set, so that instances sharing the store never undo each other's
 * writes; core decides every outbox transition too ({@link OutboxMessage}). Implementations must
 * be thread-safe, and on a shared database safe across processes.
 *
 * <p>The outbox is what lets many instances run {@code campaigns().advance(now)} at once: each
 * (run, step) has one entry ({@link #enqueue}); an instance {@link #claim claims} due entries,
 * with a lease, in a write that is durable before any sender is called; it {@link #settle settles}
 * each after the send, provided its claim still holds. A claim whose instance died lapses with its
 * lease, and another instance claims the entry again.
 */
public interface CampaignStore {

  /** Stores a run, replacing the one with its id if any. */
  void save(CampaignRun run);

  /**
   * Stores a new run unless a run with its id is stored already.
   *
   * @return whether it was stored
   */
  boolean insert(CampaignRun run);

  /**
   * Replaces the stored run with {@code next} (a run with the same id) if the stored one equals
   * {@code expected}, atomically: the compare-and-set every change of a run goes through.
   *
   * @return whether it was replaced; {@code false} when another writer changed the run since {@code
   *     expected} was read, or it is not stored
   */
  boolean replace(CampaignRun expected, CampaignRun next);

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

  // ------------------------------------------------------------------ the outbox

  /**
   * Puts a message in the outbox as {@link OutboxMessage#pending}, unless its run's step has an
   * entry already (in any status): one entry per (run, step), ever.
   *
   * @return whether it was put there
   */
  boolean enqueue(Message message);

  /** The outbox entry of a run's step, in whatever status it is. */
  Optional<OutboxMessage> outbox(String runId, int step);

  /**
   * Claims up to {@code max} entries that are {@link OutboxMessage.Status#PENDING}, due at or
   * before {@code now}, and not held by a claim (never claimed since their last attempt, or their
   * lease ended at or before {@code now}), oldest due first: each is answered as {@link
   * OutboxMessage#claimed claimed(leaseUntil)} of itself, and stored so. The claims are durable, and
   * visible to every other instance, when this returns; two claims never answer the same entry
   * while the lease of the first lasts. A store may keep {@code due} and the lease to the
   * microsecond.
   *
   * @return the claimed entries, possibly fewer than are due (rows other instances are claiming at
   *     that moment may be skipped)
   */
  List<OutboxMessage> claim(Instant now, Instant leaseUntil, int max);

  /**
   * Settles a claimed entry: stores {@code next} (the same key; another status, attempt count, due
   * time or message time) if the stored entry is still {@link OutboxMessage.Status#PENDING} and
   * claimed by {@code claimed} (its claim count unchanged). A settled entry holds no lease.
   *
   * @return whether it was stored; {@code false} when the claim lapsed and another instance claimed
   *     the entry, or it was dropped (its recipient forgotten) meanwhile
   */
  boolean settle(OutboxMessage claimed, OutboxMessage next);

  /**
   * Removes every run that ended ({@link CampaignRun#state()} other than {@link
   * CampaignRun.State#RUNNING}) before {@code endedBefore}, by its {@link CampaignRun#endedAt()},
   * together with every outbox entry of those runs; a running run and its entries are never
   * removed, since an entry is what keeps its step from going out twice. Core calls it from {@code
   * omni.prune(now)}; calling it again removes nothing more.
   *
   * <p>The default removes nothing: a store that does not implement it keeps every run and every
   * outbox entry for ever, which is safe, only unbounded.
   *
   * @return how many runs were removed
   */
  default long pruneEnded(Instant endedBefore) {
    return 0;
  }

  /**
   * What a message's recipient becomes once its identifier is forgotten: {@code
   * forgotten:forgotten}. The message itself stays, so that a later conversion is still attributed
   * to the step that sent it.
   */
  Identifier FORGOTTEN = Identifier.of(IdentifierType.of("forgotten"), "forgotten");

  /**
   * Erases a forgotten identifier from the stored runs and the outbox: every run becomes {@link
   * #withoutIdentifier(CampaignRun, Identifier)} of itself; every outbox entry addressed to it is
   * addressed to {@link #FORGOTTEN} instead, and a {@link OutboxMessage.Status#PENDING} one becomes
   * {@link OutboxMessage.Status#DROPPED} (it must not go out); the value is replaced by {@code
   * forgotten} in the failure texts of both. Core calls it after {@code
   * identities().forget(identifier)}; calling it again changes nothing.
   */
  void forget(Identifier identifier);

  /**
   * A run whose messages to the identifier are addressed to {@link #FORGOTTEN} instead; the same
   * run when none was sent to it. The one rule every store applies.
   */
  static CampaignRun withoutIdentifier(CampaignRun run, Identifier identifier) {
    String value = identifier.value();
    if (run.messages().stream().noneMatch(m -> m.to().equals(identifier))
        && run.failures().stream().noneMatch(f -> f.reason().contains(value))) {
      return run;
    }
    List<Message> messages = new ArrayList<>(run.messages().size());
    for (Message m : run.messages()) {
      messages.add(!m.to().equals(identifier) ? m
          : new Message(m.channel(), FORGOTTEN, m.text(), m.runId(), m.promoCode(), m.profile(), m.step(), m.at()));
    }
    List<CampaignRun.Failure> failures = new ArrayList<>(run.failures().size());
    for (CampaignRun.Failure f : run.failures()) {
      failures.add(!f.reason().contains(value) ? f
          : new CampaignRun.Failure(f.step(), f.channel(), f.attempts(), withoutValue(f.reason(), value), f.at()));
    }
    return new CampaignRun(run.id(), run.profile(), run.steps(), run.text(), run.promoCode(), run.startedAt(),
        run.state(), run.step(), run.stepStartedAt(), run.stepSent(), messages, run.cartChange(),
        run.conversion(), run.endedAt(), failures);
  }

  /**
   * An outbox entry without a forgotten identifier: readdressed to {@link #FORGOTTEN} if it was
   * addressed to it, dropped if it was still pending, the value taken out of its failure text; the
   * same entry when it holds none of these. The one rule every store applies to its outbox.
   */
  static OutboxMessage withoutIdentifier(OutboxMessage entry, Identifier identifier) {
    Message m = entry.message();
    boolean addressed = m.to().equals(identifier);
    boolean named = entry.lastFailure().filter(f -> f.contains(identifier.value())).isPresent();
    if (!addressed && !named) {
      return entry;
    }
    Message message = !addressed ? m
        : new Message(m.channel(), FORGOTTEN, m.text(), m.runId(), m.promoCode(), m.profile(), m.step(), m.at());
    boolean drop = addressed && entry.status() == OutboxMessage.Status.PENDING;
    return new OutboxMessage(message, drop ? OutboxMessage.Status.DROPPED : entry.status(), entry.attempts(),
        entry.due(), drop ? Optional.empty() : entry.leasedUntil(), entry.claims(),
        drop ? Optional.of(RECIPIENT_FORGOTTEN)
            : entry.lastFailure().map(f -> withoutValue(f, identifier.value())));
  }

  /** Why an outbox entry addressed to a forgotten identifier was dropped. */
  String RECIPIENT_FORGOTTEN = "the recipient was forgotten";

  /** A text with every occurrence of a forgotten value replaced by {@code forgotten}. */
  static String withoutValue(String text, String value) {
    return text.replace(value, "forgotten");
  }
}
