package io.omni.identity;

import io.omni.internal.Limits;
import java.time.Instant;
import java.util.Objects;

/**
 * An operator's correction of identity resolution: a support agent or a data steward says that two
 * identifiers belong to different people ({@link Kind#SEPARATE}) or to the same person ({@link
 * Kind#JOIN}). A correction is kept as evidence, with who made it, when and why; it takes effect at
 * once, binds every later link, {@link Identities#rebuild()} and {@link Identities#preview}, shows in
 * {@link Identities#explain}, and can be {@linkplain Identities#withdraw withdrawn}, which re-resolves
 * the profiles it touched from the evidence alone.
 *
 * <pre>{@code
 * Correction apart = ids.separate(email("ann@example.com"), email("boris@example.com"),
 *     "agent-17", "ticket 4411: two people share the family tablet");
 * ids.withdraw(apart.id(), "agent-17");  // the evidence decides again
 * }</pre>
 *
 * @param id the store's number for it, 1 and up, in the order corrections were made; 0 only in a
 *     correction handed to a store to be kept, which gives it its id
 * @param kind separate or join
 * @param a the first identifier named
 * @param b the second identifier named; never equal to {@code a}
 * @param author who made it: an operator's name or id, 1 to {@value #MAX_AUTHOR} characters
 * @param reason why, up to {@value #MAX_REASON} characters (may be empty); it must not hold
 *     personal data beyond the two identifiers, since only those are erased by a forget
 * @param at when it was made, by the Omni's clock, to the millisecond
 * @param withdrawnBy who withdrew it, or {@code null} while it is active
 * @param withdrawnAt when it was withdrawn, or {@code null} while it is active
 */
public record Correction(long id, Kind kind, Identifier a, Identifier b, String author, String reason, Instant at,
    String withdrawnBy, Instant withdrawnAt) {

  /** The longest author a correction keeps. */
  public static final int MAX_AUTHOR = 255;
  /** The longest reason a correction keeps. */
  public static final int MAX_REASON = 1000;

  /** What a correction says. */
  public enum Kind {
    /**
     * The two identifiers belong to different people: their profiles are split now if one holds
     * both, and no later link, rebuild or preview puts them in one profile again while the
     * correction is active (a link that would is refused in part, a {@link Conflict.Kind#SEPARATED}
     * conflict).
     */
    SEPARATE,
    /**
     * The two identifiers belong to the same person: their profiles merge now, and every
     * re-resolution joins them unconditionally, whatever the rules, while the correction is active.
     */
    JOIN
  }

  /** Checks the fields; see the parameters. */
  public Correction {
    if (id < 0) {
      throw new IllegalArgumentException("a correction's id must not be negative, was " + id);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(at, "at");
    if (a.equals(b)) {
      throw new IllegalArgumentException("a correction names two different identifiers, was given " + a.type()
          + " twice");
    }
    Limits.text("author", author, MAX_AUTHOR);
    if (author.isBlank()) {
      throw new IllegalArgumentException("author must name who makes the correction, was blank");
    }
    Limits.text("reason", reason, MAX_REASON);
    if ((withdrawnBy == null) != (withdrawnAt == null)) {
      throw new IllegalArgumentException("a withdrawn correction names both who withdrew it and when");
    }
    if (withdrawnBy != null) {
      Limits.text("withdrawnBy", withdrawnBy, MAX_AUTHOR);
      if (withdrawnBy.isBlank()) {
        throw new IllegalArgumentException("withdrawnBy must name who withdraws the correction, was blank");
      }
    }
  }

  /** A new, active correction to be kept; the store gives it its id. */
  public static Correction of(Kind kind, Identifier a, Identifier b, String author, String reason, Instant at) {
    return new Correction(0, kind, a, b, author, reason, at, null, null);
  }

  /** This correction under the id a store gave it. */
  public Correction withId(long id) {
    if (id < 1) {
      throw new IllegalArgumentException("a kept correction's id starts at 1, was " + id);
    }
    return new Correction(id, kind, a, b, author, reason, at, withdrawnBy, withdrawnAt);
  }

  /** This correction, withdrawn by someone at a time. */
  public Correction withdrawn(String by, Instant when) {
    return new Correction(id, kind, a, b, author, reason, at, Objects.requireNonNull(by, "by"),
        Objects.requireNonNull(when, "when"));
  }

  /** Whether it is in force: not withdrawn. */
  public boolean active() {
    return withdrawnAt == null;
  }

  /** Whether it names this identifier, as {@code a} or as {@code b}. */
  public boolean names(Identifier identifier) {
    return a.equals(identifier) || b.equals(identifier);
  }

  /** Whether it names exactly these two identifiers, in either order. */
  public boolean pairs(Identifier x, Identifier y) {
    return a.equals(x) && b.equals(y) || a.equals(y) && b.equals(x);
  }

  /**
   * The cause that the change feed and merge events give for what this correction did: {@code
   * "correction-<id>"}.
   */
  public String cause() {
    return causeOf(id);
  }

  /** {@code "correction-<id>"}: the cause named by what correction {@code id} did. */
  public static String causeOf(long id) {
    return "correction-" + id;
  }
}
