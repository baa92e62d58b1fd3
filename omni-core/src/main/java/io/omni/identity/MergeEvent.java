package io.omni.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * Two profiles became one. Delivered to {@link Identities#onMerge listeners} once per merge,
 * after the merge is stored. The merged id never merges again (it is an alias now), so {@code
 * merged} identifies the merge: a listener that must not apply a merge twice keys on it.
 *
 * @param survivor the older profile, whose id lives on
 * @param merged the younger profile, whose id is now an alias of the survivor
 * @param cause the id of the event whose link joined them
 * @param channel the channel of that event
 * @param at when that event happened
 */
public record MergeEvent(ProfileId survivor, ProfileId merged, String cause, String channel, Instant at) {

  /** Checks that nothing is null. */
  public MergeEvent {
    Objects.requireNonNull(survivor, "survivor");
    Objects.requireNonNull(merged, "merged");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
  }
}
