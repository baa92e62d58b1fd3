package io.omni.jdbc.internal;

import io.omni.InvalidIdentifierException;
import io.omni.identity.IdentifierType;
import io.omni.jdbc.OmniStorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code omni_profile.type_counts} ({@code V011__profile_type_counts.sql}): how many
 * identifiers of each type a live profile's cluster holds, as {@code type=count} pairs joined by
 * {@code ,}, in type-name order, counts of 0 left out: {@code cookie=3,email=2}. No counts at all
 * is {@code null} (SQL NULL), never an empty text.
 *
 * <p>Unambiguous for every legal type: a type name ({@link IdentifierType#of}) is a lower-case
 * letter then up to 31 letters, digits, {@code _} or {@code -}, so neither {@code =} nor {@code ,}
 * occurs in one. The migration's backfill writes the same text in SQL. A count array is indexed by
 * {@link IdentifierType#ordinal()}, as {@link io.omni.spi.IdentityTransaction#typeCounts(long)}
 * answers it.
 */
final class TypeCountText {
  private static final int MAX_DIGITS = 10;

  private TypeCountText() {
  }

  /**
   * The text of these counts, or {@code null} when every count is 0.
   *
   * @throws IllegalStateException if a count is negative: a write lost track of the profile
   */
  static String encode(long profile, int[] counts) {
    List<IdentifierType> held = new ArrayList<>();
    for (int ordinal = 0; ordinal < counts.length; ordinal++) {
      if (counts[ordinal] < 0) {
        throw new IllegalStateException("profile " + JdbcIdentityStore.profileId(profile) + " would hold "
            + counts[ordinal] + " identifiers of type " + IdentifierType.ofOrdinal(ordinal));
      }
      if (counts[ordinal] > 0) {
        held.add(IdentifierType.ofOrdinal(ordinal));
      }
    }
    if (held.isEmpty()) {
      return null;
    }
    held.sort(null); // by name
    StringBuilder text = new StringBuilder(held.size() * 12);
    for (IdentifierType type : held) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(type.name()).append('=').append(counts[type.ordinal()]);
    }
    return text.toString();
  }

  /**
   * The counts this text holds, indexed by ordinal, at least {@link IdentifierType#count()} long;
   * all 0 for {@code null}.
   *
   * @throws OmniStorageException naming the profile and the text if it is not what {@link #encode}
   *     writes: an empty text, a pair without {@code =}, a name that is not a type's name as {@link
   *     IdentifierType#name()} gives it, a count that is not a positive decimal {@code int}, or a
   *     type named twice
   */
  static int[] decode(long profile, String text) {
    if (text == null) {
      return new int[IdentifierType.count()];
    }
    String[] pairs = text.split(",", -1);
    IdentifierType[] types = new IdentifierType[pairs.length];
    int[] values = new int[pairs.length];
    int length = 0;
    for (int k = 0; k < pairs.length; k++) {
      String pair = pairs[k];
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw malformed(profile, text, "'" + pair + "' is not type=count");
      }
      String name = pair.substring(0, eq);
      try {
        types[k] = IdentifierType.of(name);
      } catch (InvalidIdentifierException e) {
        throw malformed(profile, text, "'" + name + "' is not a type name");
      }
      if (!types[k].name().equals(name)) {
        throw malformed(profile, text, "'" + name + "' is not a type name as written (" + types[k].name() + ")");
      }
      values[k] = count(profile, text, pair.substring(eq + 1));
      length = Math.max(length, types[k].ordinal() + 1);
    }
    int[] counts = new int[Math.max(length, IdentifierType.count())];
    for (int k = 0; k < pairs.length; k++) {
      if (counts[types[k].ordinal()] != 0) {
        throw malformed(profile, text, "type " + types[k].name() + " is named twice");
      }
      counts[types[k].ordinal()] = values[k];
    }
    return counts;
  }

  private static int count(long profile, String text, String digits) {
    boolean decimal = !digits.isEmpty() && digits.length() <= MAX_DIGITS && digits.charAt(0) != '0';
    for (int i = 0; decimal && i < digits.length(); i++) {
      decimal = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
    }
    long value = decimal ? Long.parseLong(digits) : 0;
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw malformed(profile, text, "'" + digits + "' is not a count from 1 to " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static OmniStorageException malformed(long profile, String text, String why) {
    return new OmniStorageException("the type counts of profile " + JdbcIdentityStore.profileId(profile)
        + " in omni_profile.type_counts are malformed: " + why + " in \"" + text
        + "\" (expected type=count pairs joined by ',', such as email=2,phone=1)", null, null);
  }

  /** A new array of the sums of {@code a} and {@code b} (either may be null or shorter) by ordinal. */
  static int[] sum(int[] a, int[] b) {
    int[] sum = new int[Math.max(a == null ? 0 : a.length, b == null ? 0 : b.length)];
    for (int[] add : new int[][] {a, b}) {
      for (int o = 0; add != null && o < add.length; o++) {
        sum[o] += add[o];
      }
    }
    return sum;
  }
}
