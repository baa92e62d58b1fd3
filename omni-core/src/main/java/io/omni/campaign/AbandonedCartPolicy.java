package io.omni.campaign;

import java.time.Duration;
import java.util.Objects;

/**
 * Reminds customers of carts they left: when a cart holds lines, has not changed for {@code idle}
 * and its owner has placed no order in any channel since its last change, {@code
 * campaigns().advance(now)} starts a run of {@code cascade} with {@code text} — once per cart
 * change. An order anywhere ends the run: {@link CampaignRun.State#CANCELLED} if no reminder had
 * gone out yet, {@link CampaignRun.State#CONVERTED} (attributed to the last reminder) if one had.
 *
 * <pre>{@code
 * Omni.builder().abandonedCarts(AbandonedCartPolicy.after(Duration.ofHours(2), cascade, "Still thinking?"));
 * }</pre>
 *
 * @param idle how long a cart must be left unchanged, more than zero
 * @param cascade the channels to remind in
 * @param text the reminder's text
 */
public record AbandonedCartPolicy(Duration idle, Cascade cascade, String text) {

  /** Checks the fields. */
  public AbandonedCartPolicy {
    Objects.requireNonNull(idle, "idle");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("abandoned cart idle time must be positive, was " + idle);
    }
    Objects.requireNonNull(cascade, "cascade");
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("abandoned cart reminder text must not be blank");
    }
  }

  /** Reminds carts idle for {@code idle} through {@code cascade} with {@code text}. */
  public static AbandonedCartPolicy after(Duration idle, Cascade cascade, String text) {
    return new AbandonedCartPolicy(idle, cascade, text);
  }
}
