package io.omni.identity;

import io.omni.InvalidIdentifierException;
import io.omni.internal.identity.Normalizer;
import java.util.Objects;

/**
 * One contact a customer left in some channel: an email, a phone, a device id, a cookie, a
 * loyalty card, an account, a messenger handle. The value is always normalized, so equal contacts
 * are equal identifiers however they were typed.
 *
 * <ul>
 *   <li>email: trimmed, lower-cased, an internationalized domain in ASCII; Gmail dots and
 *       {@code +tags} are kept unless {@link #email(String, boolean)} is asked to strip them;
 *   <li>phone: E.164 through libphonenumber ({@code "+7 916 123-45-67"} becomes
 *       {@code "+79161234567"}); a national number needs a region;
 *   <li>device: trimmed, lower-cased (advertising ids are case-insensitive UUIDs);
 *   <li>loyalty card: spaces and dashes dropped, upper-cased;
 *   <li>account, cookie and custom types: trimmed.
 * </ul>
 *
 * <p>Every factory, and the canonical constructor, throws {@link InvalidIdentifierException}
 * naming the type, the value and the reason when the value is malformed.
 *
 * <pre>{@code
 * Identifier.email(" Ann@Example.COM ");       // email:ann@example.com
 * Identifier.phone("8 (916) 123-45-67", "RU"); // phone:+79161234567
 * Identifier.of(IdentifierType.of("telegram"), "@ann");
 * }</pre>
 *
 * @param type the kind of contact
 * @param value the normalized value
 */
public record Identifier(IdentifierType type, String value) {

  /** Normalizes the value for its type. */
  public Identifier {
    Objects.requireNonNull(type, "type");
    value = Normalizer.normalize(type, value);
  }

  /** An identifier of any type; the value is normalized for it. */
  public static Identifier of(IdentifierType type, String value) {
    return new Identifier(type, value);
  }

  /** An email address: trimmed, lower-cased, IDN domain in ASCII. */
  public static Identifier email(String raw) {
    return new Identifier(IdentifierType.EMAIL, raw);
  }

  /**
   * An email address; with {@code gmailCanonical} Gmail's dots and {@code +tag} are dropped too
   * ({@code "A.nn+shop@googlemail.com"} becomes {@code "ann@gmail.com"}). Off by default because
   * for other providers those name different mailboxes and so different people.
   */
  public static Identifier email(String raw, boolean gmailCanonical) {
    return new Identifier(IdentifierType.EMAIL, Normalizer.email(raw, gmailCanonical));
  }

  /**
   * A phone number in international format ({@code "+7 916 123-45-67"}). For national formats use
   * {@link #phone(String, String)} or {@link Identities#phone(String)}, which applies the default
   * region set on the builder.
   */
  public static Identifier phone(String raw) {
    return new Identifier(IdentifierType.PHONE, Normalizer.phone(raw, null));
  }

  /**
   * A phone number, national or international, read as dialled in {@code region} (ISO 3166
   * alpha-2: {@code "RU"}, {@code "US"}, {@code "DE"}).
   */
  public static Identifier phone(String raw, String region) {
    Objects.requireNonNull(region, "region");
    return new Identifier(IdentifierType.PHONE, Normalizer.phone(raw, region));
  }

  /** A shop account or customer number. */
  public static Identifier account(String value) {
    return new Identifier(IdentifierType.ACCOUNT, value);
  }

  /** A device or advertising id; weak by default. */
  public static Identifier device(String value) {
    return new Identifier(IdentifierType.DEVICE, value);
  }

  /** A web cookie id; weak by default. */
  public static Identifier cookie(String value) {
    return new Identifier(IdentifierType.COOKIE, value);
  }

  /** A loyalty card number. */
  public static Identifier loyaltyCard(String value) {
    return new Identifier(IdentifierType.LOYALTY_CARD, value);
  }

  /** {@code type:value}, e.g. {@code email:ann@example.com}. */
  @Override
  public String toString() {
    return type.name() + ':' + value;
  }
}
