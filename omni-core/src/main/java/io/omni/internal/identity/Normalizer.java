package io.omni.internal.identity;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.omni.InvalidIdentifierException;
import io.omni.identity.IdentifierType;
import io.omni.internal.Limits;
import java.net.IDN;
import java.util.Locale;

/**
 * Puts identifier values in their one canonical form, so that equal contacts compare equal. Every
 * method is idempotent: a normalized value normalizes to itself.
 *
 * <p>Values of every type are refused, with {@link InvalidIdentifierException}, when they hold an
 * invisible format character ({@link Character#FORMAT}: zero-width space, joiner and non-joiner,
 * word joiner, byte order mark, bidi controls, soft hyphen): two values that look the same would be
 * different identifiers, and one could pass for another. They are refused rather than dropped, so
 * that what is stored is what the caller gave. Values are also refused when a database cannot store
 * them ({@link Limits}): longer than {@value Limits#IDENTIFIER_VALUE} characters once normalized,
 * or holding NUL or a lone surrogate.
 */
public final class Normalizer {
  private static final int MAX_EMAIL_LENGTH = 254;
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private Normalizer() {}

  /** Normalizes a value of any type; phones must then be international (start with {@code +}). */
  public static String normalize(IdentifierType type, String value) {
    if (value == null) {
      throw new InvalidIdentifierException(type.name(), null, "the value is null");
    }
    if (type == IdentifierType.EMAIL) {
      return email(value, false);
    }
    if (type == IdentifierType.PHONE) {
      return phone(value, null);
    }
    String trimmed = plain(type, value);
    if (type == IdentifierType.DEVICE) {
      // lower-casing can lengthen a value (U+0130 becomes two characters): measured after
      return storable(type, value, trimmed.toLowerCase(Locale.ROOT));
    }
    if (type == IdentifierType.LOYALTY_CARD) {
      return loyaltyCard(trimmed);
    }
    return trimmed;
  }

  /**
   * Refuses a value holding an invisible format character or text no database stores, naming the
   * character and where it is. Checked on the value as given, before anything reads it.
   */
  private static void visibleAndStorable(String type, String raw) {
    int format = Limits.formatCharacterAt(raw);
    if (format >= 0) {
      throw new InvalidIdentifierException(type, raw, "holds the invisible format character "
          + Limits.codePoint(raw.codePointAt(format)) + " at index " + format
          + "; it would make a different identifier that looks the same");
    }
    String unstorable = Limits.unstorableProblem(raw);
    if (unstorable != null) {
      throw new InvalidIdentifierException(type, raw, unstorable);
    }
  }

  /** Refuses a normalized value longer than the column that holds it. */
  private static String storable(IdentifierType type, String raw, String normalized) {
    if (normalized.length() > Limits.IDENTIFIER_VALUE) {
      throw new InvalidIdentifierException(type.name(), raw, "is longer than " + Limits.IDENTIFIER_VALUE
          + " characters (" + normalized.length() + " once normalized)");
    }
    return normalized;
  }

  /**
   * Trims, lower-cases and puts an IDN domain in ASCII (punycode). With {@code gmailCanonical},
   * also drops dots and a {@code +tag} from the local part of Gmail addresses — an opt-in, because
   * on other providers dots and tags name different mailboxes.
   */
  public static String email(String raw, boolean gmailCanonical) {
    String type = IdentifierType.EMAIL.name();
    if (raw == null) {
      throw new InvalidIdentifierException(type, null, "the value is null");
    }
    visibleAndStorable(type, raw);
    String value = raw.strip();
    int at = value.lastIndexOf('@');
    if (at < 0) {
      throw new InvalidIdentifierException(type, raw, "has no '@'");
    }
    if (value.indexOf('@') != at) {
      throw new InvalidIdentifierException(type, raw, "has more than one '@'");
    }
    String local = value.substring(0, at).toLowerCase(Locale.ROOT);
    String domain = value.substring(at + 1);
    if (local.isEmpty()) {
      throw new InvalidIdentifierException(type, raw, "the part before '@' is empty");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      // Unicode spaces too: a no-break space looks like the space an address cannot hold
      if (Character.isISOControl(c) || Character.isSpaceChar(c) || Character.isWhitespace(c)) {
        throw new InvalidIdentifierException(type, raw, "the part before '@' holds white space or a control character");
      }
    }
    String asciiDomain = domain(raw, domain);
    if (gmailCanonical && (asciiDomain.equals("gmail.com") || asciiDomain.equals("googlemail.com"))) {
      int plus = local.indexOf('+');
      if (plus >= 0) {
        local = local.substring(0, plus);
      }
      local = local.replace(".", "");
      if (local.isEmpty()) {
        throw new InvalidIdentifierException(type, raw, "nothing is left of the Gmail address before '@'");
      }
      asciiDomain = "gmail.com";
    }
    String normalized = local + '@' + asciiDomain;
    if (normalized.length() > MAX_EMAIL_LENGTH) {
      throw new InvalidIdentifierException(type, raw, "is longer than " + MAX_EMAIL_LENGTH + " characters");
    }
    return normalized;
  }

