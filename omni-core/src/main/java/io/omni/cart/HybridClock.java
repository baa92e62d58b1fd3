package io.omni.cart;

import io.omni.ClockDriftException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): stamps that
 * follow physical time closely yet never go backwards and always come after every stamp this
 * replica has seen, however skewed the other replicas' clocks are.
 *
 * <p>{@link #now()} stamps a local write; {@link #update(Stamp)} takes in a remote stamp on
 * receipt. A remote stamp more than {@code maxDrift} ahead of the local physical clock is refused
 * with {@link ClockDriftException} and leaves the clock untouched, so one replica with a broken
 * clock cannot push every other replica into the future.
 *
 * <pre>{@code
 * HybridClock hlc = HybridClock.of(Clock.systemUTC(), "web-1", Duration.ofMinutes(1));
 * Stamp local = hlc.now();
 * hlc.update(remoteStamp);          // throws ClockDriftException if it is too far ahead
 * hlc.now().isAfter(remoteStamp);   // true
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class HybridClock {
  private final Clock clock;
  private final String replica;
  private final Duration maxDrift;
  private final long maxDriftMillis;
  private long lastMillis;
  private int lastLogical;

  private HybridClock(Clock clock, String replica, Duration maxDrift) {
    this.clock = clock;
    this.replica = replica;
    this.maxDrift = maxDrift;
    this.maxDriftMillis = maxDrift.toMillis();
  }

  /**
   * A clock for one replica.
   *
   * @param clock the physical clock
   * @param replica the replica's id, as {@link Stamp#replica()} requires
   * @param maxDrift how far ahead of the physical clock a remote stamp may be; positive
   */
  public static HybridClock of(Clock clock, String replica, Duration maxDrift) {
    Objects.requireNonNull(clock, "clock");
    Stamp.checkReplica(replica);
    Objects.requireNonNull(maxDrift, "maxDrift");
    if (maxDrift.isNegative() || maxDrift.isZero()) {
      throw new IllegalArgumentException("maxDrift must be positive, was " + maxDrift);
    }
    return new HybridClock(clock, replica, maxDrift);
  }

  /** The replica id this clock stamps with. */
  public String replica() {
    return replica;
  }

  /** How far ahead of the physical clock a remote stamp may be. */
  public Duration maxDrift() {
    return maxDrift;
  }

  /** A stamp for a local write: after every stamp this clock has issued or seen. */
  public synchronized Stamp now() {
    long physical = clock.millis();
    if (physical > lastMillis) {
      lastMillis = physical;
      lastLogical = 0;
    } else {
      tick();
    }
    return new Stamp(lastMillis, lastLogical, replica);
  }

  /**
   * Takes in a stamp received from another replica, so that every later {@link #now()} comes after
   * it, and returns a local stamp after it.
   *
   * @throws ClockDriftException if the stamp is more than {@code maxDrift} ahead of the physical
   *     clock; the clock is then left as it was
   */
  public synchronized Stamp update(Stamp remote) {
    long physical = clock.millis();
    check(remote, physical);
    return advancePast(remote, physical);
  }

  /**
   * A stamp for a local write that must come after {@code seen}: a stamp this replica already holds,
   * such as the latest write of a cart read from a store that other replicas write too. Unlike
   * {@link #update(Stamp)} it does not check drift, since what the store holds was checked when it
   * was accepted. Without it, a write read-and-set over a faster peer's write could lose to it.
   */
  public synchronized Stamp nowAfter(Stamp seen) {
    Objects.requireNonNull(seen, "seen");
    return advancePast(seen, clock.millis());
  }

  private Stamp advancePast(Stamp remote, long physical) {
    long max = Math.max(physical, Math.max(lastMillis, remote.millis()));
    int logical;
    if (max == lastMillis && max == remote.millis()) {
      logical = Math.max(lastLogical, remote.logical()) + 1;
    } else if (max == lastMillis) {
      logical = lastLogical + 1;
    } else if (max == remote.millis()) {
      logical = remote.logical() + 1;
    } else {
      logical = 0;
    }
    lastMillis = max;
    lastLogical = logical;
    if (logical > Stamp.MAX_LOGICAL) {
      lastMillis++;
      lastLogical = 0;
    }
    return new Stamp(lastMillis, lastLogical, replica);
  }

  /**
   * Refuses a remote stamp too far ahead of the physical clock, without changing this clock.
   *
   * @throws ClockDriftException if the stamp is more than {@code maxDrift} ahead
   */
  public void check(Stamp remote) {
    check(remote, clock.millis());
  }

  private void check(Stamp remote, long physical) {
    Objects.requireNonNull(remote, "remote");
    if (remote.millis() - physical > maxDriftMillis) {
      throw new ClockDriftException(remote, Instant.ofEpochMilli(physical), maxDrift);
    }
  }

  private void tick() {
    if (lastLogical == Stamp.MAX_LOGICAL) {
      lastMillis++;
      lastLogical = 0;
    } else {
      lastLogical++;
    }
  }

  @Override
  public String toString() {
    synchronized (this) {
      return "HybridClock[" + replica + " at " + lastMillis + "." + lastLogical + ", maxDrift=" + maxDrift + "]";
    }
  }
}
