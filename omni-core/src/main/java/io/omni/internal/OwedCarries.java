package io.omni.internal;

import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.identity.IdentityEngine;
import io.omni.internal.identity.LeftBehind;
import io.omni.spi.OmniStore;
import io.omni.spi.OwedCarry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries identity merges to the other stores (the merged profile's cart, campaign runs, journey)
 * and keeps the ledger of the carries still owed.
 *
 * <p>Every merge an identity write makes is noted as owed in the write's own transaction ({@link
 * io.omni.spi.IdentityTransaction#owe}); after the commit, {@link #carry} carries the write's
 * merges and removes their notes in one call ({@link io.omni.spi.IdentityStore#carried}). A
 * carrying that fails (a dropped connection), or a process that dies between the commit and the
 * carrying, leaves the notes: a caller that retries the write gets its merges carried by {@link
 * #carryLeftBehind}, and one that never retries (a shop's checkout that logs and moves on) gets
 * them carried by {@link #sweep}, which {@code campaigns().advance(now)} runs first.
 *
 * <p>The sweep carries the notes older than a grace period (a younger one is probably being
 * carried right now by the write that made it), into the live profile the merged one resolves to
 * at that time, a chunk at a time, and removes each chunk's notes with one call. It claims nothing:
 * instances that sweep at once may carry the same merge twice, which is harmless because every step
 * is idempotent under concurrency — the cart fold is a compare-and-set that records the merge's id
 * in the survivor's cart (so {@code SUM} never doubles), campaign runs are converted and moved by
 * compare-and-set, and the journey moves by {@code UPDATE … WHERE profile = merged}, which the
 * second mover finds empty. A merge whose carrying fails is logged and its note postponed to the
 * sweep's time ({@link io.omni.spi.IdentityStore#postpone}): it is tried again a grace period later,
 * behind the notes made meanwhile, so that merges that keep failing (a bug, a row the database
 * refuses) never hold up the others; the others of its chunk are carried, and so are the next
 * chunks.
 */
public final class OwedCarries {
  private static final Logger LOG = LoggerFactory.getLogger(OwedCarries.class);
  /** How many notes the sweep reads, carries and removes at a time. */
  static final int CHUNK = 100;
  /** How many chunks one sweep carries at most, so that an {@code advance} is not held up for long. */
  static final int MAX_CHUNKS = 10;

  private final OmniStore store;
  private final IdentityEngine identities;
  private final Consumer<MergeEvent> carryOne;
  private final Duration grace;
  private volatile Metrics metrics = Metrics.NONE;

  /**
   * Creates the ledger over the store's identity, cart, event and campaign stores.
   *
   * @param identities resolves a merged profile to the live one, and names the profiles merged into one
   * @param carryOne carries one merge to the other stores; idempotent, and leaving something the
   *     holding questions find until its last step
   * @param grace how old a note must be before the sweep carries it
   */
  public OwedCarries(OmniStore store, IdentityEngine identities, Consumer<MergeEvent> carryOne, Duration grace) {
    this.store = Objects.requireNonNull(store, "store");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.carryOne = Objects.requireNonNull(carryOne, "carryOne");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** Reports what each sweep carried and failed to. */
  public void metrics(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Which of some merged profiles still hold something in the other stores: an unfolded cart,
   * journey rows, campaign runs or a watched cart. One question to each store.
   */
  private record Held(Set<ProfileId> carts, Set<ProfileId> events, Set<ProfileId> runs) {
    boolean none() {
      return carts.isEmpty() && events.isEmpty() && runs.isEmpty();
    }

    boolean holds(ProfileId merged) {
      return carts.contains(merged) || events.contains(merged) || runs.contains(merged);
    }

    Set<ProfileId> all() {
      Set<ProfileId> all = new HashSet<>(carts);
      all.addAll(events);
      all.addAll(runs);
      return all;
    }
  }

  private Held held(Collection<ProfileId> merged) {
    return new Held(store.carts().holding(merged), store.events().holding(merged), store.campaigns().holding(merged));
  }

  /**
   * Carries the merges of one identity write, then removes their notes. Profiles that hold nothing
   * are skipped after one question to each store, so that a batch of logins merging anonymous
   * profiles costs a query per table rather than a dozen writes per merge, and one statement to
   * remove the batch's notes.
   *
   * <p>A step that fails fails the write that merged (the merge itself stands, committed, and so
   * do its notes), so that {@code ingest} does not mark the event processed; its retry, or the
   * sweep, carries what is left behind. A removal of the notes that fails is logged: the sweep
   * carries those merges again, finding nothing left to do.
   */
  public void carry(List<MergeEvent> merges) {
    // a profile is merged away once in a write (and named once in mergedFrom): a list will do
    List<ProfileId> mergedAway;
    if (merges.size() == 1) {
      mergedAway = List.of(merges.get(0).merged()); // the usual link: one merge
    } else {
      mergedAway = new ArrayList<>(merges.size());
      for (MergeEvent merge : merges) {
        mergedAway.add(merge.merged());
      }
    }
    carry(merges, held(mergedAway));
    settled(mergedAway);
  }

  private void carry(List<MergeEvent> merges, Held held) {
    if (held.none()) {
      return; // the merged profiles hold nothing; reads of their ids reach the survivor through its alias
    }
    for (MergeEvent merge : merges) {
      if (held.holds(merge.merged())) {
        carryOne.accept(merge);
      }
    }
  }

  /** Removes the notes of merges that are carried; a failure is logged, the sweep will carry them again. */
  private void settled(Collection<ProfileId> merged) {
    try {
      store.identities().carried(merged);
    } catch (RuntimeException e) {
      LOG.warn("the merges of {} are carried, but their notes could not be removed; the sweep of advance will "
          + "carry them again (nothing is left to do)", merged, e);
    }
  }

  /**
   * Carries to {@code profile} whatever the profiles merged into it still hold in the other stores:
   * what a merge whose carrying failed midway left behind. {@code ingest} calls it for an event
   * linked before but not processed, before it applies the event again; {@code identities()} for a
   * link of an event linked before and a join of a pair joined before. When something was carried,
   * the notes of those merges are removed; when nothing was, any note left is the sweep's (it costs
   * a redelivery no statement).
   */
  public void carryLeftBehind(ProfileId profile, String cause, String channel, Instant at) {
    ProfileId live = identities.resolve(profile).orElse(profile);
    List<MergeEvent> merges = new ArrayList<>();
    List<ProfileId> mergedAway = new ArrayList<>();
    for (ProfileId merged : identities.profile(live).mergedFrom()) {
      merges.add(new MergeEvent(live, merged, cause, channel, at));
      mergedAway.add(merged);
    }
    if (merges.isEmpty()) {
      return;
    }
    Held held = held(mergedAway);
    if (!held.none()) {
      carry(merges, held);
      settled(mergedAway);
    }
  }

  /**
   * Carries what the merges into the profiles of a batch's redelivered links left behind ({@code
   * identities().linkAll} retried after its carrying failed): the three stores are asked once which
   * of the merged profiles hold something, and only those, the rare case, are carried, each merge
   * as the link that made it ({@link IdentityEngine#onLeftBehind}); then their notes are removed.
   */
  public void carryLeftBehind(LeftBehind left) {
    Held held = held(left.merged());
    if (!held.none()) { // the merge events are read only for what is left behind, the rare case
      carry(left.merges(held.all()), held);
      settled(left.merged());
    }
  }

  /**
   * Carries the merges noted as owed more than the grace period before {@code now}, each into the
   * live profile its merged profile resolves to now, and removes their notes: up to {@value
   * #MAX_CHUNKS} chunks of {@value #CHUNK}. The notes of the merges whose carrying failed are
   * postponed to {@code now} ({@link io.omni.spi.IdentityStore#postpone}, one call per chunk): they
   * wait a grace period again, behind the others, so that merges that keep failing never hold up
   * the ones that carry, and the sweep goes on to its next chunk. Never throws: a failure to read,
   * remove or postpone notes is logged and ends this sweep, leaving the rest for the next, so that
   * {@code advance} goes on to deliver.
   *
   * @return how many owed merges this sweep settled
   */
  public int sweep(Instant now) {
    Instant before = now.minus(grace);
    int settled = 0;
    Set<ProfileId> failed = new HashSet<>();
    try {
      for (int chunk = 0; chunk < MAX_CHUNKS; chunk++) {
        List<OwedCarry> owed = store.identities().owedCarries(before, CHUNK);
        if (owed.isEmpty() || readAgain(owed, failed)) {
          break; // a store that does not postpone answers what failed again: it waits for the next sweep
        }
        List<ProfileId> done = carryOwed(owed);
        if (!done.isEmpty()) {
          store.identities().carried(done);
          settled += done.size();
        }
        if (done.size() < owed.size()) {
          List<ProfileId> notDone = notDone(owed, done);
          failed.addAll(notDone);
          store.identities().postpone(notDone, now);
        }
        if (owed.size() < CHUNK) {
          break;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("the sweep of owed merge carries failed after settling {} ({} failed to carry and were postponed); "
          + "the rest are left for the next advance", settled, failed.size(), e);
      metrics.owedCarries(settled, failed.size());
      return settled;
    }
    metrics.owedCarries(settled, failed.size());
    if (settled > 0 || !failed.isEmpty()) {
      LOG.info("carried {} merges whose carrying after their write had not completed; {} failed and are postponed "
          + "by the grace period", settled, failed.size());
    }
    return settled;
  }

  /** Whether a chunk holds a merge this sweep failed to carry already. */
  private static boolean readAgain(List<OwedCarry> owed, Set<ProfileId> failed) {
    if (failed.isEmpty()) {
      return false;
    }
    for (OwedCarry o : owed) {
      if (failed.contains(o.merged())) {
        return true;
      }
    }
    return false;
  }

  private static List<ProfileId> notDone(List<OwedCarry> owed, List<ProfileId> done) {
    Set<ProfileId> carried = new HashSet<>(done);
    List<ProfileId> notDone = new ArrayList<>(owed.size() - done.size());
    for (OwedCarry o : owed) {
      if (!carried.contains(o.merged())) {
        notDone.add(o.merged());
      }
    }
    return notDone;
  }

  /** Carries one chunk of owed merges; answers the merged profiles whose carrying is done. */
  private List<ProfileId> carryOwed(List<OwedCarry> owed) {
    List<ProfileId> mergedAway = new ArrayList<>(owed.size());
    for (OwedCarry o : owed) {
      mergedAway.add(o.merged());
    }
    Held held = held(mergedAway);
    List<ProfileId> done = new ArrayList<>(owed.size());
    for (OwedCarry o : owed) {
      if (!held.holds(o.merged())) {
        done.add(o.merged()); // carried already, or nothing to carry
        continue;
      }
      ProfileId live = identities.resolve(o.merged()).orElse(o.survivor());
      if (live.equals(o.merged())) {
        LOG.warn("owed carry {} names a profile that is not merged away; dropping it", o);
        done.add(o.merged());
        continue;
      }
      try {
        carryOne.accept(o.toMerge(live));
        done.add(o.merged());
      } catch (RuntimeException e) {
        LOG.warn("carrying owed merge {} into {} failed; it is postponed by the grace period", o, live, e);
      }
    }
    return done;
  }
}
