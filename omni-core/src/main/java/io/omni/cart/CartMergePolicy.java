package io.omni.cart;

/**
 * How two customers' carts become one when identity resolution merges their profiles — an
 * anonymous visitor's cart and the account's cart at login, say. This is a one-time domain event,
 * not a CRDT join (except under {@link #JOIN}): its outcome is written into the surviving cart as
 * ordinary writes, stamped just before the event that caused the merge, so every replica converges
 * on it and a merge delivered late does not overwrite what the customer did after it.
 *
 * <p>Set on the builder with {@code Omni.builder().cartMergePolicy(...)}; {@link #MAX} by default.
 */
public enum CartMergePolicy {
  /**
   * A line in both carts gets the larger quantity; a line in one cart is kept. The default, as in
   * commercetools and Salesforce Commerce: adding the same thing on two devices is rarely meant
   * as buying two.
   */
  MAX,
  /**
   * A line in both carts gets the sum of the quantities; a line in one cart is kept. Guarded by the
   * merge's identity (the merged profile id), so applying the same merge again never doubles.
   */
  SUM,
  /**
   * Each line takes the quantity of whichever cart wrote it last — a removal counts as a write of
   * 0; a line in one cart only is kept.
   */
  LATEST,
  /** The survivor's cart stays as it is; the merged profile's lines are dropped. */
  KEEP_SURVIVOR,
  /**
   * The two carts are joined as two replicas of one cart: each line takes its last write, and
   * the additions of ingested {@code CART_ADD} events made through either identity all count. The
   * outcome is what one cart would hold had every write been made to it, so this is the one policy
   * under which the carts a stream of events leaves, logins that merge included, do not depend on
   * the order or the delay in which the events arrive. The others write their outcome at the
   * merging event's time, which a late event of the merged identity may come before or after.
   */
  JOIN
}
