package io.omni;

import io.omni.identity.Correction;
import java.util.Objects;

/**
 * A correction was refused because an active correction says the opposite: a join of two
 * identifiers that an active separation keeps apart (directly, or through the profiles the join
 * would merge), or a separation of two identifiers that active joins hold together. Withdraw the
 * blocking correction first. Nothing is stored when this is thrown.
 *
 * <pre>{@code
 * try {
 *   ids.join(ann, boris, "agent-3", "same person after all");
 * } catch (CorrectionConflictException e) {
 *   ids.withdraw(e.blocking().id(), "agent-3");   // then join again
 * }
 * }</pre>
 */
public final class CorrectionConflictException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final transient Correction blocking;

  /**
   * Creates the exception.
   *
   * @param refused what was refused, in words: {@code "join of email and phone"}
   * @param blocking the active correction that blocks it
   */
  public CorrectionConflictException(String refused, Correction blocking) {
    super(refused + " is refused: active correction " + Objects.requireNonNull(blocking, "blocking").id() + " ("
        + blocking.kind() + " by " + blocking.author() + ") says otherwise; withdraw it first. Nothing was stored");
    this.blocking = blocking;
  }

  /** The active correction that blocks the one refused. */
  public Correction blocking() {
    return blocking;
  }
}
