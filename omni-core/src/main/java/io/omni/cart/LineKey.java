package io.omni.cart;

import io.omni.internal.Limits;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What makes a cart line distinct: the SKU, its variant, and the attributes that make two lines
 * of one SKU different (gift wrap, the store it is picked up in). Two writes to equal keys write
 * one line.
 *
 * <pre>{@code
 * LineKey.of("SKU-1");
 * LineKey.of("TSHIRT-9", "red-M").with("giftWrap", "yes");
 * }</pre>
 *
 * <p>Every text is held to what the order line's columns store ({@code
 * io.omni.internal.Limits}): no control character, no lone surrogate.
 *
 * @param sku the product's SKU, 1 to 128 characters, no control characters
 * @param variant the variant ({@code ""} when none), up to 128 characters
 * @param attributes distinguishing attributes, sorted by name; at most 32, names 1 to 64
 *     characters, values up to 256
 */
public record LineKey(String sku, String variant, Map<String, String> attributes) implements Comparable<LineKey> {

  /** Checks and copies the fields; the attributes become an unmodifiable sorted map. */
  public LineKey {
    sku = text("sku", sku, 1, Limits.SKU);
    variant = text("variant", variant == null ? "" : variant, 0, Limits.VARIANT);
    Objects.requireNonNull(attributes, "attributes");
    if (attributes.size() > Limits.LINE_ATTRIBUTES) {
      throw new IllegalArgumentException("line key " + sku + " has " + attributes.size() + " attributes, at most "
          + Limits.LINE_ATTRIBUTES + " are kept");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    attributes.forEach((name, value) -> sorted.put(text("attribute name", name, 1, Limits.LINE_ATTRIBUTE_NAME),
        text("attribute " + Limits.shown(name), value, 0, Limits.LINE_ATTRIBUTE_VALUE)));
    attributes = Collections.unmodifiableSortedMap(sorted);
  }

  /** The line of a SKU with no variant and no attributes. */
  public static LineKey of(String sku) {
    return new LineKey(sku, "", Map.of());
  }

  /** The line of a SKU's variant. */
  public static LineKey of(String sku, String variant) {
    return new LineKey(sku, variant, Map.of());
  }

  /** This key with one more distinguishing attribute (or another value for it). */
  public LineKey with(String name, String value) {
    TreeMap<String, String> copy = new TreeMap<>(attributes);
    copy.put(name, value);
    return new LineKey(sku, variant, copy);
  }

  private static String text(String field, String value, int min, int max) {
    if (value == null) {
      throw new IllegalArgumentException("line key " + field + " is null");
    }
    if (value.length() < min || value.length() > max || (min > 0 && value.isBlank())) {
      throw new IllegalArgumentException("line key " + field + " must be " + min + " to " + max
          + " characters" + (min > 0 ? ", not blank" : "") + ", was '" + Limits.shown(value) + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("line key " + field + " holds a control character at index " + i);
      }
    }
    String unstorable = Limits.unstorableProblem(value);
    if (unstorable != null) {
      throw new IllegalArgumentException("line key " + field + " '" + Limits.shown(value) + "' " + unstorable);
    }
    return value;
  }

  /**
   * Orders keys by SKU, variant, then attributes (name, then value, in name order), so carts list
   * their lines in a stable order; consistent with {@code equals}.
   */
  @Override
  public int compareTo(LineKey other) {
    int c = sku.compareTo(other.sku);
    if (c == 0) {
      c = variant.compareTo(other.variant);
    }
    if (c == 0) {
      c = compareAttributes(attributes, other.attributes);
    }
    return c;
  }

  /** Entry by entry in name order, a shorter prefix first: consistent with {@code equals}. */
  private static int compareAttributes(Map<String, String> a, Map<String, String> b) {
    var left = a.entrySet().iterator();
    var right = b.entrySet().iterator();
    while (left.hasNext() && right.hasNext()) {
      Map.Entry<String, String> x = left.next();
      Map.Entry<String, String> y = right.next();
      int c = x.getKey().compareTo(y.getKey());
      if (c == 0) {
        c = x.getValue().compareTo(y.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(left.hasNext(), right.hasNext());
  }

  /** {@code SKU-1}, {@code TSHIRT-9/red-M{giftWrap=yes}}. */
  @Override
  public String toString() {
    return sku + (variant.isEmpty() ? "" : "/" + variant) + (attributes.isEmpty() ? "" : attributes.toString());
  }
}