  private static String domain(String raw, String domain) {
    String type = IdentifierType.EMAIL.name();
    if (domain.isEmpty()) {
      throw new InvalidIdentifierException(type, raw, "the domain after '@' is empty");
    }
    boolean ascii = true;
    for (int i = 0; i < domain.length(); i++) {
      if (domain.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    String result;
    if (ascii) {
      result = domain.toLowerCase(Locale.ROOT);
    } else {
      try {
        result = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new InvalidIdentifierException(type, raw, "the domain is not a valid internationalized name", e);
      }
    }
    if (result.startsWith(".") || result.endsWith(".") || result.contains("..")) {
      throw new InvalidIdentifierException(type, raw, "the domain has an empty label");
    }
    if (!result.contains(".")) {
      throw new InvalidIdentifierException(type, raw, "the domain has no dot");
    }
    for (int i = 0; i < result.length(); i++) {
      char c = result.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) {
        throw new InvalidIdentifierException(type, raw, "the domain holds '" + c + "', which no host name may");
      }
    }
    return result;
  }

  /**
   * Parses a phone number with libphonenumber and formats it in E.164. A number in national format
   * needs a region (ISO 3166 alpha-2, such as {@code "RU"} or {@code "US"}).
   */
  public static String phone(String raw, String region) {
    String type = IdentifierType.PHONE.name();
    if (raw == null) {
      throw new InvalidIdentifierException(type, null, "the value is null");
    }
    visibleAndStorable(type, raw);
    String value = raw.strip();
    if (value.isEmpty()) {
      throw new InvalidIdentifierException(type, raw, "the value is empty");
    }
    String regionCode = region == null ? "ZZ" : region.strip().toUpperCase(Locale.ROOT);
    if (region != null && !PHONES.getSupportedRegions().contains(regionCode)) {
      throw new InvalidIdentifierException(type, raw, "region '" + region + "' is not an ISO 3166 region libphonenumber knows");
    }
    PhoneNumber number;
    try {
      number = PHONES.parse(value, regionCode);
    } catch (NumberParseException e) {
      String reason = switch (e.getErrorType()) {
        // "+999 …" has a code, only not a valid one: no region would help it
        case INVALID_COUNTRY_CODE -> region == null && !value.startsWith("+")
            ? "a number in national format needs a region (give one, or a default region on the builder)"
            : "the country calling code is not valid";
        case NOT_A_NUMBER -> "is not a phone number";
        case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "is too short";
        case TOO_LONG -> "is too long";
      };
      throw new InvalidIdentifierException(type, raw, reason, e);
    }
    if (!PHONES.isValidNumber(number)) {
      throw new InvalidIdentifierException(type, raw, "is not a valid number for its region");
    }
    return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
  }

  /**
   * Whether a normalized phone number (E.164) is a fixed line by libphonenumber's metadata for its
   * region: {@code +74951234567} (Moscow) and {@code +442079460000} (London) are; mobiles are not,
   * nor are numbers libphonenumber cannot tell apart ({@code FIXED_LINE_OR_MOBILE}: the United
   * States and Canada, among others), toll-free and other special numbers, nor a value it cannot
   * parse. It takes libphonenumber microseconds: {@link FixedLines} remembers the answers.
   */
  public static boolean isFixedLine(String e164) {
    try {
      return PHONES.getNumberType(PHONES.parse(e164, "ZZ")) == PhoneNumberUtil.PhoneNumberType.FIXED_LINE;
    } catch (NumberParseException e) {
      return false;
    }
  }

  private static String loyaltyCard(String trimmed) {
    StringBuilder out = new StringBuilder(trimmed.length());
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c != ' ' && c != '-') {
        out.append(Character.toUpperCase(c));
      }
    }
    if (out.length() == 0) {
      throw new InvalidIdentifierException(IdentifierType.LOYALTY_CARD.name(), trimmed, "holds nothing but spaces and dashes");
    }
    return out.toString();
  }

  private static String plain(IdentifierType type, String value) {
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidIdentifierException(type.name(), value, "the value is empty");
    }
    storable(type, value, trimmed);
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw new InvalidIdentifierException(type.name(), value, "holds a control character at index " + i);
      }
    }
    visibleAndStorable(type.name(), value);
    return trimmed;
  }
}
