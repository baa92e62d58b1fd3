package io.omni.internal;

import io.omni.cart.LineKey;
import java.time.Instant;

/**
 * What a value must keep to be stored alike by every store Omni runs on — in memory, H2,
 * PostgreSQL and MariaDB — in one place, so that core checks it once, before anything is stored,
 * and every store refuses the same input with the same exception. Without these checks a value
 * the in-memory store takes would fail midway on a database, after other effects were written.
 *
 * <p>Each length mirrors the column that holds the value (the schema under {@code
 * omni-jdbc/src/main/resources/io/omni/jdbc/schema/}). Lengths count Java {@code char}s (UTF-16
 * code units): H2 counts a {@code VARCHAR}'s length that way, while PostgreSQL and MariaDB count
 * code points, of which there are never more, so a value within the limit fits every database.
 *
 * <p>Text a database cannot store is refused anywhere it would be stored: {@code U+0000} (NUL),
 * which PostgreSQL refuses in {@code text}, and a lone surrogate, which is no character at all:
 * PostgreSQL and MariaDB store it as {@code '?'}, silently, so that two different values read back
 * equal.
 *
 * <p>The checks come in two forms: {@code problem(...)} answers what is wrong in a few words, or
 * {@code null}, for callers that throw their own typed exception ({@code InvalidEventException},
 * {@code InvalidIdentifierException}); the others throw {@link IllegalArgumentException} naming
 * the input and the rule, for arguments of the API.
 */
public final class Limits {
  /** {@code omni_identifier.id_value VARCHAR(256)}: a normalized identifier value. */
  public static final int IDENTIFIER_VALUE = 256;

  /**
   * {@code VARCHAR(255)} of {@code omni_processed_event.event_id}, {@code omni_evidence.event_id},
   * {@code omni_touchpoint.event_id}, {@code omni_conflict.event_id} and {@code
   * omni_consent.source}: an event id.
   */
  public static final int EVENT_ID = 255;

  /**
   * A channel id: {@code Channel} ids and a cart line's channel are 1 to 64 characters, and a
   * link's channel is held to the same so that every channel string fits wherever one is stored
   * ({@code omni_evidence.channel}, {@code omni_touchpoint.channel}, {@code omni_order.channel},
   * {@code omni_consent.channel} are {@code VARCHAR(255)}, the cart's JSON holds any).
   */
  public static final int CHANNEL = 64;

  /**
   * The shop's order id, of a checkout or an {@code ORDER} event's {@code order} attribute: {@code
   * omni_order.order_id} is {@code VARCHAR(255)}, and a checkout's order is also on the journey as
   * the touchpoint of event id {@code order:<order id>}, in {@code omni_touchpoint.event_id}, also
   * {@code VARCHAR(255)}: 255 less the 6 of {@code "order:"}.
   */
  public static final int ORDER_ID = 249;

  /** {@code omni_campaign_run.promo_code VARCHAR(255)}: a promo code, looked up by it. */
  public static final int PROMO_CODE = 255;

  /** {@code omni_campaign_run.id VARCHAR(255)}: a campaign run's id, looked up by it. */
  public static final int RUN_ID = 255;

  /** {@code omni_order_line.sku VARCHAR(128)}: a line key's SKU. */
  public static final int SKU = 128;

  /** {@code omni_order_line.variant VARCHAR(128)}: a line key's variant. */
  public static final int VARIANT = 128;

  /** The longest name of a line key's attribute. */
  public static final int LINE_ATTRIBUTE_NAME = 64;

  /** The longest value of a line key's attribute. */
  public static final int LINE_ATTRIBUTE_VALUE = 256;

  /**
   * The most attributes a line key has. With the two lengths above, one key's attributes stay
   * under 64 KB as JSON (at most 6 bytes a character, escaped), inside {@code
   * omni_order_line.attributes} and the cart's JSON, which are {@code MEDIUMTEXT} (16 MiB) on
   * MariaDB.
   */
  public static final int LINE_ATTRIBUTES = 32;

  /** The longest name of an event's attribute. */
  public static final int ATTRIBUTE_NAME = 255;

  /** The longest value of an event's attribute. */
  public static final int ATTRIBUTE_VALUE = 16_384;

