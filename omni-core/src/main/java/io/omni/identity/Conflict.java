package io.omni.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A link Omni refused, in part, to protect a profile from over-merging. Conflicts are kept on the
 * profile the identifier was refused from, so that a shop can see what was held back and why.
 *
 * @param identifier the identifier that was held back
 * @param kind which guard held it back
 * @param eventId the event whose link was refused in part
 * @param at when that event happened
 */
public record Conflict(Identifier identifier, Kind kind, String eventId, Instant at) {

  /** Which guard raised a conflict. */
  public enum Kind {
    /** Joining would have put more identifiers of one type in a profile than its limit allows. */
    LIMIT,
    /** A weak identifier (device, cookie) would have bridged two known customers. */
    WEAK_BRIDGE,
    /** The identifier was marked shared: it collided too often and now joins nobody. */
    SHARED,
    /**
     * Joining would have put two identifiers in one profile that an active operator correction
     * ({@link Correction.Kind#SEPARATE}) keeps apart.
     */
    SEPARATED
  }

  /** Checks that nothing is null. */
  public Conflict {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(at, "at");
  }
}
