package io.omni.cart;

import io.omni.internal.Limits;
import java.util.Objects;

/**
 * One line of a {@link CartState} as the last write left it: how many, which channel wrote it,
 * and the write's stamp. A quantity of 0 is a removal (a tombstone): it is kept, so that a stale
 * replica's older write cannot bring the line back.
 *
 * @param key which line
 * @param quantity how many, 0 for a removed line
 * @param channel the channel of the last write, e.g. {@code "web"}; 1 to 64 characters
 * @param stamp when and where the last write happened
 */
public record CartLine(LineKey key, int quantity, String channel, Stamp stamp) {

  /** Checks the fields. */
  public CartLine {
    Objects.requireNonNull(key, "key");
    if (quantity < 0) {
      throw new IllegalArgumentException("cart line " + key + " quantity must not be negative, was " + quantity);
    }
    Objects.requireNonNull(channel, "channel");
    if (channel.isBlank() || channel.length() > Limits.CHANNEL) {
      throw new IllegalArgumentException("cart line channel must be 1 to " + Limits.CHANNEL
          + " characters, not blank, was '" + Limits.shown(channel) + "'");
    }
    String unstorable = Limits.unstorableProblem(channel);
    if (unstorable != null) {
      throw new IllegalArgumentException("cart line channel '" + Limits.shown(channel) + "' " + unstorable);
    }
    Objects.requireNonNull(stamp, "stamp");
  }

  /** A line as written. */
  public static CartLine of(LineKey key, int quantity, String channel, Stamp stamp) {
    return new CartLine(key, quantity, channel, stamp);
  }

  /** Whether the line was removed: its last write is a tombstone. */
  public boolean removed() {
    return quantity == 0;
  }
}
