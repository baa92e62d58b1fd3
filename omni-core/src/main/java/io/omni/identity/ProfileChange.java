package io.omni.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the change feed ({@link Identities#changes(long, int)}): two profiles merged, a
 * profile split, a profile had an identifier forgotten, or an operator made or withdrew a
 * {@link Correction}. An entry names profiles, never an
 * identifier's value, so that nothing an erasure removed can be read back from the feed.
 *
 * <pre>{@code
 * long cursor = loadCursor();                            // 0 the first time
 * for (ProfileChange change : ids.changes(cursor, 100)) {
 *   crm.tell(change.kind(), change.profile(), change.other());
 *   cursor = change.position();
 * }
 * saveCursor(cursor);                                    // only once the changes were handled
 * }</pre>
 *
 * @param position the entry's place in the feed: 1 for the first entry ever written, then one more
 *     for each entry, in the order the identity writes that made them committed; 0 only in an
 *     entry handed to a store to be written, which gives it its position
 * @param kind what happened
 * @param profile the profile it happened to: the survivor of a merge, the profile that kept its id
 *     in a split, the profile that held the forgotten identifier
 * @param other the second profile of a merge or a split (the merged profile, now an alias of
 *     {@code profile}; the profile issued for the part that split off); {@code null} for {@link
 *     Kind#FORGOTTEN}
 * @param cause what caused it: the id of the event whose link merged the profiles or marked an
 *     identifier shared (a generated {@code evidence-<n>} for a link without one), {@code
 *     "rebuild"} for a rebuild, {@code "forget"} for an erasure, {@code "correction-<id>"} for
 *     what a correction or its withdrawal did
 * @param at when Omni recorded it, by the Omni's clock; {@code omni.prune(now)} drops entries older
 *     than the change retention by this time
 */
public record ProfileChange(long position, Kind kind, ProfileId profile, ProfileId other, String cause,
    Instant at) {

  /** The cause of changes made by {@link Identities#rebuild()}. */
  public static final String REBUILD = "rebuild";
  /** The cause of changes made by {@link Identities#forget(Identifier)}. */
  public static final String FORGET = "forget";

  /** What happened to a profile. */
  public enum Kind {
    /** {@code other} was merged into {@code profile} and is now its alias. */
    MERGED,
    /**
     * Part of {@code profile} split off into the new profile {@code other}: a forget, an
     * identifier marked shared or a rebuild left evidence that no longer joins them. A profile
     * that splits into three parts makes two entries.
     */
    SPLIT,
    /** An identifier of {@code profile} was forgotten (its value is in no entry). */
    FORGOTTEN,
    /**
     * An operator made a correction ({@link Identities#separate}, {@link Identities#join}):
     * {@code profile} and {@code other} are the profiles of its two identifiers after it (equal
     * for a join). The merge or the splits it made come just before it, with the same cause,
     * {@code "correction-<id>"} ({@link Correction#cause()}). One entry per correction.
     */
    CORRECTED,
    /**
     * A correction was withdrawn ({@link Identities#withdraw}): {@code profile} and {@code other}
     * are the profiles of its two identifiers after the evidence decided again. The merges or
     * splits that made come just before it, with the same cause, {@code "correction-<id>"}. One
     * entry per withdrawal.
     */
    WITHDRAWN
  }

  /** Checks the entry: {@code other} is given for a merge or a split and only then. */
  public ProfileChange {
    if (position < 0) {
      throw new IllegalArgumentException("position must not be negative, was " + position);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(at, "at");
    if ((other == null) != (kind == Kind.FORGOTTEN)) {
      throw new IllegalArgumentException(kind + " of " + profile + (other == null
          ? " needs the other profile" : " names no other profile, was given " + other));
    }
  }

  /** An entry to be written, which the store gives its position. */
  public static ProfileChange of(Kind kind, ProfileId profile, ProfileId other, String cause, Instant at) {
    return new ProfileChange(0, kind, profile, other, cause, at);
  }

  /** This entry at a position in the feed: a store calls it as it writes the entry. */
  public ProfileChange withPosition(long position) {
    if (position < 1) {
      throw new IllegalArgumentException("a written entry's position starts at 1, was " + position);
    }
    return new ProfileChange(position, kind, profile, other, cause, at);
  }
}
