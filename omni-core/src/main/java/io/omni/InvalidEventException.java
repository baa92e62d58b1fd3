package io.omni;

import io.omni.internal.Limits;
import java.util.Objects;

/**
 * A channel event was refused before anything of it was stored: it holds no identifiers, a cart
 * line has a quantity below 1, it redeems a promo code that belongs to no campaign run or to
 * another customer's, and so on. Nothing is stored when this is thrown — not even the link of
 * its identifiers. The message shows the id readably (invisible characters escaped, a long id cut
 * short); {@link #eventId()} is the id exactly as given.
 *
 * <pre>{@code
 * try {
 *   omni.ingest(event);
 * } catch (InvalidEventException e) {
 *   e.eventId(); // "evt-9"
 *   e.problem(); // "promo code 'OMNI-7K3F' belongs to no campaign run"
 * }
 * }</pre>
 */
public final class InvalidEventException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String eventId;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param eventId the event's id as given (may be {@code null} or blank when that is the problem)
   * @param problem the rule the event broke, in a few words
   */
  public InvalidEventException(String eventId, String problem) {
    super("event '" + Limits.shown(eventId) + "' refused: " + problem);
    this.eventId = eventId;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The event's id as given; {@code null} when none was. */
  public String eventId() {
    return eventId;
  }

  /** The rule the event broke. */
  public String problem() {
    return problem;
  }
}
