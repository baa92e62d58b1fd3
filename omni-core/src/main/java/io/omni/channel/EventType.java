package io.omni.channel;

/**
 * What happened in a {@link ChannelEvent}. Each type reads a few attributes or lines:
 *
 * <ul>
 *   <li>{@link #CART_ADD}: its lines are added to the cart; {@link #CART_REMOVE}: its lines' keys
 *       are taken out of it;
 *   <li>{@link #ORDER}: attribute {@code "order"} is the shop's order id (the event id when
 *       absent); its lines are the order's lines and leave the cart;
 *   <li>{@link #PROMO_REDEEMED}: attribute {@code "code"} is the promo code redeemed, attribute
 *       {@code "run"} optionally the campaign run it is expected to be of. The code must be of a
 *       run of this customer; redeeming it converts the run if it is still running;
 *   <li>{@link #CONSENT}: attribute {@code "granted"} is {@code "true"} or {@code "false"},
 *       attribute {@code "channel"} the channel it is about (the event's own when absent).
 * </ul>
 *
 * Every other type is a touchpoint on the journey and nothing more.
 */
public enum EventType {
  /** An ad was clicked. */
  AD_CLICK,
  /** A page or screen was viewed. */
  PAGE_VIEW,
  /** The customer logged in. */
  LOGIN,
  /** A chat message, from or to the customer. */
  CHAT_MESSAGE,
  /** A phone call. */
  CALL,
  /** Lines were added to the cart. */
  CART_ADD,
  /** Lines were taken out of the cart. */
  CART_REMOVE,
  /** An order was placed. */
  ORDER,
  /** A message was sent to the customer. */
  MESSAGE_SENT,
  /** The customer opened a message. */
  MESSAGE_OPENED,
  /** A campaign's promo code was redeemed. */
  PROMO_REDEEMED,
  /** The customer granted or withdrew consent to be messaged in a channel. */
  CONSENT;

  /** Whether events of this type carry cart or order lines. */
  public boolean carriesLines() {
    return this == CART_ADD || this == CART_REMOVE || this == ORDER;
  }

  /** Whether this type is a conversation with a person: a chat or a call. */
  public boolean isConversation() {
    return this == CHAT_MESSAGE || this == CALL;
  }
}
