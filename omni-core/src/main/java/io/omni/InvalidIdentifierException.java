package io.omni;

import io.omni.internal.Limits;
import java.util.Objects;

/**
 * An identifier's value could not be accepted: it is malformed for its type (an email without a
 * domain, a phone number libphonenumber cannot parse) or it is a blocked junk value.
 *
 * <p>Nothing is stored when this is thrown. The message shows the value readably: characters one
 * cannot see (a zero-width space, a bidi control, a lone surrogate) are written as Java escapes,
 * and a long value is cut short; {@link #value()} is the value exactly as given.
 *
 * <pre>{@code
 * try {
 *   Identifier.email("not-an-email");
 * } catch (InvalidIdentifierException e) {
 *   e.type();   // "email"
 *   e.value();  // "not-an-email"
 *   e.reason(); // "has no '@'"
 * }
 * }</pre>
 */
public final class InvalidIdentifierException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final String value;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param type the identifier type's name, e.g. {@code "email"}
   * @param value the value as it was given (may be {@code null})
   * @param reason the rule the value broke, in a few words
   */
  public InvalidIdentifierException(String type, String value, String reason) {
    this(type, value, reason, null);
  }

  /** Creates the exception with the underlying cause (a libphonenumber parse error, say). */
  public InvalidIdentifierException(String type, String value, String reason, Throwable cause) {
    super("invalid " + type + " identifier '" + Limits.shown(value) + "': " + reason, cause);
    this.type = Objects.requireNonNull(type, "type");
    this.value = value;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The identifier type's name. */
  public String type() {
    return type;
  }

  /** The value as it was given; {@code null} when none was. */
  public String value() {
    return value;
  }

  /** The rule the value broke. */
  public String reason() {
    return reason;
  }
}
