package io.omni.internal.identity;

import io.omni.CorrectionConflictException;
import io.omni.InvalidIdentifierException;
import io.omni.UnknownCorrectionException;
import io.omni.UnknownIdentifierException;
import io.omni.UnknownProfileException;
import io.omni.identity.Conflict;
import io.omni.identity.Correction;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.Link;
import io.omni.identity.MergeEvent;
import io.omni.identity.Profile;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.identity.RebuildPreview;
import io.omni.internal.Limits;
import io.omni.internal.Metrics;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import io.omni.spi.OwedCarry;
import io.omni.spi.StoredIdentifier;
import io.omni.spi.StoredProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Identities} over any {@link IdentityStore}: every rule of identity resolution runs here,
 * the store only reads, locks and writes. Every store is spoken to through the one {@link
 * IdentityTransaction} contract; a link names profiles by their numbers and builds a {@link
 * ProfileId} only for its answer and its merge events.
 *
 * <p>Longer than the project's 400 lines: it is the one place where every rule of resolution meets
 * the store's transaction (links, batches, re-resolution, forget, rebuild, corrections); what can
 * stand alone already does ({@link LinkPlanner}, {@link Replay}, {@link RebuildPlan}, {@link
 * Corrections}, {@link EventIds}).
 */
public final class IdentityEngine implements Identities {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityEngine.class);
  private static final int MAX_LOCK_ROUNDS = 16;
  private static final String REBUILD = "rebuild";
  private static final int[] NO_COUNTS = new int[0];
  /** Links up to this long are checked for repeats pair by pair, longer ones with a hash set. */
  private static final int SHORT_LINK = 8;
  /** How {@link io.omni.EventIdReusedException} names the first use of an event id found in the evidence. */
  private static final String LINKED_BEFORE = "linked before";

  private final IdentityStore store;
  private final LinkScratch.Pool scratches = new LinkScratch.Pool();
  private final Clock clock;
  private final String defaultRegion;
  private final ChangeFeed feed;
  private final List<Consumer<MergeEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<MergeEvent>>> batchListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Identifier>> forgetListeners = new CopyOnWriteArrayList<>();
  private final List<Repeated> repeatedListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<LeftBehind>> leftBehindListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<ProfileChange>>> splitListeners = new CopyOnWriteArrayList<>();
  private volatile IdentityRules rules;
  private volatile Metrics metrics = Metrics.NONE;

  /**
   * Creates the engine.
   *
   * @param defaultRegion the region for national phone numbers, or {@code null}
   */
  public IdentityEngine(IdentityStore store, Clock clock, IdentityRules rules, String defaultRegion) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.defaultRegion = defaultRegion;
    this.feed = new ChangeFeed(clock);
  }

  /** Where links, merges, conflicts and forgets are reported; {@link Metrics#NONE} by default. */
  public void metrics(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public IdentityRules rules() {
    return rules;
  }

  // ------------------------------------------------------------------ link

  @Override
  public ProfileId link(String channel, Identifier... identifiers) {
    Objects.requireNonNull(identifiers, "identifiers");
    // List.of snapshots the identifiers without an array for one or two: checkLink takes it as it is
    // (a null goes the long way, which names its position)
    List<Identifier> given = Arrays.asList(identifiers);
    return link(null, channel, null, hasNull(given) ? given : List.of(identifiers));
  }

  @Override
  public ProfileId link(String eventId, String channel, Instant at, Collection<Identifier> identifiers) {
    Linked linked = linkEvent(eventId, channel, at, identifiers);
    if (linked.redelivered()) {
      repeated(linked.profile(), eventId, channel, at);
    }
    return linked.profile();
  }

  /** Carries what the merges of a write found done before may have left behind. */
  @FunctionalInterface
  public interface Repeated {
    /** Carries it; {@code cause}, {@code channel} and {@code at} name the write done again. */
    void carry(ProfileId profile, String cause, String channel, Instant at);
  }

  /**
   * Calls the listener when a write finds itself done before: {@link #link(String, String, Instant,
   * Collection)} an event linked before (not {@link #linkEvent}, whose caller does it; nor {@link
   * #linkAll}, whose redelivered links are carried for the batch at once: {@link #onLeftBehind}),
   * {@link #join} a pair an active join joins, {@link #withdraw} a withdrawn separation. The caller
   * may be retrying a write whose merges were stored but whose merge listeners failed, and a merge
   * happens only once. A listener that throws fails the write, as a merge listener does.
   */
  public void onRepeated(Repeated listener) {
    repeatedListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void repeated(ProfileId profile, String eventId, String channel, Instant at) {
    for (Repeated listener : repeatedListeners) {
      listener.carry(profile, eventId, channel, at != null ? at : clock.instant());
    }
  }

  /**
   * What linking an event's identifiers came to: the profile they are in, and whether the event's
   * evidence was recorded before this call (a redelivery, which changes nothing and merges nothing).
   */
  public record Linked(ProfileId profile, boolean redelivered) {}

  /**
   * {@link #link(String, String, Instant, Collection)}, telling also whether the event was linked
   * before: {@code ingest} completes what a failed earlier attempt left undone when it was.
   */
  public Linked linkEvent(String eventId, String channel, Instant at, Collection<Identifier> identifiers) {
    IdentityRules current = rules;
    List<Identifier> ids = checkLink(current, eventId, channel, at, identifiers);
    LinkScratch scratch = scratches.take(ids.size());
    try {
      ProfileId profile = linkChecked(current, eventId, channel, at, ids, scratch);
      return new Linked(profile, scratch.redelivered);
    } finally {
      scratches.release(scratch);
    }
  }

  /**
   * A redelivery of an event processed before, which must link nothing new: answers the profile
   * its evidence reaches now, as {@link #link(String, String, Instant, Collection)} of a redelivery
   * does (the same check of its identifiers, and what its merges may have left behind carried), or
   * empty when no evidence holds its id any more. A processed event's evidence goes only with a
   * {@code forget} of one of its identifiers, and linking the event again would bring the forgotten
   * identifier back. Costs what the redelivery's link costs.
   */
  public Optional<ProfileId> relinkProcessed(String eventId, String channel, Instant at,
      Collection<Identifier> identifiers) {
    IdentityRules current = rules;
    List<Identifier> ids = checkLink(current, Objects.requireNonNull(eventId, "eventId"), channel, at, identifiers);
    // erased when no evidence holds the id: nothing is written
    ProfileId profile = write(tx -> linkedBefore(tx, current, eventId, ids, -1)
        .map(seen -> profileOfEvidence(tx, seen)).orElse(null));
    if (profile == null) {
      return Optional.empty();
    }
    repeated(profile, eventId, channel, at);
    return Optional.of(profile);
  }

  /**
   * Applies one checked link in its own write, then counts and announces what it did; answers its
   * profile, and leaves in the scratch (taken until the caller is done) what else it came to.
   */
  private ProfileId linkChecked(IdentityRules current, String eventId, String channel, Instant at,
      List<Identifier> ids, LinkScratch scratch) {
    Instant when = at != null ? at : clock.instant();
    ProfileId profile = write(tx -> applyLink(tx, current, eventId, channel, when, ids, scratch));
    metrics.linked(1);
    metrics.conflicts(scratch.conflicts, scratch.sharedMarks);
    publish(scratch.merges);
    return profile;
  }

  /**
   * {@inheritDoc}
   *
   * <p>When links of the batch were linked before (a caller's retry), one more question inside the
   * write finds the profiles merged into those the redelivered links answered, and the {@link
   * #onLeftBehind} listeners carry what those merges left behind: a constant number of statements
   * for the batch, not a dozen per link.
   */
  @Override
  public List<ProfileId> linkAll(List<Link> links) {
    BatchOutcome outcome = linkBatch(links, true);
    List<ProfileId> profiles = new ArrayList<>(outcome.profiles.size());
    for (Linked one : outcome.profiles) {
      profiles.add(one.profile());
    }
    if (outcome.leftBehind != null) {
      for (Consumer<LeftBehind> listener : leftBehindListeners) {
        listener.accept(outcome.leftBehind);
      }
    }
    return profiles;
  }

  /**
   * Calls the listener after a {@link #linkAll} some of whose links were linked before, when the
   * profiles they answered have others merged into them: the caller may be retrying a batch whose
   * merges were stored but whose carrying failed. A listener that throws fails the batch, as a
   * merge listener does. ({@link #linkEvents} does not: {@code ingestAll} completes each event.)
   */
  public void onLeftBehind(Consumer<LeftBehind> listener) {
    leftBehindListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** {@link #linkAll(List)}, telling for each link whether its event was linked before. */
  public List<Linked> linkEvents(List<Link> links) {
    return linkBatch(links, false).profiles;
  }

  /**
   * Links a batch in one write; with {@code askAliases}, also finds, in the same write, the profiles
   * merged into those its redelivered links answered.
   */
  private BatchOutcome linkBatch(List<Link> links, boolean askAliases) {
    Objects.requireNonNull(links, "links");
    List<Link> batch = new ArrayList<>(links); // the caller's list may change while the write runs
    IdentityRules current = rules;
    Instant now = clock.instant();
    List<List<Identifier>> checked = new ArrayList<>(batch.size());
    Set<Identifier> everyIdentifier = new LinkedHashSet<>();
    List<String> eventIds = new ArrayList<>();
    for (int k = 0; k < batch.size(); k++) {
      Link link = batch.get(k);
      if (link == null) {
        throw new IllegalArgumentException("link " + k + " of the batch is null");
      }
      List<Identifier> ids;
      try {
        ids = checkLink(current, link.eventId(), link.channel(), link.at(), link.identifiers());
      } catch (InvalidIdentifierException e) {
        throw new InvalidIdentifierException(e.type(), e.value(), e.reason() + " (link " + k + " of the batch)", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("link " + k + " of the batch: " + e.getMessage(), e);
      }
      checked.add(ids);
      everyIdentifier.addAll(ids);
      if (link.eventId() != null) {
        eventIds.add(link.eventId());
      }
    }
    if (batch.isEmpty()) {
      return new BatchOutcome(List.of(), List.of(), 0, 0, null);
    }
    if (eventIds.size() > 1) {
      List<String> idOf = new ArrayList<>(batch.size());
      batch.forEach(link -> idOf.add(link.eventId()));
      EventIds.requireOneSetPerId(current, idOf, checked::get, "link");
    }
    BatchOutcome outcome = write(tx -> {
      tx.prefetch(everyIdentifier, eventIds);
      // every link of an event linked before is checked before the first change: a refusal stores nothing
      for (int k = 0; k < batch.size(); k++) {
        linkedBefore(tx, current, batch.get(k).eventId(), checked.get(k), k);
      }
      Linked[] profiles = new Linked[batch.size()];
      List<MergeEvent> merges = new ArrayList<>();
      int conflicts = 0;
      int sharedMarks = 0;
      for (int k = 0; k < profiles.length; k++) {
        Link link = batch.get(k);
        Instant at = link.at() != null ? link.at() : now;
        List<Identifier> ids = checked.get(k);
        LinkScratch scratch = scratches.take(ids.size());
        try {
          ProfileId profile = applyLink(tx, current, link.eventId(), link.channel(), at, ids, scratch);
          profiles[k] = new Linked(profile, scratch.redelivered);
          merges.addAll(scratch.merges);
          conflicts += scratch.conflicts;
          sharedMarks += scratch.sharedMarks;
        } finally {
          scratches.release(scratch);
        }
      }
      LeftBehind leftBehind = askAliases ? LeftBehind.find(store, tx, batch, profiles, merges, now) : null;
      return new BatchOutcome(List.of(profiles), merges, conflicts, sharedMarks, leftBehind);
    });
    metrics.linked(batch.size());
    metrics.conflicts(outcome.conflicts, outcome.sharedMarks);
    publish(outcome.merges);
    return outcome;
  }

  /** What a batch of links produced. */
  private record BatchOutcome(List<Linked> profiles, List<MergeEvent> merges, int conflicts, int sharedMarks,
      LeftBehind leftBehind) {}

  /**
   * Checks a link before anything of it is stored — what a database would refuse midway ({@link
   * Limits}) included: the channel, the event id and the time must fit their columns.
   */
  private static List<Identifier> checkLink(IdentityRules current, String eventId, String channel, Instant at,
      Collection<Identifier> identifiers) {
    if (channel == null || channel.isBlank()) {
      throw new IllegalArgumentException("channel must name the channel the identifiers came from, was '"
          + Limits.shown(channel) + "'");
    }
    Limits.text("channel", channel, Limits.CHANNEL);
    if (Corrections.reserved(channel)) {
      throw new IllegalArgumentException("channel '" + Limits.shown(channel) + "' starts with '"
          + Corrections.RESERVED + "', which Omni keeps for its own evidence (operator joins)");
    }
    if (eventId != null && eventId.isBlank()) {
      throw new IllegalArgumentException("eventId must not be blank; pass null to have one generated");
    }
    if (eventId != null) {
      Limits.text("eventId", eventId, Limits.EVENT_ID);
    }
    if (at != null) {
      Limits.instant("at", at);
    }
    Objects.requireNonNull(identifiers, "identifiers");
    if (identifiers.isEmpty()) {
      throw new IllegalArgumentException("a link needs at least one identifier");
    }
    // the usual link: a short list of distinct identifiers, none null or blocked, is taken as an
    // immutable snapshot, which is the list itself when it is one already (List.of, the varargs link)
    if (identifiers instanceof List<Identifier> list && list.size() <= SHORT_LINK && !hasNull(list)) {
      List<Identifier> snapshot = List.copyOf(list);
      if (distinctAndUnblocked(current, snapshot)) {
        return snapshot;
      }
    }
    // in first-seen order; a hash set only for long links, most links hold two or three
    List<Identifier> distinct = new ArrayList<>(identifiers.size());
    Set<Identifier> seen = identifiers.size() > SHORT_LINK ? new HashSet<>() : null;
    int position = 0;
    for (Identifier id : identifiers) {
      if (id == null) {
        throw new IllegalArgumentException("identifier " + position + " of the link is null");
      }
      if (seen != null ? seen.add(id) : !containsSame(distinct, distinct.size(), id)) {
        distinct.add(id);
      }
      position++;
    }
    if (distinct.size() > Evidence.MAX_IDENTIFIERS) {
      throw new IllegalArgumentException("a link holds at most " + Evidence.MAX_IDENTIFIERS
          + " distinct identifiers, this one " + distinct.size());
    }
    Identifier blocked = null;
    for (int i = 0; i < distinct.size() && blocked == null; i++) {
      if (current.isBlocked(distinct.get(i))) {
        blocked = distinct.get(i);
      }
    }
    if (blocked == null) {
      return distinct; // the usual case: no second list
    }
    List<Identifier> kept = new ArrayList<>(distinct.size());
    for (Identifier id : distinct) {
      if (current.isBlocked(id)) {
        LOG.debug("dropped blocked value {} from a link on {}", id, channel);
      } else {
        kept.add(id);
      }
    }
    if (kept.isEmpty()) {
      throw new InvalidIdentifierException(blocked.type().name(), blocked.value(),
          "is a blocked value (junk or a blocked pattern), and the link holds nothing else");
    }
    return kept;
  }

  private static boolean hasNull(List<Identifier> list) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        return true;
      }
    }
    return false;
  }

  /** Whether no two of the identifiers are equal and none is blocked under the rules. */
  private static boolean distinctAndUnblocked(IdentityRules current, List<Identifier> ids) {
    for (int i = 0; i < ids.size(); i++) {
      Identifier id = ids.get(i);
      if (current.isBlocked(id) || containsSame(ids, i, id)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the first {@code size} of {@code list} contain {@code id}, comparing type and cached
   * string hash before the values: the identifiers of a link usually differ in type, and at scale
   * their strings are not in cache.
   */
  private static boolean containsSame(List<Identifier> list, int size, Identifier id) {
    for (int k = 0; k < size; k++) {
      Identifier other = list.get(k);
      if (other == id || other.type() == id.type() && other.value().hashCode() == id.value().hashCode()
          && other.value().equals(id.value())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies one checked link in the scratch's arrays and answers the profile it is in; leaves in
   * the scratch the merges to announce, what to count, and whether the event was linked before (a
   * redelivery). The scratch's outcome is set afresh each time: a store may run the work again.
   */
  private ProfileId applyLink(IdentityTransaction tx, IdentityRules current, String eventId, String channel,
      Instant at, List<Identifier> ids, LinkScratch scratch) {
    Optional<Evidence> seen = linkedBefore(tx, current, eventId, ids, -1);
    if (seen.isPresent()) {
      scratch.outcome(List.of(), 0, 0, true);
      return profileOfEvidence(tx, seen.get());
    }
    int n = ids.size();
    long[] profileOf = scratch.profileOf;
    boolean[] shared = scratch.shared;
    findAndLock(tx, ids, n, scratch);

    // clusters keyed 0, 1, … in the order the link first meets them
    long[] clusterProfile = scratch.clusterProfile;
    int clusters = 0;
    int[] cluster = scratch.cluster;
    IdentifierType[] types = scratch.types;
    boolean[] weak = scratch.weak;
    for (int i = 0; i < n; i++) {
      types[i] = ids.get(i).type();
      weak[i] = current.isWeak(ids.get(i));
      if (profileOf[i] == 0) {
        cluster[i] = -1;
      } else {
        int k = indexOf(clusterProfile, clusters, profileOf[i]);
        if (k < 0) {
          k = clusters++;
          clusterProfile[k] = profileOf[i];
        }
        cluster[i] = k;
      }
    }
    int[][] counts = scratch.counts;
    boolean countsTypes = current.countsTypes();
    for (int k = 0; k < clusters; k++) {
      // read only while planning, before anything changes: the store may answer without a copy
      counts[k] = countsTypes ? tx.typeCounts(clusterProfile[k], scratch.countsRow(k)) : NO_COUNTS;
    }
    // a cluster is known when it holds a strong identifier; when its only strong type is the phone,
    // its phones may all be weak landlines: a strong one in the link tells, else the store's count
    // of its fixed lines does (it holds a mobile when it holds more phones than fixed lines)
    boolean[] known = scratch.known;
    Arrays.fill(known, 0, clusters, false);
    for (int i = 0; i < n; i++) {
      if (cluster[i] >= 0 && !weak[i]) {
        known[cluster[i]] = true;
      }
    }
    for (int k = 0; k < clusters; k++) {
      known[k] = known[k] || LinkPlanner.holdsStrong(current, counts[k]) && (!LinkPlanner.strongOnlyByPhones(current,
          counts[k]) || counts[k][IdentifierType.PHONE.ordinal()] > tx.fixedLinePhones(clusterProfile[k]));
    }
    Conflict.Kind[] refused = scratch.refused;
    long accepted = LinkPlanner.plan(current, n, types, weak, cluster, known, shared, clusters, counts, refused, null,
        scratch);
    if (clusters > 1 && mergesClusters(accepted, cluster, n)) {
      // rare: only a link that would merge existing profiles asks whether a separation forbids it
      long[] apart = Corrections.apart(tx, clusterProfile, clusters);
      if (apart != null) {
        accepted = LinkPlanner.plan(current, n, types, weak, cluster, known, shared, clusters, counts, refused, apart,
            scratch);
      }
    }

    // the group: merge its clusters into the oldest, add its new identifiers
    long[] groupClusters = scratch.groupClusters;
    int joined = 0;
    for (int i = 0; i < n; i++) {
      if ((accepted & (1L << i)) != 0 && cluster[i] >= 0) {
        long p = clusterProfile[cluster[i]];
        if (indexOf(groupClusters, joined, p) < 0) {
          groupClusters[joined++] = p;
        }
      }
    }
    long group;
    if (accepted == 0) {
      // every identifier is shared (and so stored): each keeps its own profile, none joins
      group = profileOf[0];
    } else if (joined == 0) {
      group = tx.newProfile(at);
    } else {
      Arrays.sort(groupClusters, 0, joined); // a profile's number is its issue order: the oldest survives
      group = groupClusters[0];
      for (int k = 1; k < joined; k++) {
        tx.merge(group, groupClusters[k]);
      }
    }
    for (int i = 0; i < n; i++) {
      if (profileOf[i] == 0) {
        long home = (accepted & (1L << i)) != 0 ? group : tx.newProfile(at);
        tx.add(ids.get(i), home);
      }
    }
    long sequence = tx.append(eventId, channel, at, ids, accepted);
    ProfileId groupId = ProfileId.ofNumber(group); // the answer: the one id a link builds unless it merges
    // the cause is the event's id; a generated one is spelled out only when a merge or a conflict names it
    String cause = eventId;
    List<MergeEvent> merges = List.of();
    if (joined > 1) {
      cause = cause != null ? cause : generatedCause(sequence);
      MergeEvent[] events = new MergeEvent[joined - 1];
      for (int k = 1; k < joined; k++) {
        events[k - 1] = new MergeEvent(groupId, ProfileId.ofNumber(groupClusters[k]), cause, channel, at);
      }
      merges = List.of(events); // immutable already: publish hands it to the listeners without a copy
      noteMerges(tx, merges);
    }

    // conflicts, and identifiers that collided once too often
    int conflicts = 0;
    int sharedMarks = 0;
    for (int i = 0; i < n; i++) {
      if (refused[i] == null) {
        continue;
      }
      conflicts++;
      cause = cause != null ? cause : generatedCause(sequence);
      Identifier id = ids.get(i);
      int count = tx.conflict(groupId, new Conflict(id, refused[i], cause, at));
      if (LOG.isDebugEnabled()) {
        LOG.debug("held back {} from {} ({}), conflict {} of it", id, groupId, refused[i], count);
      }
      if (current.sharedAfter() > 0 && count >= current.sharedAfter() && !shared[i]) {
        ProfileId former = tx.find(id).orElseThrow().profile();
        tx.markShared(id, former);
        sharedMarks++;
        tx.conflict(former, new Conflict(id, Conflict.Kind.SHARED, cause, at));
        LOG.info("{} collided {} times and is now shared; re-resolving {}", id, count, former);
        reResolve(tx, current, former, cause);
      }
    }
    scratch.outcome(merges, conflicts, sharedMarks, false);
    return groupId;
  }

  /**
   * The one place a write's merges are known inside its transaction (a link, a batch's links, a
   * join, a withdrawal, a forget's or a rebuild's re-resolution): they enter the change feed, and
   * each is noted as owed to the other stores ({@link IdentityTransaction#owe}), so that a carrying
   * that fails after the commit, and is never retried by the caller, is found and done by the sweep
   * of {@code campaigns().advance(now)}.
   */
  private void noteMerges(IdentityTransaction tx, List<MergeEvent> merges) {
    feed.merged(tx, merges);
    Instant noted = feedTime();
    for (MergeEvent merge : merges) {
      tx.owe(OwedCarry.of(merge, noted));
    }
  }

  /**
   * The evidence of an event linked before, once {@code ids} are found to be the identifiers it was
   * linked with (a redelivery only with the same ones: {@link EventIds}); empty for a new event or
   * none. Checked before anything of the link is stored, so that a refusal stores nothing.
   *
   * @param position the link's place in its batch, named by a refusal; -1 for a link alone
   */
  private static Optional<Evidence> linkedBefore(IdentityTransaction tx, IdentityRules rules, String eventId,
      List<Identifier> ids, int position) {
    if (eventId == null) {
      return Optional.empty();
    }
    Optional<Evidence> seen = tx.event(eventId);
    if (seen.isPresent()) {
      EventIds.requireSame(rules, eventId, position < 0 ? null : "link " + position + " of the batch", LINKED_BEFORE,
          ids, seen.get().identifiers());
    }
    return seen;
  }

  /** The cause a merge or a conflict names for evidence without an event id. */
  private static String generatedCause(long sequence) {
    return "evidence-" + sequence;
  }

  /** Whether the accepted identifiers come from two or more existing clusters. */
  private static boolean mergesClusters(long accepted, int[] cluster, int n) {
    int first = -1;
    for (int i = 0; i < n; i++) {
      if ((accepted & (1L << i)) != 0 && cluster[i] >= 0) {
        if (first < 0) {
          first = cluster[i];
        } else if (cluster[i] != first) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(long[] values, int length, long value) {
    for (int k = 0; k < length; k++) {
      if (values[k] == value) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Finds the identifiers of one link and locks their clusters in ascending order; reads again
   * while the store says clusters may have moved before the lock.
   */
  private static void findAndLock(IdentityTransaction tx, List<Identifier> ids, int n, LinkScratch scratch) {
    long[] profiles = scratch.profileOf;
    boolean[] shared = scratch.shared;
    tx.find(ids, profiles, shared);
    long[] locking = scratch.locking;
    long[] again = scratch.again;
    for (int round = 0; round < MAX_LOCK_ROUNDS; round++) {
      int count = sortedDistinct(profiles, n, locking);
      if (!tx.lock(locking, count)) {
        return;
      }
      tx.find(ids, again, shared);
      boolean same = true;
      for (int i = 0; i < n && same; i++) {
        same = again[i] == profiles[i];
      }
      System.arraycopy(again, 0, profiles, 0, n);
      if (same) {
        return;
      }
    }
    throw new IllegalStateException("the clusters of " + ids + " kept moving while being locked ("
        + MAX_LOCK_ROUNDS + " rounds)");
  }

  /** Copies the non-zero numbers of the first {@code n} {@code profiles} into {@code into} ascending, once each; returns how many. */
  private static int sortedDistinct(long[] profiles, int n, long[] into) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      long p = profiles[i];
      if (p != 0) {
        into[count++] = p;
      }
    }
    Arrays.sort(into, 0, count);
    int distinct = 0;
    for (int k = 0; k < count; k++) {
      if (distinct == 0 || into[distinct - 1] != into[k]) {
        into[distinct++] = into[k];
      }
    }
    return distinct;
  }

  /**
   * Finds the identifiers and locks their clusters in a fixed order; reads again while the store
   * says clusters may have moved before the lock.
   */
  private static StoredIdentifier[] lockClusters(IdentityTransaction tx, List<Identifier> ids) {
    StoredIdentifier[] found = findAll(tx, ids);
    for (int round = 0; round < MAX_LOCK_ROUNDS; round++) {
      TreeSet<ProfileId> profiles = new TreeSet<>();
      for (StoredIdentifier s : found) {
        if (s != null) {
          profiles.add(s.profile());
        }
      }
      if (!tx.lock(profiles)) {
        return found;
      }
      StoredIdentifier[] again = findAll(tx, ids);
      boolean same = true;
      for (int i = 0; i < again.length && same; i++) {
        same = again[i] == null ? found[i] == null
            : found[i] != null && again[i].profile().equals(found[i].profile()) && profiles.contains(again[i].profile());
      }
      if (same) {
        return again;
      }
      found = again;
    }
    throw new IllegalStateException("the clusters of " + ids + " kept moving while being locked ("
        + MAX_LOCK_ROUNDS + " rounds)");
  }

  private static StoredIdentifier[] findAll(IdentityReader reader, List<Identifier> ids) {
    StoredIdentifier[] found = new StoredIdentifier[ids.size()];
    for (int i = 0; i < found.length; i++) {
      found[i] = reader.find(ids.get(i)).orElse(null);
    }
    return found;
  }

  private static ProfileId profileOfEvidence(IdentityReader reader, Evidence evidence) {
    List<Identifier> ids = evidence.identifiers();
    for (int i = 0; i < ids.size(); i++) {
      if (evidence.accepted(i)) {
        Optional<StoredIdentifier> s = reader.find(ids.get(i));
        if (s.isPresent()) {
          return s.get().profile();
        }
      }
    }
    return reader.find(ids.get(0)).map(StoredIdentifier::profile).orElseThrow();
  }

  // ------------------------------------------------------------------ re-resolution

  /**
   * Replays the evidence of one profile over its members and splits it where the evidence no
   * longer joins them. The part holding the oldest member keeps the id.
   */
  private void reResolve(IdentityTransaction tx, IdentityRules current, ProfileId profile, String cause) {
    StoredProfile stored = tx.profile(profile).orElseThrow();
    Replay replay = new Replay(current, stored.members(), tx.corrections());
    for (Evidence evidence : tx.evidence(profile)) {
      long mask = replay.step(evidence);
      if (mask != evidence.accepted()) {
        tx.setAccepted(evidence.sequence(), mask);
      }
    }
    List<List<StoredIdentifier>> parts = replay.parts();
    if (parts.size() <= 1) {
      return;
    }
    int keeper = 0; // the part with the oldest member that is not shared keeps the id
    while (keeper < parts.size() - 1 && parts.get(keeper).stream().allMatch(StoredIdentifier::shared)) {
      keeper++;
    }
    List<IdentityTransaction.Part> assigned = new ArrayList<>(parts.size());
    for (int k = 0; k < parts.size(); k++) {
      List<StoredIdentifier> part = parts.get(k);
      ProfileId id = k == keeper ? profile : tx.createProfile(createdOf(replay, part, stored.created()));
      assigned.add(new IdentityTransaction.Part(id, identifiers(part)));
    }
    tx.reassign(assigned);
    feed.split(tx, profile, assigned, cause);
    LOG.debug("re-resolved {} into {} parts", profile, parts.size());
  }

  private static Instant createdOf(Replay replay, List<StoredIdentifier> part, Instant fallback) {
    long first = replay.firstSeenMillis(part.get(0).identifier());
    return first == Long.MAX_VALUE ? fallback : Instant.ofEpochMilli(first);
  }

  private static List<Identifier> identifiers(List<StoredIdentifier> part) {
    List<Identifier> ids = new ArrayList<>(part.size());
    for (StoredIdentifier s : part) {
      ids.add(s.identifier());
    }
    return ids;
  }

  @Override
  public boolean forget(Identifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    IdentityRules current = rules;
    List<MergeEvent> merges = new ArrayList<>();
    boolean known = write(tx -> {
      merges.clear(); // a store may run the work again
      // the corrections naming it go with it: they hold its value (see Identities#corrections)
      List<Correction> naming = Corrections.naming(tx.corrections(), identifier);
      List<Identifier> locking = new ArrayList<>();
      locking.add(identifier);
      for (Correction c : naming) {
        if (c.active() && c.kind() == Correction.Kind.SEPARATE) {
          locking.add(c.a().equals(identifier) ? c.b() : c.a());
        }
      }
      StoredIdentifier[] found = lockClusters(tx, locking);
      if (found[0] == null) {
        return false;
      }
      ProfileId profile = found[0].profile();
      for (Correction c : naming) {
        tx.removeCorrection(c.id());
      }
      // evidence that refused it still joined its accepted identifiers, maybe in another profile
      TreeSet<ProfileId> joinedElsewhere = new TreeSet<>();
      for (Evidence evidence : tx.evidence(profile)) {
        if (evidence.identifiers().contains(identifier)) {
          for (int i = 0; i < evidence.identifiers().size(); i++) {
            if (evidence.accepted(i) && !evidence.identifiers().get(i).equals(identifier)) {
              tx.find(evidence.identifiers().get(i)).map(StoredIdentifier::profile)
                  .filter(p -> !p.equals(profile)).ifPresent(joinedElsewhere::add);
            }
          }
          tx.removeEvidence(evidence.sequence());
        }
      }
      tx.remove(identifier);
      feed.forgot(tx, profile);
      if (!joinedElsewhere.isEmpty()) {
        tx.lock(joinedElsewhere);
        for (ProfileId other : joinedElsewhere) {
          reResolve(tx, current, other, ProfileChange.FORGET);
        }
      }
      boolean left = tx.profile(profile).map(p -> !p.members().isEmpty()).orElse(false);
      TreeSet<ProfileId> apartBefore = new TreeSet<>();
      for (int k = 1; k < found.length; k++) {
        if (found[k] != null && !found[k].profile().equals(profile)) {
          apartBefore.add(found[k].profile());
        }
      }
      if (apartBefore.isEmpty()) {
        if (left) {
          reResolve(tx, current, profile, ProfileChange.FORGET);
        }
      } else {
        // a separation it named is gone: what it kept apart is decided by the evidence again
        if (left) {
          apartBefore.add(profile);
        }
        merges.addAll(resolveAgain(tx, new ArrayList<>(apartBefore), current, ProfileChange.FORGET));
      }
      LOG.info("forgot a {} identifier and re-resolved {}", identifier.type(), profile);
      return true;
    });
    if (known) {
      metrics.forgot();
    }
    publish(merges);
    // Run even when the graph no longer knew it: a forget repeated after a failure here finishes.
    for (Consumer<Identifier> listener : forgetListeners) {
      listener.accept(identifier);
    }
    return known;
  }

  /**
   * Calls the listener after each {@link #forget}, once the identity graph has forgotten, whether
   * or not it knew the identifier. Unlike merge listeners, a listener that throws fails the forget:
   * an erasure must not end quietly half done.
   */
  public void onForget(Consumer<Identifier> listener) {
    forgetListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void rebuild() {
    rebuild(rules);
  }

  @Override
  public void rebuild(IdentityRules newRules) {
    Objects.requireNonNull(newRules, "newRules");
    rules = newRules;
    List<MergeEvent> merges = write(tx -> rebuildAll(tx, newRules));
    publish(merges);
  }

  @Override
  public RebuildPreview preview(IdentityRules newRules) {
    Objects.requireNonNull(newRules, "newRules");
    return store.read(reader -> RebuildPlan.of(reader, newRules).preview(RebuildPreview.SAMPLE));
  }

  private List<MergeEvent> rebuildAll(IdentityTransaction tx, IdentityRules current) {
    List<ProfileId> profiles = tx.profiles();
    tx.lock(new TreeSet<>(profiles));
    // the preview's plan, step for step: what preview(rules) answers is what this does
    Map<Long, Long> changed = new LinkedHashMap<>();
    RebuildPlan plan = RebuildPlan.of(tx, profiles, current, (evidence, mask) -> changed.put(evidence.sequence(), mask));
    changed.forEach(tx::setAccepted);
    return applyPlan(tx, plan, REBUILD);
  }

  /**
   * Re-resolves these live profiles together, as a rebuild would over them alone: their evidence is
   * replayed under the rules and the corrections, and the parts get ids by the rebuild's rule
   * (profiles fused by the evidence alias the oldest). For a withdrawn separation, or a forget that
   * dropped one. The caller has locked them.
   */
  private List<MergeEvent> resolveAgain(IdentityTransaction tx, List<ProfileId> profiles, IdentityRules current,
      String cause) {
    java.util.TreeMap<Long, Evidence> evidence = new java.util.TreeMap<>();
    for (ProfileId p : profiles) {
      for (Evidence e : tx.evidence(p)) {
        evidence.putIfAbsent(e.sequence(), e);
      }
    }
    Map<Long, Long> changed = new LinkedHashMap<>();
    RebuildPlan plan = RebuildPlan.of(tx, profiles, current, each -> evidence.values().forEach(each),
        (e, mask) -> changed.put(e.sequence(), mask));
    changed.forEach(tx::setAccepted);
    return applyPlan(tx, plan, cause);
  }

  /** Stores what a plan decided: the parts, their ids, the aliases, and the feed's entries. */
  private List<MergeEvent> applyPlan(IdentityTransaction tx, RebuildPlan plan, String cause) {

    Map<ProfileId, StoredProfile> old = new LinkedHashMap<>();
    for (StoredProfile sp : plan.profiles()) {
      old.put(sp.id(), sp);
    }
    List<List<StoredIdentifier>> parts = plan.parts();
    Instant created = clock.instant();
    List<IdentityTransaction.Part> assigned = new ArrayList<>(parts.size());
    for (int k = 0; k < parts.size(); k++) {
      ProfileId id = plan.claimedBy(k);
      if (id == null) {
        id = tx.createProfile(plan.created(k, created));
      }
      assigned.add(new IdentityTransaction.Part(id, identifiers(parts.get(k))));
    }
    tx.reassign(assigned);
    Instant now = clock.instant();
    List<MergeEvent> merges = new ArrayList<>();
    plan.fused().forEach((merged, survivor) -> {
      tx.alias(merged, survivor);
      merges.add(new MergeEvent(survivor, merged, cause, cause, now));
    });
    feed.rebuilt(tx, old, assigned, plan.fused(), cause);
    noteMerges(tx, merges);
    LOG.info("re-resolved {} profiles into {} ({})", old.size(), parts.size(), cause);
    return merges;
  }

  // ------------------------------------------------------------------ corrections

  @Override
  public Correction separate(Identifier a, Identifier b, String author, String reason) {
    Instant now = feedTime();
    Correction asked = Correction.of(Correction.Kind.SEPARATE, Objects.requireNonNull(a, "a"),
        Objects.requireNonNull(b, "b"), author, reason, now);
    IdentityRules current = rules;
    Correction kept = write(tx -> {
      // every check before the first change: a store need not roll back what a failed write did
      StoredIdentifier[] found = lockCorrected(tx, asked, "separate");
      List<Correction> corrections = tx.corrections();
      Correction join = Corrections.activePairing(corrections, Correction.Kind.JOIN, a, b);
      if (join != null) {
        throw new CorrectionConflictException("separate of " + a.type() + " and " + b.type(), join);
      }
      Correction same = Corrections.activePairing(corrections, Correction.Kind.SEPARATE, a, b);
      if (same != null) {
        // made again (a second agent, a script run twice): a second correction would take a second
        // withdrawal to undo, and the pair is kept apart already
        return same;
      }
      Corrections.checkSeparable(corrections, a, b);
      Correction made = asked.withId(tx.addCorrection(asked));
      ProfileId profile = found[0].profile();
      if (profile.equals(found[1].profile())) {
        reResolve(tx, current, profile, made.cause());
      }
      feed.corrected(tx, ProfileChange.Kind.CORRECTED, made, profileOf(tx, a), profileOf(tx, b));
      LOG.info("correction {}: {} separated a {} and a {} identifier", made.id(), author, a.type(), b.type());
      return made;
    });
    publishSplits();
    return kept;
  }

  @Override
  public Correction join(Identifier a, Identifier b, String author, String reason) {
    Instant now = feedTime();
    Correction asked = Correction.of(Correction.Kind.JOIN, Objects.requireNonNull(a, "a"),
        Objects.requireNonNull(b, "b"), author, reason, now);
    List<MergeEvent> merges = new ArrayList<>();
    ProfileId[] done = {null};
    Correction kept = write(tx -> {
      merges.clear(); // a store may run the work again
      done[0] = null;
      StoredIdentifier[] found = lockCorrected(tx, asked, "join");
      ProfileId pa = found[0].profile();
      ProfileId pb = found[1].profile();
      Correction same = pa.equals(pb) ? Corrections.activePairing(tx.corrections(), Correction.Kind.JOIN, a, b) : null;
      if (same != null) {
        // A caller's retry of a join that was stored but whose merge listeners failed: a second
        // correction would double the join and its feed entry, and carry nothing (the merge is done).
        done[0] = pa;
        return same;
      }
      List<Correction> separations = tx.separations();
      Correction apart = Corrections.activePairing(separations, Correction.Kind.SEPARATE, a, b);
      if (apart == null && !pa.equals(pb)) {
        for (Correction s : separations) {
          ProfileId sa = profileOf(tx, s.a());
          ProfileId sb = profileOf(tx, s.b());
          if (apart == null && (sa.equals(pa) && sb.equals(pb) || sa.equals(pb) && sb.equals(pa))) {
            apart = s;
          }
        }
      }
      if (apart != null) {
        throw new CorrectionConflictException("join of " + a.type() + " and " + b.type(), apart);
      }
      Correction made = asked.withId(tx.addCorrection(asked));
      String channel = Corrections.channelOf(made.id());
      tx.append(null, channel, now, List.of(a, b), 0b11);
      if (!pa.equals(pb)) {
        ProfileId survivor = pa.number() < pb.number() ? pa : pb;
        ProfileId merged = survivor.equals(pa) ? pb : pa;
        tx.merge(survivor, merged);
        merges.add(new MergeEvent(survivor, merged, made.cause(), channel, now));
        noteMerges(tx, merges);
      }
      feed.corrected(tx, ProfileChange.Kind.CORRECTED, made, profileOf(tx, a), profileOf(tx, b));
      LOG.info("correction {}: {} joined a {} and a {} identifier", made.id(), author, a.type(), b.type());
      return made;
    });
    publish(merges);
    if (done[0] != null) {
      repeated(done[0], kept.cause(), Corrections.channelOf(kept.id()), kept.at());
    }
    return kept;
  }

  @Override
  public Correction withdraw(long correctionId, String author) {
    Instant now = feedTime();
    IdentityRules current = rules;
    List<MergeEvent> merges = new ArrayList<>();
    ProfileId[] done = {null};
    Correction kept = write(tx -> {
      merges.clear(); // a store may run the work again
      done[0] = null;
      Correction c = Corrections.byId(tx.corrections(), correctionId);
      if (c == null) {
        throw new UnknownCorrectionException(correctionId);
      }
      Correction withdrawn = c.withdrawn(author, now); // checks the author before anything changes
      if (!c.active()) {
        // maybe a caller's retry of a withdrawal that merged but whose merge listeners failed
        done[0] = tx.find(c.a()).map(StoredIdentifier::profile).orElse(null);
        return c;
      }
      StoredIdentifier[] found = lockClusters(tx, List.of(c.a(), c.b()));
      tx.withdrawCorrection(c.id(), author, now);
      ProfileId pa = found[0].profile();
      if (c.kind() == Correction.Kind.JOIN) {
        String channel = Corrections.channelOf(c.id());
        for (Evidence e : tx.evidence(pa)) {
          if (e.channel().equals(channel)) {
            tx.removeEvidence(e.sequence());
          }
        }
        reResolve(tx, current, pa, c.cause());
      } else if (!pa.equals(found[1].profile())) {
        TreeSet<ProfileId> both = new TreeSet<>(List.of(pa, found[1].profile()));
        merges.addAll(resolveAgain(tx, new ArrayList<>(both), current, c.cause()));
      }
      feed.corrected(tx, ProfileChange.Kind.WITHDRAWN, c, profileOf(tx, c.a()), profileOf(tx, c.b()));
      LOG.info("correction {} withdrawn by {}", c.id(), author);
      return withdrawn;
    });
    publish(merges);
    if (done[0] != null && kept.kind() == Correction.Kind.SEPARATE && kept.withdrawnAt() != null) {
      // as resolveAgain's merges: caused and channelled by the correction, at its withdrawal
      repeated(done[0], kept.cause(), kept.cause(), kept.withdrawnAt());
    }
    return kept;
  }

  @Override
  public List<Correction> corrections(Identifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    return store.read(r -> List.copyOf(Corrections.naming(r.corrections(), identifier)));
  }

  /** Finds and locks the clusters of a correction's two identifiers; both must be stored. */
  private static StoredIdentifier[] lockCorrected(IdentityTransaction tx, Correction c, String operation) {
    StoredIdentifier[] found = lockClusters(tx, List.of(c.a(), c.b()));
    for (int k = 0; k < 2; k++) {
      if (found[k] == null) {
        throw new UnknownIdentifierException(k == 0 ? c.a() : c.b(), operation);
      }
    }
    return found;
  }

  private static ProfileId profileOf(IdentityReader reader, Identifier identifier) {
    return reader.find(identifier).orElseThrow().profile();
  }

  /** Now, to the millisecond, which every store keeps exactly. */
  private Instant feedTime() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Optional<ProfileId> resolve(Identifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    return store.read(r -> r.find(identifier).map(StoredIdentifier::profile));
  }

  @Override
  public Optional<ProfileId> resolve(ProfileId id) {
    Objects.requireNonNull(id, "id");
    if (id.number() == 0) {
      return Optional.empty(); // not canonical: names no profile, whatever the store
    }
    return store.read(r -> r.canonical(id));
  }

  @Override
  public Profile profile(ProfileId id) {
    Objects.requireNonNull(id, "id");
    if (id.number() == 0) {
      throw new UnknownProfileException(id.value()); // not canonical: names no profile
    }
    return store.read(r -> {
      ProfileId live = r.canonical(id).orElseThrow(() -> new UnknownProfileException(id.value()));
      Optional<StoredProfile> stored = r.profile(live);
      if (stored.isEmpty()) {
        throw new UnknownProfileException(id.value());
      }
      StoredProfile sp = stored.get();
      Set<Identifier> identifiers = new LinkedHashSet<>();
      for (StoredIdentifier s : sp.members()) {
        identifiers.add(s.identifier());
      }
      Set<String> channels = new TreeSet<>();
      if (!identifiers.isEmpty()) {
        for (Evidence evidence : r.evidence(live)) {
          if (!Corrections.reserved(evidence.channel())) { // an operator's join is no channel of the customer
            channels.add(evidence.channel());
          }
        }
      }
      return new Profile(live, identifiers, channels, sp.created(), sp.mergedFrom(), sp.conflicts(), sp.shared());
    });
  }

  @Override
  public Optional<Explanation> explain(Identifier a, Identifier b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return store.read(r -> {
      Optional<StoredIdentifier> fa = r.find(a);
      Optional<StoredIdentifier> fb = r.find(b);
      if (fa.isEmpty() || fb.isEmpty()) {
        return Optional.empty();
      }
      if (!fa.get().profile().equals(fb.get().profile())) {
        return keptApart(r, a, b, fa.get().profile(), fb.get().profile());
      }
      if (a.equals(b)) {
        return Optional.of(new Explanation(a, b, List.of()));
      }
      return shortestChain(a, b, r.evidence(fa.get().profile())).map(chain -> withJoins(r, chain));
    });
  }

  /** The active separations with one identifier in each profile, as an explanation; else empty. */
  private static Optional<Explanation> keptApart(IdentityReader r, Identifier a, Identifier b, ProfileId pa,
      ProfileId pb) {
    List<Correction> apart = new ArrayList<>();
    for (Correction s : r.separations()) {
      Optional<ProfileId> sa = r.find(s.a()).map(StoredIdentifier::profile);
      Optional<ProfileId> sb = r.find(s.b()).map(StoredIdentifier::profile);
      if (sa.isPresent() && sb.isPresent() && (sa.get().equals(pa) && sb.get().equals(pb)
          || sa.get().equals(pb) && sb.get().equals(pa))) {
        apart.add(s);
      }
    }
    return apart.isEmpty() ? Optional.empty() : Optional.of(new Explanation(a, b, List.of(), apart));
  }

  /** The chain with the operator joins among its steps named. */
  private static Explanation withJoins(IdentityReader r, Explanation chain) {
    List<Correction> joins = new ArrayList<>();
    List<Correction> all = null;
    for (Explanation.Step step : chain.steps()) {
      if (step.channel().startsWith(Corrections.JOIN_CHANNEL)) {
        all = all != null ? all : r.corrections();
        Correction join = Corrections.byId(all, Long.parseLong(step.channel().substring(Corrections.JOIN_CHANNEL.length())));
        if (join != null) {
          joins.add(join);
        }
      }
    }
    return joins.isEmpty() ? chain : new Explanation(chain.from(), chain.to(), chain.steps(), joins);
  }

  /** Breadth-first search over identifiers, where each piece of evidence joins its accepted ones. */
  private static Optional<Explanation> shortestChain(Identifier a, Identifier b, List<Evidence> evidence) {
    Map<Identifier, List<Evidence>> holding = new HashMap<>();
    for (Evidence e : evidence) {
      for (int i = 0; i < e.identifiers().size(); i++) {
        if (e.accepted(i)) {
          holding.computeIfAbsent(e.identifiers().get(i), k -> new ArrayList<>()).add(e);
        }
      }
    }
    Map<Identifier, Identifier> previous = new HashMap<>();
    Map<Identifier, Evidence> via = new HashMap<>();
    Set<Long> used = new HashSet<>();
    ArrayDeque<Identifier> queue = new ArrayDeque<>();
    queue.add(a);
    previous.put(a, a);
    while (!queue.isEmpty()) {
      Identifier at = queue.poll();
      if (at.equals(b)) {
        break;
      }
      for (Evidence e : holding.getOrDefault(at, List.of())) {
        if (!used.add(e.sequence())) {
          continue;
        }
        for (int i = 0; i < e.identifiers().size(); i++) {
          Identifier next = e.identifiers().get(i);
          if (e.accepted(i) && !previous.containsKey(next)) {
            previous.put(next, at);
            via.put(next, e);
            queue.add(next);
          }
        }
      }
    }
    if (!previous.containsKey(b)) {
      return Optional.empty();
    }
    List<Explanation.Step> steps = new ArrayList<>();
    for (Identifier at = b; !at.equals(a); at = previous.get(at)) {
      Evidence e = via.get(at);
      List<Identifier> joined = new ArrayList<>();
      for (int i = 0; i < e.identifiers().size(); i++) {
        if (e.accepted(i)) {
          joined.add(e.identifiers().get(i));
        }
      }
      long join = Corrections.joinOf(e);
      steps.add(new Explanation.Step(join != 0 ? Correction.causeOf(join) : e.displayId(), e.channel(), e.at(), joined));
    }
    java.util.Collections.reverse(steps);
    return Optional.of(new Explanation(a, b, steps));
  }

  @Override
  public List<ProfileChange> changes(long cursor, int max) {
    return feed.read(store, cursor, max);
  }

  @Override
  public void onMerge(Consumer<MergeEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Calls the listener once after each write that merged profiles, with all its merges in order,
   * before the {@link #onMerge} listeners hear of them one by one: for Omni's own stores, which
   * carry a batch of merges in a few queries. A listener that throws fails the link (the merges
   * stand, committed): the caller learns that what the merge carries did not land, and {@code
   * ingest}'s retry completes it.
   */
  public void onMerges(Consumer<List<MergeEvent>> listener) {
    batchListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Calls the listener after each write that split profiles (a forget, an identifier marked
   * shared, a rebuild), once the split is committed, with its {@link ProfileChange.Kind#SPLIT}
   * entries. A listener that throws is logged and the split stands: what it would have moved stays
   * with the profile that kept the id.
   */
  public void onSplits(Consumer<List<ProfileChange>> listener) {
    splitListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The store's write; when it fails, the splits it recorded are taken back, unannounced: the
   * write rolled back, and the next write on this thread must not announce them.
   */
  private <R> R write(Function<IdentityTransaction, R> work) {
    int mark = feed.splitMark();
    try {
      return store.write(work);
    } catch (RuntimeException | Error e) {
      feed.rewindSplits(mark);
      throw e;
    }
  }

  private void publishSplits() {
    List<ProfileChange> splits = feed.drainSplits();
    if (splits.isEmpty()) {
      return;
    }
    for (Consumer<List<ProfileChange>> listener : splitListeners) {
      try {
        listener.accept(splits);
      } catch (RuntimeException e) {
        LOG.warn("a split listener failed on {}; the split stands", splits, e);
      }
    }
  }

  /** The ids of the events whose evidence holds an identifier of this live profile. */
  public java.util.Set<String> eventIds(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    return store.read(r -> {
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (Evidence evidence : r.evidence(profile)) {
        if (evidence.eventId() != null) {
          ids.add(evidence.eventId());
        }
      }
      return ids;
    });
  }

  private void publish(List<MergeEvent> merges) {
    publishSplits();
    if (merges.isEmpty()) {
      return;
    }
    List<MergeEvent> all = List.copyOf(merges);
    metrics.merged(all.size());
    try {
      for (Consumer<List<MergeEvent>> listener : batchListeners) {
        listener.accept(all);
      }
    } finally {
      for (MergeEvent event : all) {
        for (Consumer<MergeEvent> listener : listeners) {
          try {
            listener.accept(event);
          } catch (RuntimeException e) {
            LOG.warn("a merge listener failed on {}; the merge stands", event, e);
          }
        }
      }
    }
  }


  @Override
  public Identifier phone(String raw) {
    return defaultRegion == null ? Identifier.phone(raw) : Identifier.phone(raw, defaultRegion);
  }

  @Override
  public Stats stats() {
    return store.read(IdentityReader::stats);
  }
}
