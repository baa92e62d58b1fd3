package io.omni.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One event's identifiers, for {@link Identities#linkAll}: what {@link Identities#link(String,
 * String, Instant, Collection)} takes, as a value. The identifiers are checked when the batch is
 * linked, so that an error can name the link's place in the batch.
 *
 * <pre>{@code
 * ids.linkAll(List.of(
 *     new Link("evt-1", "web", at, List.of(Identifier.cookie("c-81"), Identifier.email("ann@example.com"))),
 *     Link.of("pos", Identifier.loyaltyCard("L-7"), Identifier.email("ann@example.com"))));
 * }</pre>
 *
 * @param eventId the event's id, or {@code null} to generate one
 * @param channel the channel the event came from
 * @param at when the event happened, or {@code null} for the time the batch is linked
 * @param identifiers what the event holds, at least one
 */
public record Link(String eventId, String channel, Instant at, List<Identifier> identifiers) {

  /** Keeps an unmodifiable copy of the identifiers (nulls included, to be reported by position). */
  public Link {
    Objects.requireNonNull(identifiers, "identifiers");
    identifiers = Collections.unmodifiableList(new ArrayList<>(identifiers));
  }

  /** A link with a generated event id, happening when the batch is linked. */
  public static Link of(String channel, Identifier... identifiers) {
    Objects.requireNonNull(identifiers, "identifiers");
    return new Link(null, channel, null, Arrays.asList(identifiers));
  }
}
