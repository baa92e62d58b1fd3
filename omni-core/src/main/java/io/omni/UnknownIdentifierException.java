package io.omni;

import io.omni.identity.Identifier;
import java.util.Objects;

/**
 * An operation needs an identifier the identity graph holds, and it holds no such identifier: it
 * was never linked, or it was forgotten. Nothing is stored when this is thrown. The message names
 * the identifier's type only, never its value, so that a log of it keeps no personal data.
 */
public final class UnknownIdentifierException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final transient Identifier identifier;

  /**
   * Creates the exception.
   *
   * @param identifier the identifier that is unknown
   * @param operation what needed it, e.g. {@code "separate"}
   */
  public UnknownIdentifierException(Identifier identifier, String operation) {
    super(operation + " names an identifier of type " + Objects.requireNonNull(identifier, "identifier").type()
        + " that was never linked or was forgotten; nothing was stored");
    this.identifier = identifier;
  }

  /** The identifier that is unknown. */
  public Identifier identifier() {
    return identifier;
  }
}
