package io.omni.journey;

import io.omni.cart.LineKey;
import java.util.Objects;

/**
 * One line of an order: what was bought and how many.
 *
 * @param key the line bought
 * @param quantity how many, at least 1
 */
public record OrderLine(LineKey key, int quantity) {

  /** Checks the fields. */
  public OrderLine {
    Objects.requireNonNull(key, "key");
    if (quantity < 1) {
      throw new IllegalArgumentException("order line " + key + " needs a quantity of at least 1, was " + quantity);
    }
  }
}
