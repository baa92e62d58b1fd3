package io.omni.internal;

import java.util.Objects;

/**
 * Runs a step again at once when it fails, a few times: for steps that follow a committed write
 * and that nothing would redo if they were given up on (moving a split's cart lines, recording a
 * message that went out). The step must be idempotent: a try may fail after its own write
 * committed (a lost acknowledgement), and the next try runs it again.
 */
public final class Tries {
  private Tries() {
  }

  /** Told of each failed try but the last, before the next one runs. */
  @FunctionalInterface
  public interface Retrying {
    /**
     * @param failure what the try threw
     * @param tried how many tries have failed so far, from 1
     * @param tries how many will be made in all
     */
    void again(RuntimeException failure, int tried, int tries);
  }

  /**
   * Runs {@code step} until it returns, at most {@code tries} times; the failure of the last try
   * propagates (an {@link Error} at once).
   *
   * @throws IllegalArgumentException if {@code tries} is less than 1
   */
  public static void upTo(int tries, Runnable step, Retrying retrying) {
    if (tries < 1) {
      throw new IllegalArgumentException("tries must be at least 1, was " + tries);
    }
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(retrying, "retrying");
    for (int tried = 1; ; tried++) {
      try {
        step.run();
        return;
      } catch (RuntimeException e) {
        if (tried >= tries) {
          throw e;
        }
        retrying.again(e, tried, tries);
      }
    }
  }
}
