package io.omni.channel;

import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a customer in one channel: an ad click, a page view, a chat message,
 * a call, a cart change, an order, a promo redeemed, a consent given. Fed to {@code
 * omni.ingest(event)}, which links its identifiers into one profile and puts it on the journey.
 *
 * <pre>{@code
 * ChannelEvent.builder("call-center").id("evt-10").at(now)
 *     .identifiers(Identifier.phone("+79161234567"), Identifier.email("ann@example.com"))
 *     .type(EventType.ORDER).attribute("order", "o-17").line(LineKey.of("SKU-1"), 2)
 *     .build();
 * }</pre>
 *
 * <p>The record holds what it was given: the rules (an id, at least one identifier, a known
 * channel, quantities of at least 1, and the limits every store keeps: an id of at most 255
 * characters, at most 64 attributes with names of at most 255 and values of at most 16,384
 * characters, no NUL or lone surrogate, a time from 1970-01-01 to 5999-12-31) are checked by
 * {@code ingest}, which refuses a bad event with {@link io.omni.InvalidEventException} before
 * storing anything. That way an event decoded
 * from a channel's payload is judged in the same place as one built by hand.
 *
 * @param channel the id of the channel it happened in
 * @param id the event's id, unique across channels; a second delivery of an id is ignored
 * @param at when it happened
 * @param identifiers the customer's identifiers the event carries
 * @param type what happened
 * @param attributes details by name, e.g. {@code "code"} of a promo redemption, {@code "url"} of a page
 * @param lines cart or order lines, for {@link EventType#CART_ADD}, {@link EventType#CART_REMOVE}
 *     and {@link EventType#ORDER}
 */
public record ChannelEvent(
    String channel,
    String id,
    Instant at,
    List<Identifier> identifiers,
    EventType type,
    Map<String, String> attributes,
    List<Line> lines) {

  /** Checks for nulls and copies the collections. */
  public ChannelEvent {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    identifiers = List.copyOf(identifiers);
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    lines = List.copyOf(lines);
  }

  /** A builder of an event from this channel. */
  public static Builder builder(String channel) {
    return new Builder(channel);
  }

  /** An attribute's value, if the event has it. */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /**
   * One line of a cart change or an order.
   *
   * @param key the line
   * @param quantity how many; {@code ingest} refuses anything below 1
   */
  public record Line(LineKey key, int quantity) {
    /** Checks that the key is there. */
    public Line {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Builds a {@link ChannelEvent}. The type and the time must be given; the rest stays empty
   * unless given.
   */
  public static final class Builder {
    private final String channel;
    private String id;
    private Instant at;
    private final List<Identifier> identifiers = new ArrayList<>();
    private EventType type;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Line> lines = new ArrayList<>();

    private Builder(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
    }

    /** The event's id. */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /** When it happened. */
    public Builder at(Instant at) {
      this.at = Objects.requireNonNull(at, "at");
      return this;
    }

    /** Adds identifiers of the customer. */
    public Builder identifiers(Identifier... identifiers) {
      return identifiers(Arrays.asList(identifiers));
    }

    /** Adds identifiers of the customer. */
    public Builder identifiers(Collection<Identifier> identifiers) {
      for (Identifier identifier : identifiers) {
        this.identifiers.add(Objects.requireNonNull(identifier, "identifier"));
      }
      return this;
    }

    /** What happened. */
    public Builder type(EventType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** Sets one attribute. */
    public Builder attribute(String name, String value) {
      attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of " + name));
      return this;
    }

    /** Adds a line with a quantity. */
    public Builder line(LineKey key, int quantity) {
      lines.add(new Line(key, quantity));
      return this;
    }

    /** Adds a line of quantity 1 (for a {@link EventType#CART_REMOVE} the quantity is not read). */
    public Builder line(LineKey key) {
      return line(key, 1);
    }

    /**
     * Builds the event.
     *
     * @throws NullPointerException if no type or no time was given
     */
    public ChannelEvent build() {
      Objects.requireNonNull(type, "type of event " + id);
      Objects.requireNonNull(at, "at (the time) of event " + id);
      return new ChannelEvent(channel, id, at, identifiers, type, attributes, lines);
    }
  }
}