  /**
   * The most attributes an event has. With the two lengths above, an event's attributes stay
   * under 6.4 MB as JSON (at most 6 bytes a character, escaped), inside {@code
   * omni_touchpoint.attributes}, a {@code MEDIUMTEXT} (16 MiB) on MariaDB, and inside MariaDB's
   * default {@code max_allowed_packet} (16 MiB).
   */
  public static final int ATTRIBUTES = 64;

  /**
   * The longest campaign text. A run keeps it once and once more per message sent, as JSON in
   * {@code omni_campaign_run.run}, a {@code MEDIUMTEXT} (16 MiB) on MariaDB: at up to 6 bytes a
   * character escaped, a run of about 40 steps fits.
   */
  public static final int CAMPAIGN_TEXT = 65_536;

  /**
   * The earliest instant Omni takes: the epoch, 1970-01-01T00:00:00Z. A cart {@code Stamp} counts
   * milliseconds from it and cannot be negative, and an {@code ORDER}'s time becomes a stamp.
   */
  public static final Instant EARLIEST = Instant.EPOCH;

  /**
   * The latest instant Omni takes: 5999-12-31T23:59:59.999999999Z. Every store keeps times as
   * epoch milliseconds in a {@code BIGINT} (plus nanoseconds in an {@code INT}), which holds any
   * year to 292 million; the binding limit is {@code Stamp.MAX_MILLIS}, in the year 6429, and this
   * leaves four centuries under it for {@code maxDrift} and the hybrid clock's carry into the next
   * millisecond. The year 9999 would not fit a stamp.
   */
  public static final Instant LATEST = Instant.parse("5999-12-31T23:59:59.999999999Z");

  /** How much of a value an error message shows before it cuts it short. */
  private static final int SHOWN = 64;

  private Limits() {}

  // ------------------------------------------------------------------ text

