package io.omni;

/** A {@link io.omni.identity.ProfileId} was asked for that this Omni has never issued. */
public final class UnknownProfileException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String profileId;

  /** Creates the exception for the given profile id. */
  public UnknownProfileException(String profileId) {
    super("unknown profile '" + profileId + "': it was never issued here, or the store was reset");
    this.profileId = profileId;
  }

  /** The id that is unknown. */
  public String profileId() {
    return profileId;
  }
}
