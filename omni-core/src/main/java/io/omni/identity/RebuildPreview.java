package io.omni.identity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Identities#rebuild(IdentityRules)} would do under new rules, computed by {@link
 * Identities#preview(IdentityRules)} from the same evidence and the same replay, with nothing
 * changed. As long as nothing is linked or forgotten in between, the rebuild then does exactly
 * this: the same merges in the same order, the same new profiles, the same identifiers moved.
 *
 * @param profilesBefore live profiles now
 * @param profilesAfter live profiles after the rebuild
 * @param merges how many profiles would be merged into another (each id an alias of its survivor;
 *     one {@link MergeEvent} each)
 * @param splits how many new profiles the rebuild would create: parts of today's profiles that
 *     the evidence no longer joins under the new rules
 * @param movedIdentifiers how many identifiers would resolve to another profile
 * @param mergeSample the first merges, at most {@link #SAMPLE}, in the order the rebuild makes them
 * @param splitSample the first new profiles, at most {@link #SAMPLE}, oldest part first
 * @param moveSample the first identifiers moved, at most {@link #SAMPLE}, oldest identifier first
 */
public record RebuildPreview(
    long profilesBefore,
    long profilesAfter,
    long merges,
    long splits,
    long movedIdentifiers,
    List<Merge> mergeSample,
    List<Split> splitSample,
    List<Move> moveSample) {

  /** How many merges, splits and moves a preview shows at most. */
  public static final int SAMPLE = 10;

  /** Copies the samples. */
  public RebuildPreview {
    mergeSample = List.copyOf(mergeSample);
    splitSample = List.copyOf(splitSample);
    moveSample = List.copyOf(moveSample);
  }

  /** Whether the rebuild would change nothing: no merge, no split, no identifier moved. */
  public boolean unchanged() {
    return merges == 0 && splits == 0 && movedIdentifiers == 0;
  }

  /**
   * A profile the rebuild would merge into another.
   *
   * @param survivor the profile whose id lives on
   * @param merged the profile whose id would become an alias of the survivor
   */
  public record Merge(ProfileId survivor, ProfileId merged) {
    /** Checks that nothing is null. */
    public Merge {
      Objects.requireNonNull(survivor, "survivor");
      Objects.requireNonNull(merged, "merged");
    }
  }

  /**
   * A new profile the rebuild would create.
   *
   * @param from the profile that now holds the new profile's oldest identifier
   * @param identifiers the new profile's identifiers, oldest first
   */
  public record Split(ProfileId from, List<Identifier> identifiers) {
    /** Copies the identifiers. */
    public Split {
      Objects.requireNonNull(from, "from");
      identifiers = List.copyOf(identifiers);
    }
  }

  /**
   * An identifier that would resolve to another profile.
   *
   * @param identifier the identifier
   * @param from the profile it resolves to now
   * @param to the profile it would resolve to; empty when that is a new profile, whose id the
   *     rebuild issues
   */
  public record Move(Identifier identifier, ProfileId from, Optional<ProfileId> to) {
    /** Checks that nothing is null. */
    public Move {
      Objects.requireNonNull(identifier, "identifier");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }
}
