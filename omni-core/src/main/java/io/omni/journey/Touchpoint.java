package io.omni.journey;

import io.omni.channel.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a customer's journey: an event seen in a channel (an ad click, a page, a chat, a
 * call, an order) or a campaign message sent to them.
 *
 * @param eventId the id of the event it came from
 * @param channel the channel it happened in
 * @param type what happened
 * @param at when it happened
 * @param attributes the event's details, e.g. {@code "url"} of a page
 */
public record Touchpoint(String eventId, String channel, EventType type, Instant at, Map<String, String> attributes) {

  /** Checks for nulls and copies the attributes. */
  public Touchpoint {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** A touchpoint. */
  public static Touchpoint of(String eventId, String channel, EventType type, Instant at, Map<String, String> attributes) {
    return new Touchpoint(eventId, channel, type, at, attributes);
  }
}
