package io.omni.spi;

import io.omni.identity.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One link as it was recorded: the identifiers seen together in one event, and which of them the
 * guards accepted as one group.
 *
 * @param sequence the store's order of evidence, 1 and up; 0 for evidence not stored yet
 * @param eventId the caller's event id, or {@code null} when Omni generated one (it then reads as
 *     {@code "evidence-<sequence>"})
 * @param channel the channel of the event
 * @param at when the event happened
 * @param identifiers the identifiers of the event in the caller's order, blocked values left out;
 *     at most 64
 * @param accepted bit {@code i} is set when {@code identifiers.get(i)} was joined into the
 *     event's group
 */
public record Evidence(
    long sequence, String eventId, String channel, Instant at, List<Identifier> identifiers, long accepted) {

  /** The most identifiers one piece of evidence may hold. */
  public static final int MAX_IDENTIFIERS = 64;

  /** Checks the fields. */
  public Evidence {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    identifiers = List.copyOf(identifiers);
    if (identifiers.isEmpty() || identifiers.size() > MAX_IDENTIFIERS) {
      throw new IllegalArgumentException(
          "evidence holds 1 to " + MAX_IDENTIFIERS + " identifiers, not " + identifiers.size());
    }
  }

  /** The event id to show: the caller's, or {@code "evidence-<sequence>"}. */
  public String displayId() {
    return eventId != null ? eventId : "evidence-" + sequence;
  }

  /** Whether the identifier at this index was accepted into the event's group. */
  public boolean accepted(int index) {
    return (accepted & (1L << index)) != 0;
  }

  /** The same evidence with other accepted bits. */
  public Evidence withAccepted(long mask) {
    return new Evidence(sequence, eventId, channel, at, identifiers, mask);
  }
}
