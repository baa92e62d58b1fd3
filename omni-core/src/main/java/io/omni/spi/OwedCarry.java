package io.omni.spi;

import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.Objects;

/**
 * A merge whose carrying to the other stores is owed: noted by the identity write that made the
 * merge, in its own transaction ({@link IdentityTransaction#owe}), and removed once Omni has carried
 * it ({@link IdentityStore#carried}). What {@code campaigns().advance(now)} repairs when the carrying
 * that followed the merge's commit failed, or the process died before it: see {@link
 * IdentityStore#owedCarries}.
 *
 * <p>A profile is merged away at most once, so {@code merged} is the key: a store keeps at most one
 * owed carry per merged profile.
 *
 * @param merged the profile merged away (canonical: {@link ProfileId#number()} is not 0)
 * @param survivor the profile it was merged into then; it may have merged on since, so the carry
 *     goes to the live profile {@code merged} resolves to when it is carried
 * @param cause the merge's cause (the event id, or the correction's or the rebuild's)
 * @param channel the channel of the event that merged
 * @param at when that event happened (kept to the millisecond)
 * @param noted when the write noted it, by Omni's clock (kept to the millisecond)
 */
public record OwedCarry(ProfileId merged, ProfileId survivor, String cause, String channel, Instant at,
    Instant noted) {

  /** Checks that nothing is null and that both profiles are canonical ids. */
  public OwedCarry {
    Objects.requireNonNull(merged, "merged");
    Objects.requireNonNull(survivor, "survivor");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(noted, "noted");
    if (merged.number() == 0 || survivor.number() == 0) {
      throw new IllegalArgumentException("an owed carry names canonical profiles (p-<number>), was " + merged
          + " into " + survivor);
    }
  }

  /** The carry owed for one merge, noted at {@code noted}. */
  public static OwedCarry of(MergeEvent merge, Instant noted) {
    return new OwedCarry(merge.merged(), merge.survivor(), merge.cause(), merge.channel(), merge.at(), noted);
  }

  /** The merge to carry now, into {@code live}: the profile {@code merged} resolves to today. */
  public MergeEvent toMerge(ProfileId live) {
    return new MergeEvent(live, merged, cause, channel, at);
  }
}
