package io.omni.journey;

import io.omni.UnknownProfileException;
import io.omni.cart.LineKey;
import io.omni.identity.ProfileId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One journey per customer: every touchpoint from every channel on one timeline, the orders from
 * every channel as one history, the products they buy most, and where to resume the conversation.
 * Obtained from {@code omni.journeys()}. Reads by any id of a profile — also an id since merged
 * into another — answer for the whole merged customer.
 *
 * <pre>{@code
 * omni.journeys().of(ann);              // AD_CLICK web, PAGE_VIEW web, CHAT_MESSAGE viber, CALL call-center, ORDER call-center
 * omni.journeys().orders(ann);          // every order, any channel, oldest first
 * omni.journeys().favourites(ann, 3);   // most bought first
 * omni.journeys().last(ann).channel();  // Optional["call-center"]
 * }</pre>
 *
 * <p>Every method throws {@link UnknownProfileException} for a profile id never issued.
 */
public interface Journeys {

  /** Every touchpoint of the customer, oldest first (ties in the order they were ingested). */
  List<Touchpoint> of(ProfileId profile);

  /** Every order of the customer from every channel, oldest first. */
  List<Order> orders(ProfileId profile);

  /**
   * The lines the customer bought most, by total quantity over all orders; ties go to the line
   * bought most recently, then to the key order.
   *
   * @param n how many at most, 0 or more
   */
  List<LineKey> favourites(ProfileId profile, int n);

  /** Where to resume with the customer: the last channel, whether a cart is open, the last conversation. */
  Resume last(ProfileId profile);

  /** Per channel: touches, orders and campaign messages sent, opened and converted; and the preferred channel. */
  ChannelStats channelStats(ProfileId profile);

  /**
   * Where a conversation with the customer stopped.
   *
   * @param lastTouch the latest touchpoint in any channel (campaign messages included)
   * @param openCart whether the customer's cart holds lines
   * @param cartChangedAt when the cart last changed, if it ever did
   * @param lastConversation the latest chat message or call
   */
  record Resume(Optional<Touchpoint> lastTouch, boolean openCart, Optional<java.time.Instant> cartChangedAt,
      Optional<Touchpoint> lastConversation) {
    /** Checks for nulls. */
    public Resume {
      Objects.requireNonNull(lastTouch, "lastTouch");
      Objects.requireNonNull(cartChangedAt, "cartChangedAt");
      Objects.requireNonNull(lastConversation, "lastConversation");
    }

    /** The channel the customer was last seen in. */
    public Optional<String> channel() {
      return lastTouch.map(Touchpoint::channel);
    }
  }

  /**
   * How one customer uses the channels.
   *
   * @param byChannel the usage per channel id, only channels with any use, sorted by id
   * @param preferred the channel the customer orders in most; without orders, the one whose
   *     messages they open most; then the one they touch most; ties to the latest used
   */
  record ChannelStats(Map<String, Usage> byChannel, Optional<String> preferred) {
    /** Copies the map. */
    public ChannelStats {
      byChannel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byChannel));
      Objects.requireNonNull(preferred, "preferred");
    }
  }

  /**
   * The use of one channel by one customer.
   *
   * @param touches touchpoints in the channel, of any type
   * @param orders orders placed in it
   * @param sent campaign and other messages sent in it ({@code MESSAGE_SENT})
   * @param opened messages opened in it ({@code MESSAGE_OPENED})
   * @param converted campaign runs converted through it
   */
  record Usage(long touches, long orders, long sent, long opened, long converted) {}
}
