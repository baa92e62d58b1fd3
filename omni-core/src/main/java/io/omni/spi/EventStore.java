package io.omni.spi;

import io.omni.channel.Consent;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

  /**
   * Appends a touchpoint to a profile's journey, unless a touchpoint of the same event id is stored
   * already, for this profile or any other: appending is idempotent by event id. Core writes an
   * event's processed mark after all its effects, so an ingest retried after a failure midway
   * appends again, and this keeps its journey free of doubles. Must be safe when two instances
   * append the same touchpoint at once (a unique key on the event id, or a lock).
   */
  void appendTouchpoint(ProfileId profile, Touchpoint touchpoint);

  /** A profile's touchpoints in the order they were appended. */
  List<Touchpoint> touchpoints(ProfileId profile);

  /**
   * Appends an order to a profile's history, unless an order with the same {@linkplain Order#id()
   * id} is stored already, for this profile or any other: orders are idempotent by the shop's order
   * id, whichever path (an {@code ORDER} event, {@code carts().checkout}) brought them and however
   * often. Must be safe when two instances append the same order at once.
   *
   * @return the order stored under that id: this one, or the one stored before
   */
  Order appendOrder(ProfileId profile, Order order);

  /** The order stored under the shop's order id, if any, with the profile it was appended to. */
  Optional<Order> order(String orderId);

  /** A profile's orders in the order they were appended. */
  List<Order> orders(ProfileId profile);

  /** Stores a profile's consent for the consent's channel, replacing the one stored before. */
  void putConsent(ProfileId profile, Consent consent);

  /** A profile's consent decisions, one per channel, in no particular order. */
  List<Consent> consents(ProfileId profile);

  /**
   * Stores {@code next} as the profile's consent for its channel if the stored one for that channel
   * equals {@code expected} ({@code null}: none is stored), atomically: the compare-and-set every
   * consent decision goes through, so that instances recording decisions on one store at once
   * never put an earlier decision back over a later one. Core reads, decides, and runs again when
   * this answers {@code false}.
   *
   * <p>The default reads and then puts, under this store's monitor: atomic only among the threads
   * of one JVM that share this store object. A store shared by processes must override it.
   *
   * @return whether {@code next} was stored
   */
  default boolean replaceConsent(ProfileId profile, Consent expected, Consent next) {
    synchronized (this) {
      Consent stored = consents(profile).stream().filter(c -> c.channel().equals(next.channel())).findFirst()
          .orElse(null);
      if (!java.util.Objects.equals(stored, expected)) {
        return false;
      }
      putConsent(profile, next);
      return true;
    }
  }

  /**
   * Which of these profiles hold a touchpoint, an order or a consent: those a merge must move.
   * Core asks once for all the merges of a write, so that merging profiles that hold nothing (the
   * common case in a back-fill of identities) costs no writes. The default asks profile by
   * profile; a database store answers in a query.
   */
  default Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = new HashSet<>();
    for (ProfileId p : profiles) {
      if (!touchpoints(p).isEmpty() || !orders(p).isEmpty() || !consents(p).isEmpty()) {
        holding.add(p);
      }
    }
    return holding;
  }

  /**
   * Moves everything of {@code merged} to {@code survivor} after an identity merge: touchpoints
   * and orders are appended to the survivor's; the merged profile's consents are dropped (core has
   * already written what survives with {@link #putConsent}).
   */
  void rekey(ProfileId merged, ProfileId survivor);

  /**
   * Erases a forgotten identifier's value from what is stored: every touchpoint becomes {@link
   * #withoutIdentifier(Touchpoint, Identifier)} of itself. Core calls it after {@code
   * identities().forget(identifier)}; calling it again changes nothing.
   */
  void forget(Identifier identifier);

  /**
   * Forgets the processed marks made before {@code before}, so that a later delivery of one of
   * those events is applied again as if new. {@code omni.prune(now)} calls it with {@code now}
   * minus the {@code processedEventRetention} (30 days by default). Core marks an event with the
   * time it processed it, not the event's own time, so the horizon counts from the first delivery
   * (a back-fill of last year's events is deduplicated as long as today's).
   *
   * <p>The default removes nothing and answers 0: a store that does not prune keeps every mark,
   * deduplicating forever and growing by one mark per event, as before retention existed.
   *
   * @return how many marks were removed
   */
  default long pruneProcessed(Instant before) {
    Objects.requireNonNull(before, "before");
    return 0;
  }

  /**
   * Removes, from every profile's journey, the touchpoints that happened ({@link Touchpoint#at()})
   * before {@code before}. {@code omni.prune(now)} calls it with {@code now} minus the {@code
   * journeyRetention}, when one is set. Orders and consent are not touchpoints and stay.
   *
   * <p>The default removes nothing and answers 0.
   *
   * @return how many touchpoints were removed
   */
  default long pruneTouchpoints(Instant before) {
    Objects.requireNonNull(before, "before");
    return 0;
  }

  /**
   * Keeps, of each profile's journey, only the {@code perProfile} latest touchpoints — latest by
   * {@link Touchpoint#at()}, and of touchpoints at the same instant the last appended — and
   * removes the rest; the kept ones stay in append order. {@code omni.prune(now)} calls it with
   * the {@code journeyLimit}, when one is set.
   *
   * <p>The default removes nothing and answers 0.
   *
   * @return how many touchpoints were removed
   * @throws IllegalArgumentException if {@code perProfile} is negative
   */
  default long keepLatestTouchpoints(int perProfile) {
    if (perProfile < 0) {
      throw new IllegalArgumentException("perProfile must not be negative, was " + perProfile);
    }
    return 0;
  }

  /**
   * A touchpoint without the attributes whose name or value holds the identifier's value as a whole
   * word: compared ignoring case (so that {@code "Ann@Example.com"} typed into a form goes with
   * {@code email:ann@example.com}), and not inside a longer run of letters and digits (so that
   * forgetting {@code account:42} keeps a price of {@code 1299} and forgetting {@code
   * ann@example.com} keeps {@code joann@example.com}). The same touchpoint when none does. The one
   * rule every store applies.
   */
  static Touchpoint withoutIdentifier(Touchpoint touchpoint, Identifier identifier) {
    String needle = identifier.value().toLowerCase(Locale.ROOT);
    Map<String, String> kept = new LinkedHashMap<>();
    touchpoint.attributes().forEach((name, value) -> {
      if (!holds(name, needle) && !holds(value, needle)) {
        kept.put(name, value);
      }
    });
    return kept.size() == touchpoint.attributes().size() ? touchpoint
        : Touchpoint.of(touchpoint.eventId(), touchpoint.channel(), touchpoint.type(), touchpoint.at(), kept);
  }

  private static boolean holds(String text, String needle) {
    if (needle.isEmpty()) {
      return false;
    }
    String haystack = text.toLowerCase(Locale.ROOT);
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      int end = at + needle.length();
      boolean startsWord = at == 0 || !Character.isLetterOrDigit(haystack.charAt(at - 1))
          || !Character.isLetterOrDigit(needle.charAt(0));
      boolean endsWord = end == haystack.length() || !Character.isLetterOrDigit(haystack.charAt(end))
          || !Character.isLetterOrDigit(needle.charAt(needle.length() - 1));
      if (startsWord && endsWord) {
        return true;
      }
    }
    return false;
  }
}
