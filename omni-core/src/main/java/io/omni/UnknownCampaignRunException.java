package io.omni;

/** A campaign run id was asked for that this Omni never started. */
public final class UnknownCampaignRunException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  /** Creates the exception for the run id that is unknown. */
  public UnknownCampaignRunException(String runId) {
    super("unknown campaign run '" + runId + "': it was never started here, or the store was reset");
    this.runId = runId;
  }

  /** The run id that is unknown. */
  public String runId() {
    return runId;
  }
}
