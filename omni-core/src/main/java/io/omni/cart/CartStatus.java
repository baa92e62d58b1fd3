package io.omni.cart;

/** Whether a profile's cart is its own or was folded into another profile's. */
public enum CartStatus {
  /** The profile's own cart, read and written directly. */
  ACTIVE,
  /**
   * The profile was merged into another; its cart was folded into the survivor's by the {@link
   * CartMergePolicy} and reads and writes go through to the survivor's cart.
   */
  MERGED
}
