package io.omni;

import java.util.Objects;

/**
 * A cart hand-off token was refused. The {@link #reason()} says why; nothing was read or changed.
 *
 * <pre>{@code
 * try {
 *   carts.redeem(scannedQr, "pos");
 * } catch (InvalidTokenException e) {
 *   switch (e.reason()) {
 *     case EXPIRED -> askForANewCode();
 *     default -> refuse();
 *   }
 * }
 * }</pre>
 */
public final class InvalidTokenException extends OmniException {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    /** Not a token at all: not base64url, too short, or its fields cannot be read. */
    MALFORMED,
    /** Well formed, but its signature does not match: altered, or signed with another key. */
    FORGED,
    /** Genuine, but its expiry has passed. */
    EXPIRED,
    /** Genuine and in time, but already redeemed once: tokens are single-use. */
    REUSED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the token was refused
   * @param detail what exactly was wrong, in a few words
   */
  public InvalidTokenException(Reason reason, String detail) {
    super("hand-off token refused (" + Objects.requireNonNull(reason, "reason") + "): " + detail);
    this.reason = reason;
  }

  /** Why the token was refused. */
  public Reason reason() {
    return reason;
  }
}
