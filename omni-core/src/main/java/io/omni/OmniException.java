package io.omni;

/**
 * The root of every exception Omni throws on purpose. Catch it to handle any Omni failure; catch
 * a subclass to handle one kind.
 *
 * <p>Omni's exceptions are unchecked: they report bad input or a state the caller cannot fix by
 * retrying the same call. Messages name the input and the rule it broke.
 */
public class OmniException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the input and the rule it broke. */
  public OmniException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause that led to it. */
  public OmniException(String message, Throwable cause) {
    super(message, cause);
  }
}