  /**
   * Where the first character no database can store is: {@code U+0000} or a lone surrogate.
   *
   * @return its index, or {@code -1} when there is none
   */
  public static int unstorableAt(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++; // a pair: one character outside the BMP
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * What is wrong with storing {@code text} where at most {@code max} characters fit, in a few
   * words ({@code "is 300 characters long, at most 255 fit"}), or {@code null} when nothing is.
   */
  public static String problem(String text, int max) {
    if (text.length() > max) {
      return "is " + text.length() + " characters long, at most " + max + " fit";
    }
    return unstorableProblem(text);
  }

  /**
   * What in {@code text} no database stores, in a few words ({@code "holds U+0000 (NUL) at index
   * 3, which no database stores"}), or {@code null} when it holds no such character.
   */
  public static String unstorableProblem(String text) {
    int bad = unstorableAt(text);
    if (bad < 0) {
      return null;
    }
    char c = text.charAt(bad);
    return "holds " + (c == '\u0000' ? "U+0000 (NUL)" : "a lone surrogate " + codePoint(c))
        + " at index " + bad + ", which no database stores";
  }

  /**
   * Checks an argument's text.
   *
   * @param what the argument, named as the message should name it: {@code "channel"}
   * @return the text
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is longer than {@code max} or holds text no database
   *     stores; the message names the argument, shows the value and the rule
   */
  public static String text(String what, String text, int max) {
    if (text == null) {
      throw new NullPointerException(what);
    }
    String problem = problem(text, max);
    if (problem != null) {
      throw new IllegalArgumentException(what + " '" + shown(text) + "' " + problem);
    }
    return text;
  }

  /**
   * Checks the shop's order id of a checkout or an order: not blank, at most {@value #ORDER_ID}
   * characters (see {@link #ORDER_ID}), text a database stores.
   *
   * @return the order id
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException naming the order id and the rule it breaks
   */
  public static String orderId(String orderId) {
    if (orderId == null) {
      throw new NullPointerException("orderId");
    }
    String problem = orderIdProblem(orderId);
    if (problem != null) {
      throw new IllegalArgumentException("order id '" + shown(orderId) + "' " + problem);
    }
    return orderId;
  }

  /** What is wrong with an order id, or {@code null}; see {@link #orderId(String)}. */
  public static String orderIdProblem(String orderId) {
    return orderId.isBlank() ? "is blank" : problem(orderId, ORDER_ID);
  }

  /**
   * Checks the channel string of a link or a cart write: not blank, at most {@value #CHANNEL}
   * characters, text a database stores.
   *
   * @return the channel
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException naming the channel and the rule it breaks
   */
  public static String channel(String channel) {
    if (channel == null) {
      throw new NullPointerException("channel");
    }
    if (channel.isBlank()) {
      throw new IllegalArgumentException("channel must not be blank, was '" + shown(channel) + "'");
    }
    return text("channel", channel, CHANNEL);
  }

  // ------------------------------------------------------------------ invisible characters

  /**
   * Where the first invisible format character is ({@link Character#FORMAT}: zero-width space,
   * joiner and non-joiner, word joiner, the byte order mark, bidi controls, soft hyphen, tag
   * characters): characters that change nothing one sees, so that two values that look the same
   * differ.
   *
   * @return its index, or {@code -1} when there is none
   */
  public static int formatCharacterAt(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.getType(cp) == Character.FORMAT) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** {@code U+200B ZERO WIDTH SPACE}: a code point as a reader finds it in the Unicode charts. */
  public static String codePoint(int cp) {
    String name = Character.getName(cp);
    return String.format("U+%04X", cp) + (name == null ? "" : " " + name);
  }

  /**
   * A value as an error message shows it: readable and short. Characters one cannot see or that a
   * terminal would act on (controls, format characters, lone surrogates, white space other than a
   * plain space, unassigned and private-use code points) are written as {@code \}{@code uXXXX}, a
   * backslash as two; past {@value #SHOWN} characters the value is cut and its length given.
   * {@code null} shows as {@code null}.
   */
  public static String shown(String value) {
    if (value == null) {
      return "null";
    }
    int end = Math.min(value.length(), SHOWN);
    StringBuilder out = new StringBuilder(end + 16);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
      if (pair) {
        int cp = value.codePointAt(i);
        if (visible(cp)) {
          out.append(c).append(value.charAt(i + 1));
        } else {
          out.append(String.format("\\u%04X\\u%04X", (int) c, (int) value.charAt(i + 1)));
        }
        i++;
      } else if (c == '\\') {
        out.append("\\\\");
      } else if (c == ' ' || !Character.isSurrogate(c) && visible(c)) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    if (value.length() > SHOWN) {
      out.append("…(").append(value.length()).append(" characters)");
    }
    return out.toString();
  }

  private static boolean visible(int cp) {
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.SURROGATE && type != Character.SPACE_SEPARATOR
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
  }

  // ------------------------------------------------------------------ time

  /** Whether an instant is within {@link #EARLIEST} to {@link #LATEST}, the times Omni stamps. */
  public static boolean inRange(Instant at) {
    return !at.isBefore(EARLIEST) && !at.isAfter(LATEST);
  }

  /**
   * What is wrong with an instant, in a few words, or {@code null} when it is within {@link
   * #EARLIEST} to {@link #LATEST}.
   */
  public static String instantProblem(Instant at) {
    return inRange(at) ? null
        : "is outside the times Omni can stamp and store, " + EARLIEST + " to " + LATEST;
  }

  /**
   * Checks an instant argument.
   *
   * @param what the argument, named as the message should name it: {@code "at"}
   * @return the instant
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is before {@link #EARLIEST} or after {@link #LATEST}
   */
  public static Instant instant(String what, Instant at) {
    if (at == null) {
      throw new NullPointerException(what);
    }
    if (!inRange(at)) {
      throw new IllegalArgumentException(what + " " + at + " " + instantProblem(at));
    }
    return at;
  }

  // ------------------------------------------------------------------ quantities

  /**
   * {@code current + added} for a cart line, refused when it would pass {@link Integer#MAX_VALUE},
   * the largest quantity a cart line and {@code omni_order_line.quantity} ({@code INT}) hold.
   *
   * @throws IllegalArgumentException naming the line, its quantity and what was added
   */
  public static int addQuantity(LineKey key, int current, int added) {
    long sum = (long) current + added;
    if (sum > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("adding " + added + " to cart line " + key + " of quantity " + current
          + " would pass the largest quantity, " + Integer.MAX_VALUE);
    }
    return (int) sum;
  }
}
