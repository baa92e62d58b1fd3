package io.omni.internal.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * {@link Normalizer#isFixedLine(String)} with its answers remembered: libphonenumber takes
 * microseconds to tell a fixed line from a mobile, and the rules ask it for every phone of every
 * link. Bounded; the answer for a number never changes while the library's metadata does not.
 */
public final class FixedLines {
  private static final Cache<String, Boolean> ANSWERS = Caffeine.newBuilder().maximumSize(1 << 16).build();

  private FixedLines() {}

  /** Whether a normalized phone number (E.164) is a fixed line; see {@link Normalizer#isFixedLine}. */
  public static boolean isFixedLine(String e164) {
    return ANSWERS.get(e164, Normalizer::isFixedLine);
  }
}
