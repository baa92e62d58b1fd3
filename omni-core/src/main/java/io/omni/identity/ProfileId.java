package io.omni.identity;

import java.util.Objects;

/**
 * The id of one customer profile, such as {@code "p-17"}.
 *
 * <p>Ids are stable: when two profiles merge the older one's id survives and the other's stays an
 * alias that {@link Identities#resolve(ProfileId)} and {@link Identities#profile(ProfileId)} still
 * answer. {@link #of(String)} only wraps one read back from elsewhere (a request parameter, a JSON
 * document).
 *
 * <p>Every id Omni issues is in one canonical form, {@code "p-"} followed by the profile's number
 * in decimal ({@link #ofNumber}): a positive number with no sign, no leading zero and no
 * whitespace. Core parses ids once ({@link #number()}); an id in any other form ({@code "p-01"},
 * {@code " p-1"}, {@code "P-1"}) names no profile, whatever the store: {@code resolve} answers
 * empty and {@code profile} throws {@link io.omni.UnknownProfileException}, as for an id never
 * issued.
 *
 * @param value the id's text, never blank
 */
public record ProfileId(String value) implements Comparable<ProfileId> {

  /** Checks the value. */
  public ProfileId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a profile id must not be blank");
    }
  }

  /** The prefix of every canonical id. */
  private static final String PREFIX = "p-";
  /** Digits of the largest number a canonical id can hold (any 18 digits fit in a {@code long}). */
  private static final int MAX_DIGITS = 18;

  /**
   * The canonical id of profile number {@code number}: {@code "p-" + number}.
   *
   * @throws IllegalArgumentException if {@code number} is not positive
   */
  public static ProfileId ofNumber(long number) {
    if (number < 1) {
      throw new IllegalArgumentException("a profile number must be positive, was " + number);
    }
    return new ProfileId(PREFIX + number);
  }

  /**
   * The profile number this id names if it is in the canonical form {@link #ofNumber} issues
   * ({@code "p-"}, then 1 to 18 ASCII digits, the first not {@code 0}); 0 for any other form, which
   * names no profile.
   */
  public long number() {
    String v = value;
    int digits = v.length() - PREFIX.length();
    if (digits < 1 || digits > MAX_DIGITS || !v.startsWith(PREFIX) || v.charAt(PREFIX.length()) == '0') {
      return 0;
    }
    long n = 0;
    for (int i = PREFIX.length(); i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Wraps a profile id's text. */
  public static ProfileId of(String value) {
    return new ProfileId(value);
  }

  /**
   * Orders ids by length, then text, so that {@code p-9} comes before {@code p-10}: issued ids then
   * sort in the order they were issued.
   */
  @Override
  public int compareTo(ProfileId other) {
    int byLength = Integer.compare(value.length(), other.value.length());
    return byLength != 0 ? byLength : value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
