package io.omni.journey;

import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order placed in any channel — a cart checked out on the web, a purchase by phone, a sale at a
 * store's POS. Orders from every channel form one history per customer.
 *
 * @param id the shop's order id
 * @param profile the customer's profile at the time of the order
 * @param channel the channel it was placed in, e.g. {@code "call-center"}
 * @param at when it was placed
 * @param lines what was bought; may be empty when the channel does not report lines
 */
public record Order(String id, ProfileId profile, String channel, Instant at, List<OrderLine> lines) {

  /** Checks and copies the fields. */
  public Order {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("an order id must not be blank");
    }
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    lines = List.copyOf(lines);
  }
}
