package io.omni.cart;

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
 * @param sku the product's SKU, 1 to 128 characters, no control characters
 * @param variant the variant ({@code ""} when none), up to 128 characters
 * @param attributes distinguishing attributes, sorted by name; names 1 to 64 characters, values
 *     up to 256
 */
public record LineKey(String sku, String variant, Map<String, String> attributes) implements Comparable<LineKey> {
  private static final int MAX_SKU = 128;
  private static final int MAX_NAME = 64;
  private static final int MAX_VALUE = 256;

  /** Checks and copies the fields; the attributes become an unmodifiable sorted map. */
  public LineKey {
    sku = text("sku", sku, 1, MAX_SKU);
    variant = text("variant", variant == null ? "" : variant, 0, MAX_SKU);
    Objects.requireNonNull(attributes, "attributes");
    TreeMap<String, String> sorted = new TreeMap<>();
    attributes.forEach((name, value) ->
        sorted.put(text("attribute name", name, 1, MAX_NAME), text("attribute " + name, value, 0, MAX_VALUE)));
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
          + " characters" + (min > 0 ? ", not blank" : "") + ", was '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException("line key " + field + " holds a control character at index " + i);
      }
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
