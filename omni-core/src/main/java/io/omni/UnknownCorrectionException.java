package io.omni;

/** A correction id was given that names no correction kept here (never made, or dropped by a forget). */
public final class UnknownCorrectionException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final long correctionId;

  /** Creates the exception for the given correction id. */
  public UnknownCorrectionException(long correctionId) {
    super("unknown correction " + correctionId + ": it was never made here, or a forget of one of its identifiers"
        + " dropped it");
    this.correctionId = correctionId;
  }

  /** The id that is unknown. */
  public long correctionId() {
    return correctionId;
  }
}
