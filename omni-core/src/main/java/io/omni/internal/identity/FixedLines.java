package io.omni.internal.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;

/**
 * {@link Normalizer#isFixedLine(String)}, fast: libphonenumber takes microseconds to tell a fixed
 * line from a mobile, and the rules ask it for every phone of every link.
 *
 * <p>First an exact screen from libphonenumber's own metadata, per country calling code, that
 * answers {@code false} without parsing for most numbers that cannot be fixed lines. libphonenumber
 * answers {@code FIXED_LINE} only for a number whose region has a fixed-line pattern distinct from
 * its mobile one ({@code sameMobileAndFixedLinePattern} false); so
 *
 * <ul>
 *   <li>a calling code none of whose regions has such a pattern never has a fixed line (+1 aside,
 *       most of them tell fixed lines from mobiles, but the screen is exact wherever it answers);
 *   <li>a calling code shared by several regions, whose regions with such a pattern are each
 *       chosen by their leading digits (the Caribbean area codes of +1), has a fixed line only
 *       when the national number starts with one of those leading digits — when the number could
 *       not have a national prefix for the parser to strip first. Which first three digits may
 *       start either is worked out once per calling code: screening runs no regular expression;
 *   <li>any other number is asked of libphonenumber, its answers remembered in a bounded cache.
 * </ul>
 *
 * <p>The answer for a number never changes while the library's metadata does not.
 */
public final class FixedLines {
  private static final Cache<String, Boolean> ANSWERS =
      Caffeine.newBuilder().maximumSize(1 << 16).executor(Runnable::run).build();
  private static final int MAX_CALLING_CODE_DIGITS = 3;
  /** A calling code with no region of a distinct fixed-line pattern: its numbers are never fixed lines. */
  private static final Object NEVER = new Object();
  /** A calling code the screen cannot decide: ask libphonenumber. */
  private static final Object ASK = new Object();
  /** Not a calling code. */
  private static final Object NONE = new Object();
  // per calling code 0-999: NEVER, ASK, NONE, or a Screen; filled on first use
  private static final AtomicReferenceArray<Object> BY_CODE = new AtomicReferenceArray<>(1000);

  /**
   * Numbers of a shared calling code that may be fixed lines, by the first {@value #SCREEN_DIGITS}
   * digits after the code: {@code mayBe[p]} when a number starting with {@code p} may start with
   * the leading digits of a region with fixed lines, or with the national prefix the parser strips.
   * Built once from the patterns, so that screening a number runs no regular expression.
   */
  private record Screen(boolean[] mayBe) {}

  private static final int SCREEN_DIGITS = 3;
  private static final int SCREEN_SIZE = 1000;

  private FixedLines() {}

  /** Whether a normalized phone number (E.164) is a fixed line; see {@link Normalizer#isFixedLine}. */
  public static boolean isFixedLine(String e164) {
    return mayBeFixedLine(e164) && ANSWERS.get(e164, Normalizer::isFixedLine);
  }

  /**
   * {@code false} when the metadata alone shows that libphonenumber would not call this value a
   * fixed line; {@code true} when it might (ask it).
   */
  static boolean mayBeFixedLine(String e164) {
    int length = e164.length();
    if (length < 2 || e164.charAt(0) != '+') {
      return true;
    }
    for (int i = 1; i < length; i++) {
      char c = e164.charAt(i);
      if (c < '0' || c > '9') {
        return true;
      }
    }
    // calling codes are prefix-free: the first of 1-3 digits that is one is the number's (as the parser reads it)
    for (int digits = 1; digits <= MAX_CALLING_CODE_DIGITS && digits < length; digits++) {
      int code = Integer.parseInt(e164, 1, 1 + digits, 10);
      Object rule = ruleFor(code);
      if (rule == NONE) {
        continue;
      }
      if (rule == NEVER) {
        return false;
      }
      if (rule == ASK) {
        return true;
      }
      int from = 1 + digits;
      if (length - from < SCREEN_DIGITS) {
        return true;
      }
      return ((Screen) rule).mayBe[Integer.parseInt(e164, from, from + SCREEN_DIGITS, 10)];
    }
    return true;
  }

  private static Object ruleFor(int code) {
    Object rule = BY_CODE.get(code);
    if (rule == null) {
      rule = ruleOf(code);
      BY_CODE.set(code, rule);
    }
    return rule;
  }

  /** What the metadata says of a calling code's numbers (as libphonenumber's getNumberType reads it). */
  private static Object ruleOf(int code) {
    PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    List<String> regions = phones.getRegionCodesForCountryCode(code);
    if (regions.isEmpty()) {
      return NONE;
    }
    MetadataSource source = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    StringBuilder leading = new StringBuilder();
    for (String region : regions) {
      PhoneMetadata metadata = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region)
          ? source.getMetadataForNonGeographicalRegion(code) : source.getMetadataForRegion(region);
      if (metadata == null || metadata.getSameMobileAndFixedLinePattern()
          || metadata.getFixedLine().getNationalNumberPattern().isEmpty()) {
        continue; // libphonenumber calls none of its numbers FIXED_LINE
      }
      if (regions.size() == 1 || !metadata.hasLeadingDigits()) {
        return ASK; // chosen without leading digits: any number may be its
      }
      leading.append(leading.length() == 0 ? "" : "|").append("(?:").append(metadata.getLeadingDigits()).append(')');
    }
    if (leading.length() == 0) {
      return NEVER;
    }
    // parse() strips the main region's national prefix for parsing, when it matches, before the type is read
    String mainRegion = phones.getRegionCodeForCountryCode(code);
    PhoneMetadata main = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(mainRegion)
        ? source.getMetadataForNonGeographicalRegion(code) : source.getMetadataForRegion(mainRegion);
    if (main == null) {
      return ASK;
    }
    String prefix = main.getNationalPrefixForParsing();
    return screen(Pattern.compile(leading.toString()), prefix.isEmpty() ? null : Pattern.compile(prefix));
  }

  /**
   * For each {@value #SCREEN_DIGITS}-digit start, whether a number beginning so may match either
   * pattern at its start: it does, or the matcher ran out of input before it could tell ({@link
   * java.util.regex.Matcher#hitEnd}), so that a longer number might.
   */
  private static Screen screen(Pattern fixedLineRegions, Pattern nationalPrefix) {
    boolean[] mayBe = new boolean[SCREEN_SIZE];
    for (int p = 0; p < SCREEN_SIZE; p++) {
      String start = String.format("%03d", p);
      mayBe[p] = mayStart(fixedLineRegions, start) || nationalPrefix != null && mayStart(nationalPrefix, start);
    }
    return new Screen(mayBe);
  }

  private static boolean mayStart(Pattern pattern, String start) {
    java.util.regex.Matcher m = pattern.matcher(start);
    return m.lookingAt() || m.hitEnd();
  }
}
