package io.omni;

import io.omni.identity.Identifier;
import io.omni.internal.Limits;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A link (or an event) was refused because its event id was used before with other identifiers.
 * An event id names one set of identifiers: a link whose id was linked before is a redelivery (a
 * caller's retry) and is answered as the first delivery was, but only when it carries the same
 * identifiers. Two producers with overlapping id schemes, or a counter that was reset, would
 * otherwise lose the second event's identifiers without a word.
 *
 * <p>The identifiers are compared as sets of normalized identifiers: their order, the channel and
 * the time do not count (a redelivery may come from another channel or at another time), and
 * neither do values the current identity rules block, which no evidence keeps. Nothing is stored
 * when this is thrown: no identifier, no evidence, no touchpoint, and an event is not marked
 * processed. It is not a transient failure: retrying the same input fails again.
 *
 * <p>The message names the event id (shown readably, as {@link InvalidEventException} shows it)
 * and the <em>types</em> of the identifiers that differ, never their values, so that a log of it
 * keeps no personal data; {@link #added()} and {@link #leftOut()} hold the identifiers themselves.
 *
 * <pre>{@code
 * try {
 *   ids.link("evt-9", "web", at, List.of(Identifier.email("bob@example.com")));
 * } catch (EventIdReusedException e) {
 *   e.eventId(); // "evt-9", linked before with ann@example.com
 *   e.added();   // [email:bob@example.com]
 *   e.leftOut(); // [email:ann@example.com]
 * }
 * }</pre>
 */
public final class EventIdReusedException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String eventId;
  private final transient List<Identifier> added;
  private final transient List<Identifier> leftOut;

  /**
   * Creates the exception.
   *
   * @param eventId the event id that was reused
   * @param refused where the refused link is, in words ({@code "link 3 of the batch"}), or {@code
   *     null} for a single link or event
   * @param firstUse what used the id first, in words: {@code "linked before"} for stored evidence,
   *     {@code "used by link 1 of the batch"} for an earlier link of the same batch
   * @param added the identifiers the refused link holds and the first use does not
   * @param leftOut the identifiers the first use holds and the refused link does not
   */
  public EventIdReusedException(String eventId, String refused, String firstUse, Collection<Identifier> added,
      Collection<Identifier> leftOut) {
    super("event id '" + Limits.shown(eventId) + "'" + (refused != null ? " of " + refused : "") + " was "
        + Objects.requireNonNull(firstUse, "firstUse") + " with other identifiers: this one " + difference(added, leftOut)
        + ". An event id names one set of identifiers, and a redelivery must carry the same ones (in any order;"
        + " values the identity rules block aside); give a different event an id of its own. Nothing was stored");
    this.eventId = eventId;
    this.added = List.copyOf(added);
    this.leftOut = List.copyOf(leftOut);
  }

  /** The event id that was reused, exactly as given. */
  public String eventId() {
    return eventId;
  }

  /** The identifiers the refused link holds and the first use of its event id does not. */
  public List<Identifier> added() {
    return added;
  }

  /** The identifiers the first use of the event id holds and the refused link does not. */
  public List<Identifier> leftOut() {
    return leftOut;
  }

  /** {@code "adds 1 phone and leaves out 2 cookie"}: counts by type, never a value. */
  private static String difference(Collection<Identifier> added, Collection<Identifier> leftOut) {
    String adds = byType(Objects.requireNonNull(added, "added"));
    String leaves = byType(Objects.requireNonNull(leftOut, "leftOut"));
    if (adds.isEmpty()) {
      return "leaves out " + leaves;
    }
    return leaves.isEmpty() ? "adds " + adds : "adds " + adds + " and leaves out " + leaves;
  }

  private static String byType(Collection<Identifier> ids) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Identifier id : ids) {
      counts.merge(id.type().name(), 1, Integer::sum);
    }
    StringBuilder text = new StringBuilder();
    counts.forEach((type, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(' ')
        .append(Limits.shown(type)));
    return text.toString();
  }
}
