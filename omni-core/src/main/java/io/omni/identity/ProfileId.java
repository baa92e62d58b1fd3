package io.omni.identity;

import java.util.Objects;

/**
 * The id of one customer profile, such as {@code "p-17"}.
 *
 * <p>Ids are stable: when two profiles merge the older one's id survives and the other's stays an
 * alias that {@link Identities#resolve(ProfileId)} and {@link Identities#profile(ProfileId)} still
 * answer. Ids are issued by the store; {@link #of(String)} only wraps one read back from
 * elsewhere (a request parameter, a JSON document).
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
