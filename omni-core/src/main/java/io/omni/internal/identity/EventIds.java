package io.omni.internal.identity;

import io.omni.EventIdReusedException;
import io.omni.identity.Identifier;
import io.omni.identity.IdentityRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The rule that an event id names one set of identifiers: a second use of an id is a redelivery
 * only when it carries the same identifiers, else it is refused ({@link EventIdReusedException}).
 *
 * <p>"The same": equal as sets of normalized identifiers (order and repeats do not count), leaving
 * out on both sides the values the current rules block. Evidence keeps the identifiers of the
 * first delivery in full — those the guards then held back, those shared, all of them — and only
 * loses the values blocked when it was stored (and is removed whole by a {@code forget}); neither
 * {@code rebuild} nor a correction changes what it holds. So a genuine redelivery always
 * compares equal, whatever the rules did with it, except across a rule change that <em>unblocked</em>
 * a value the first delivery held: the evidence cannot tell that value from an added one, and the
 * redelivery is refused.
 *
 * <p>Only the link that finds its event id used before pays for the comparison, out of what it read
 * already; a new event costs nothing more.
 */
public final class EventIds {
  private EventIds() {}

  /**
   * Refuses {@code given} unless it holds the same identifiers as {@code first}, the identifiers of
   * the first use of the event id (see the class comment).
   *
   * @param refused where the refused link is, in words, or {@code null}
   * @param firstUse what used the id first, in words ({@code "linked before"})
   */
  public static void requireSame(IdentityRules rules, String eventId, String refused, String firstUse,
      Collection<Identifier> given, Collection<Identifier> first) {
    List<Identifier> added = missingFrom(rules, given, first);
    List<Identifier> leftOut = missingFrom(rules, first, given);
    if (!added.isEmpty() || !leftOut.isEmpty()) {
      throw new EventIdReusedException(eventId, refused, firstUse, added, leftOut);
    }
  }

  /**
   * Refuses a batch in which two items name one event id with different identifiers; the later
   * one is named, as {@code "<noun> k of the batch"}. Items without an event id are skipped.
   *
   * @param eventIds the items' event ids, {@code null} for none
   * @param identifiers the items' identifiers, by position
   * @param noun what the batch holds: {@code "link"}, {@code "event"}
   */
  public static void requireOneSetPerId(IdentityRules rules, List<String> eventIds,
      IntFunction<Collection<Identifier>> identifiers, String noun) {
    Map<String, Integer> first = null;
    for (int k = 0; k < eventIds.size(); k++) {
      String id = eventIds.get(k);
      if (id == null) {
        continue;
      }
      if (first == null) {
        first = new HashMap<>();
      }
      Integer j = first.putIfAbsent(id, k);
      if (j != null) {
        requireSame(rules, id, noun + " " + k + " of the batch", "used by " + noun + " " + j + " of the batch",
            identifiers.apply(k), identifiers.apply(j));
      }
    }
  }

  /** The identifiers of {@code these}, once each, that {@code others} lacks and the rules do not block. */
  private static List<Identifier> missingFrom(IdentityRules rules, Collection<Identifier> these,
      Collection<Identifier> others) {
    Set<Identifier> lookup = others.size() > 8 ? new LinkedHashSet<>(others) : null;
    List<Identifier> missing = new ArrayList<>(0);
    for (Identifier id : these) {
      boolean there = lookup != null ? lookup.contains(id) : others.contains(id);
      if (!there && !missing.contains(id) && !rules.isBlocked(id)) {
        missing.add(id);
      }
    }
    return missing;
  }
}
