package io.omni.benchmarks;

import io.omni.identity.Identifier;
import java.util.SplittableRandom;

/**
 * A fixed-seed population of shop customers, the data the identity benchmarks share. Each customer
 * leaves {@value #PER_CUSTOMER} identifiers — an email, a phone (E.164, US numbers), a device id
 * (a lower-case UUID) and a web cookie — and three links join them: email–phone (an account
 * form), email–device (an app login) and device–cookie (a web session on that device). The links
 * of all customers are shuffled, so they arrive in random order and clusters grow from both
 * ends, merging anonymous (device and cookie only) profiles into known ones the way real traffic
 * does. Under the default rules every link is accepted: no profile exceeds a type limit and no
 * weak identifier bridges two known customers.
 */
final class Customers {
  static final int PER_CUSTOMER = 4;
  static final int LINKS_PER_CUSTOMER = 3;
  private static final String[] AREAS = {"212", "312", "415", "617", "646", "702", "713", "718", "917", "206"};

  /** All identifiers, customer by customer: email, phone, device, cookie. */
  final Identifier[] identifiers;
  /** The link list, shuffled: link {@code k} joins {@code identifiers[left[k]]} and {@code identifiers[right[k]]}. */
  final int[] left;
  final int[] right;

  private Customers(Identifier[] identifiers, int[] left, int[] right) {
    this.identifiers = identifiers;
    this.left = left;
    this.right = right;
  }

  /** The identifiers' normalized values, the strings both Omni and its peer key on. */
  String[] values() {
    String[] values = new String[identifiers.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = identifiers[i].value();
    }
    return values;
  }

  int links() {
    return left.length;
  }

  /** {@code identifiers} identifiers (rounded down to whole customers) and their links. */
  static Customers generate(int identifiers, long seed) {
    int customers = identifiers / PER_CUSTOMER;
    SplittableRandom random = new SplittableRandom(seed);
    Identifier[] ids = new Identifier[customers * PER_CUSTOMER];
    for (int c = 0; c < customers; c++) {
      int at = c * PER_CUSTOMER;
      ids[at] = Identifier.email("Customer." + c + "@Mail" + (c % 89) + ".example.net");
      ids[at + 1] = Identifier.phone(phone(c));
      ids[at + 2] = Identifier.device(uuid(random));
      ids[at + 3] = Identifier.cookie("ck-" + Long.toHexString(random.nextLong()) + '-' + Integer.toHexString(c));
    }
    int links = customers * LINKS_PER_CUSTOMER;
    int[] left = new int[links];
    int[] right = new int[links];
    for (int c = 0; c < customers; c++) {
      int at = c * PER_CUSTOMER;
      int k = c * LINKS_PER_CUSTOMER;
      left[k] = at;          // email
      right[k] = at + 1;     // phone
      left[k + 1] = at;      // email
      right[k + 1] = at + 2; // device
      left[k + 2] = at + 2;  // device
      right[k + 2] = at + 3; // cookie
    }
    for (int k = links - 1; k > 0; k--) { // Fisher-Yates
      int j = random.nextInt(k + 1);
      int t = left[k];
      left[k] = left[j];
      left[j] = t;
      t = right[k];
      right[k] = right[j];
      right[j] = t;
    }
    return new Customers(ids, left, right);
  }

  /** A valid, distinct US number per customer: area, exchange 200-999, line 0000-9999. */
  private static String phone(int c) {
    int area = c % AREAS.length;
    int rest = c / AREAS.length;
    int exchange = 200 + rest % 800;
    int line = (rest / 800) % 10_000;
    return String.format("+1 %s %03d %04d", AREAS[area], exchange, line);
  }

  private static String uuid(SplittableRandom random) {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }
}
