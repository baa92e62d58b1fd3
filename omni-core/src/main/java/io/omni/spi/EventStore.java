package io.omni.spi;

import io.omni.channel.Consent;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import java.time.Instant;
import java.util.List;

/**
 * Storage of what {@code omni.ingest(...)} records: the ids of processed events, each customer's
 * touchpoints, orders and consent per channel. Records are keyed by the profile id core passes —
 * always a live (canonical) id; core resolves aliases before it reads or writes.
 *
 * <p>The store only stores: core decides what is recorded, in what order, and what a merge keeps.
 * Implementations must be thread-safe.
 */
public interface EventStore {

  /**
   * Marks an event id processed.
   *
   * @return {@code true} if it was not processed before, {@code false} if it was (a redelivery)
   */
  boolean markProcessed(String eventId, Instant at);

  /** Whether an event id was processed. */
  boolean processed(String eventId);

  /** Appends a touchpoint to a profile's journey. */
  void appendTouchpoint(ProfileId profile, Touchpoint touchpoint);

  /** A profile's touchpoints in the order they were appended. */
  List<Touchpoint> touchpoints(ProfileId profile);

  /** Appends an order to a profile's history. */
  void appendOrder(ProfileId profile, Order order);

  /** A profile's orders in the order they were appended. */
  List<Order> orders(ProfileId profile);

  /** Stores a profile's consent for the consent's channel, replacing the one stored before. */
  void putConsent(ProfileId profile, Consent consent);

  /** A profile's consent decisions, one per channel, in no particular order. */
  List<Consent> consents(ProfileId profile);

  /**
   * Moves everything of {@code merged} to {@code survivor} after an identity merge: touchpoints
   * and orders are appended to the survivor's; the merged profile's consents are dropped (core has
   * already written what survives with {@link #putConsent}).
   */
  void rekey(ProfileId merged, ProfileId survivor);
}
