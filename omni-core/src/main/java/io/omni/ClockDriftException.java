package io.omni;

import io.omni.cart.Stamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A remote cart stamp is further ahead of this replica's clock than the builder's {@code maxDrift}
 * allows. Accepting it would drag this replica's hybrid clock into the future and let that replica's
 * writes beat every honest one, so the state that carried it is refused whole: nothing of it is
 * kept.
 *
 * <pre>{@code
 * try {
 *   carts.sync(who, remoteState);
 * } catch (ClockDriftException e) {
 *   e.stamp();     // the remote stamp, e.g. 1732320000000.0@pos-7
 *   e.localTime(); // this replica's physical time
 *   e.maxDrift();  // PT1M by default
 * }
 * }</pre>
 */
public final class ClockDriftException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final transient Stamp stamp;
  private final Instant localTime;
  private final Duration maxDrift;

  /**
   * Creates the exception.
   *
   * @param stamp the remote stamp that was refused
   * @param localTime this replica's physical time when it was refused
   * @param maxDrift how far ahead a stamp may be
   */
  public ClockDriftException(Stamp stamp, Instant localTime, Duration maxDrift) {
    super("cart stamp " + Objects.requireNonNull(stamp, "stamp") + " is "
        + Duration.ofMillis(stamp.millis() - localTime.toEpochMilli()) + " ahead of the local clock ("
        + localTime + "); more than maxDrift " + maxDrift + " is refused");
    this.stamp = stamp;
    this.localTime = localTime;
    this.maxDrift = Objects.requireNonNull(maxDrift, "maxDrift");
  }

  /** The remote stamp that was refused. */
  public Stamp stamp() {
    return stamp;
  }

  /** This replica's physical time when the stamp was refused. */
  public Instant localTime() {
    return localTime;
  }

  /** How far ahead of the local clock a stamp may be. */
  public Duration maxDrift() {
    return maxDrift;
  }
}
