package io.omni.identity;

import io.omni.InvalidIdentifierException;
import io.omni.UnknownProfileException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Identity resolution: the contacts a customer leaves in different channels become one profile.
 * Obtained from {@link io.omni.Omni#identities()}; every method is thread-safe.
 *
 * <pre>{@code
 * Identities ids = omni.identities();
 * ProfileId ann = ids.link("web", Identifier.cookie("c-81"), Identifier.email("Ann@Example.com"));
 * ids.link("app", Identifier.email("ann@example.com"), Identifier.phone("+7 916 123-45-67"));
 * ids.resolve(Identifier.cookie("c-81"));          // Optional[ann]
 * ids.profile(ann).identifiers();                  // cookie, email, phone
 * ids.explain(Identifier.cookie("c-81"), Identifier.phone("+79161234567")); // two steps
 * }</pre>
 *
 * <p>Every accepted link is kept as evidence (event id, channel, time, identifiers); the guards of
 * {@link IdentityRules} decide what the evidence joins. Profiles can split only through {@link
 * #forget}, a shared identifier being detected, {@link #rebuild()}, or an operator's {@link
 * Correction} ({@link #separate}, or {@link #withdraw} of a join).
 *
 * <p><b>Corrections.</b> When the evidence is wrong, an operator corrects it without erasing
 * anything: {@link #separate} says two identifiers belong to different people, {@link #join} that
 * they belong to the same person. A correction is kept with its author, time and reason, acts at
 * once, binds every later link, {@link #rebuild()} and {@link #preview}, shows in {@link #explain}
 * and in the {@linkplain #changes change feed}, and can be withdrawn.
 *
 * <pre>{@code
 * Correction apart = ids.separate(email("ann@example.com"), email("boris@example.com"),
 *     "agent-17", "ticket 4411: mother and son share the landline");
 * ids.link("call-center", landline, email("boris@example.com"));  // no longer fuses them
 * ids.withdraw(apart.id(), "agent-17");                             // the evidence decides again
 * }</pre>
 */
public interface Identities {

  /**
   * Records that these identifiers were seen together in one event of a channel, now, under a
   * generated event id, and joins their profiles as far as the rules allow.
   *
   * @return the profile of the identifiers the link accepted (of the first of them when the
   *     guards split the link)
   * @throws InvalidIdentifierException if every identifier is a blocked value; nothing is stored
   * @throws IllegalArgumentException if the channel is blank, longer than 64 characters or holds
   *     text no database stores (NUL, a lone surrogate), or no identifier is given; nothing is
   *     stored
   */
  ProfileId link(String channel, Identifier... identifiers);

  /**
   * Records one event's identifiers with its own id and time. Linking the same event id again with
   * the same identifiers is a no-op that returns the current profile: events may be redelivered.
   * The identifiers are compared as sets of normalized identifiers — order, repeats, the channel
   * and the time do not count, nor do values the rules block — and an event id used before with
   * other identifiers is refused ({@link io.omni.EventIdReusedException}). It does carry to the
   * profile what an earlier link of the event merged and left in the other stores (carts,
   * journeys, runs) when carrying it failed, so that a caller's retry completes the link.
   *
   * @param eventId the event's id, at most 255 characters; {@code null} to generate one
   * @param channel the channel the event came from, e.g. {@code "web"}; at most 64 characters
   * @param at when the event happened, 1970-01-01T00:00:00Z to 5999-12-31T23:59:59.999999999Z;
   *     {@code null} for now
   * @param identifiers what the event holds, at least one
   * @throws IllegalArgumentException if an argument breaks its rule or holds text no database
   *     stores (NUL, a lone surrogate); nothing is stored
   * @throws InvalidIdentifierException if every identifier is a blocked value; nothing is stored
   * @throws io.omni.EventIdReusedException if the event id was linked before with other
   *     identifiers; nothing is stored
   */
  ProfileId link(String eventId, String channel, Instant at, Collection<Identifier> identifiers);

  /**
   * Links many events in one write: the back-fill path. Every link is checked first, and a bad one
   * fails the whole batch before anything is stored. Then they are applied in the order given,
   * with exactly the outcome of calling {@link #link(String, String, Instant, Collection)} for
   * each in that order, as one atomic write: a store over a database reads, locks and writes the
   * batch in a handful of round trips instead of a dozen per link. Merge listeners hear of every
   * merge once the batch is stored.
   *
   * <p>A batch whose merges were stored but whose carrying of carts, journeys and runs to the
   * survivors failed (the call threw) is completed by calling it again with the same links: links
   * of events linked before change nothing in the graph, and what their profiles' merges left
   * behind is carried as the links that merged them did. A store over a database spends a few more
   * statements on such a batch, the same whatever its size.
   *
   * <p>Keep batches to a few thousand links: a batch holds its clusters' locks until it is
   * stored, and a database store runs a batch that lost a race again whole.
   *
   * @return each link's profile, in the order of the links, as {@code link} would have answered
   *     it (a later link of the batch may have merged it; {@link #resolve(ProfileId)} follows that)
   * @throws IllegalArgumentException if a link is null, names no channel or no identifier, holds
   *     a null identifier or too many, or breaks a rule of {@link #link(String, String, Instant,
   *     Collection)}; the message names the link's position
   * @throws InvalidIdentifierException if a link holds nothing but blocked values
   * @throws io.omni.EventIdReusedException if a link's event id was linked before, or is named by
   *     an earlier link of the batch, with other identifiers; nothing of the batch is stored, and
   *     the message names the link's position
   */
  List<ProfileId> linkAll(List<Link> links);

  /** The profile this identifier belongs to, or empty if it was never linked (or was forgotten). */
  Optional<ProfileId> resolve(Identifier identifier);

  /**
   * The current id of a profile: itself, or the survivor it was merged into. Empty if the id was
   * never issued.
   */
  Optional<ProfileId> resolve(ProfileId id);

  /**
   * A snapshot of a profile; an alias answers with the survivor's profile.
   *
   * @throws UnknownProfileException if the id was never issued
   */
  Profile profile(ProfileId id);

  /**
   * The shortest chain of evidence that joins two identifiers, naming the operator joins on it
   * ({@link Explanation#corrections()}); or, when they are in different profiles because an active
   * separation keeps them apart, an explanation without steps that names the separation ({@link
   * Explanation#separated()}); else empty (different profiles, or either is unknown).
   */
  Optional<Explanation> explain(Identifier a, Identifier b);

  /**
   * Erasure: removes the identifier and every piece of evidence that holds it, then re-resolves
   * its profile from the evidence that remains, which may split it. The part holding the profile's
   * oldest identifier keeps the id. The value is also erased from what the store keeps besides
   * the identity graph: touchpoint attributes holding it are dropped and campaign messages sent to
   * it are addressed to {@link io.omni.spi.CampaignStore#FORGOTTEN} instead. That part runs even
   * when the identifier is no longer known, so that forgetting again finishes an erasure cut short.
   *
   * @return whether the identifier was known
   */
  boolean forget(Identifier identifier);

  /**
   * Re-resolves every profile from the evidence under the current rules — after a rule change,
   * say. Profile ids stay where the evidence allows: each old profile's oldest identifier keeps
   * its id; profiles fused by the new rules alias the oldest; new parts get new ids.
   */
  void rebuild();

  /**
   * Puts new rules in force and re-resolves every profile under them, as {@link #rebuild()}.
   * Links made later follow the new rules too.
   */
  void rebuild(IdentityRules newRules);

  /**
   * Tells what {@link #rebuild(IdentityRules)} would do under these rules — how many profiles it
   * would merge and split and how many identifiers would move, with a sample of each — and changes
   * nothing: the rules in force stay, and so does every profile. The graph is read as one
   * consistent snapshot (on a database, a repeatable read that takes no lock) and its evidence is
   * replayed in memory; the time it takes is that of a rebuild less the writes.
   */
  RebuildPreview preview(IdentityRules newRules);

  /** The rules in force. */
  IdentityRules rules();

  /**
   * Calls the listener after each merge, on the thread that linked, once the merge is stored. A
   * listener that throws is logged and does not undo the merge or stop other listeners.
   */
  void onMerge(Consumer<MergeEvent> listener);

  /**
   * Reads the change feed: what happened to profiles — merges, splits, forgets, corrections — after a
   * consumer's cursor, oldest first. Any number of consumers read the same feed, each keeping its
   * own cursor (the {@link ProfileChange#position()} of the last entry it handled, 0 to start);
   * reading changes nothing, so a consumer that crashed before saving its cursor reads the same
   * entries again (at-least-once).
   *
   * <p>What a consumer may rely on:
   *
   * <ul>
   *   <li>An entry is written in the same transaction as the change it describes: a change that
   *       committed has its entry and an entry names a change that committed.
   *   <li>Positions are 1, 2, 3… in the order the changes committed, on every store and with any
   *       number of instances writing: once a read returned position {@code n}, no entry at or
   *       below {@code n} can appear later. A cursor never skips an entry.
   *   <li>Positions leave no gap except where {@code omni.prune(now)} removed entries older than
   *       the change retention ({@link io.omni.Omni.Builder#changeRetention}, 30 days by default):
   *       a first entry more than one past the cursor means the consumer fell behind the retention
   *       and missed what lies between.
   *   <li>No entry holds an identifier's value: entries name profiles, event ids and times, so an
   *       erased value is never in the feed.
   * </ul>
   *
   * <pre>{@code
   * List<ProfileChange> page = ids.changes(cursor, 500);
   * for (ProfileChange change : page) { warehouse.apply(change); }
   * if (!page.isEmpty()) cursor = page.get(page.size() - 1).position();
   * }</pre>
   *
   * @param cursor the position of the last entry the consumer handled; 0 for the start of the feed
   * @param max how many entries at most, 1 to 10,000
   * @return the entries with a position above the cursor, in position order; empty when there are
   *     none yet
   * @throws IllegalArgumentException if the cursor is negative or {@code max} out of range
   */
  List<ProfileChange> changes(long cursor, int max);

  /**
   * An operator's correction: these two identifiers belong to different people. If one profile
   * holds both, it is re-resolved now from its evidence with the two kept apart (the part holding
   * its oldest identifier keeps the id; the change feed gets the splits, then one {@link
   * ProfileChange.Kind#CORRECTED} entry, all with the cause {@link Correction#cause()}). While the
   * correction is active, no link puts them in one profile again: a link that would merge their
   * profiles keeps its other part and records a {@link Conflict.Kind#SEPARATED} conflict (which
   * counts towards marking the bridging identifier shared, as every conflict does), and {@link
   * #rebuild()} and {@link #preview} replay the evidence with the same constraint.
   *
   * <p>Cost: a link pays for separations only when its plan would merge two or more existing
   * profiles; it then reads the active separations and finds the profiles of their identifiers,
   * in proportion to the number of active separations (operators make few), never to the size of a
   * profile.
   *
   * <p>A separation of two identifiers that an active separation already keeps apart (in either
   * order) makes no second correction: it answers the one kept, author and reason included, so
   * that one {@link #withdraw} undoes it.
   *
   * @param author who makes it, 1 to {@value Correction#MAX_AUTHOR} characters
   * @param reason why, up to {@value Correction#MAX_REASON} characters; no personal data beyond
   *     the two identifiers
   * @return the correction as kept, with its id
   * @throws io.omni.UnknownIdentifierException if either identifier is not linked; nothing is
   *     stored
   * @throws io.omni.CorrectionConflictException if an active join says they are one person, or
   *     active joins hold them together; the exception names the blocking join; nothing is stored
   * @throws IllegalArgumentException if {@code a} equals {@code b}, or the author or reason breaks
   *     its rule; nothing is stored
   */
  Correction separate(Identifier a, Identifier b, String author, String reason);

  /**
   * An operator's correction: these two identifiers belong to the same person. Their profiles
   * merge now, the older surviving as on any link (a {@link MergeEvent} and a {@link
   * ProfileChange.Kind#MERGED} entry with the cause {@link Correction#cause()}, then one {@link
   * ProfileChange.Kind#CORRECTED} entry). The join is kept as a piece of evidence of its own,
   * recorded now on the channel {@code "omni:correction:<id>"}, which every re-resolution ({@link
   * #rebuild(IdentityRules)} under stricter rules, {@link #preview}, a forget, a shared mark)
   * applies unconditionally, whatever the rules: a join is not subject to limits or guards.
   *
   * <p>A join of two identifiers that an active join already holds in one profile makes no second
   * correction: it answers the one kept, and carries to the profile whatever its merge left in the
   * other stores (carts, journeys, runs) — so a caller's retry after a failure completes the join
   * once.
   *
   * @param author who makes it, 1 to {@value Correction#MAX_AUTHOR} characters
   * @param reason why, up to {@value Correction#MAX_REASON} characters
   * @return the correction as kept, with its id
   * @throws io.omni.UnknownIdentifierException if either identifier is not linked; nothing is
   *     stored
   * @throws io.omni.CorrectionConflictException if an active separation keeps them apart, or
   *     keeps apart two identifiers of the profiles the join would merge; the exception names it;
   *     nothing is stored
   * @throws IllegalArgumentException if {@code a} equals {@code b}, or the author or reason breaks
   *     its rule; nothing is stored
   */
  Correction join(Identifier a, Identifier b, String author, String reason);

  /**
   * Withdraws a correction: it is kept, marked withdrawn by whom and when, and stops binding. The
   * profiles it touched are re-resolved from the evidence alone: a withdrawn separation lets the
   * evidence join its two profiles again (as {@link #rebuild()} would decide them), a withdrawn
   * join splits its profile again where no other evidence joins it. The change feed gets the
   * merges or splits, then one {@link ProfileChange.Kind#WITHDRAWN} entry, all with the
   * correction's cause. Withdrawing a withdrawn correction changes nothing and answers it as kept;
   * for a separation it does carry to the profile whatever the merge of its withdrawal left in the
   * other stores (carts, journeys, runs), so that a caller's retry after a failure completes it.
   *
   * @param author who withdraws it, 1 to {@value Correction#MAX_AUTHOR} characters
   * @return the correction as now kept
   * @throws io.omni.UnknownCorrectionException if no correction has this id (never made, or
   *     dropped by a forget)
   */
  Correction withdraw(long correctionId, String author);

  /**
   * The corrections that name this identifier, active and withdrawn, oldest first. A {@link
   * #forget} of an identifier drops every correction that names it (they hold its value), so that
   * an erasure leaves no trace of it in the corrections either.
   */
  List<Correction> corrections(Identifier identifier);

  /** Normalizes a phone number with the default region set on the builder. */
  Identifier phone(String raw);

  /** How many identifiers and profiles are live, and how much evidence is kept. */
  Stats stats();

  /**
   * Counts of what the identity graph holds.
   *
   * @param identifiers identifiers currently resolved to a profile
   * @param profiles live profiles (not counting aliases)
   * @param evidence evidence records kept
   * @param sharedIdentifiers identifiers marked shared
   */
  record Stats(long identifiers, long profiles, long evidence, long sharedIdentifiers) {}
}
