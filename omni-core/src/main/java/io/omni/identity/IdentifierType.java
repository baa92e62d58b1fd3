package io.omni.identity;

import io.omni.InvalidIdentifierException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The kind of contact an {@link Identifier} is: an email, a phone, a device, a messenger handle.
 *
 * <p>Six types are built in. Others (messenger and social handles, a shop's own customer numbers)
 * are named with {@link #of(String)}; a name always gives the same instance, so types compare with
 * {@code ==} as well as {@code equals}.
 *
 * <p>Each type is <em>strong</em> (it names one person: account, email, phone, loyalty card and
 * every custom type) or <em>weak</em> (it names a thing people share: device, cookie) by default;
 * {@link IdentityRules#weak(IdentifierType...)} changes that per Omni.
 *
 * <pre>{@code
 * IdentifierType telegram = IdentifierType.of("telegram");
 * Identifier handle = Identifier.of(telegram, "@ann");
 * }</pre>
 */
public final class IdentifierType implements Comparable<IdentifierType> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final ConcurrentHashMap<String, IdentifierType> BY_NAME = new ConcurrentHashMap<>();
  private static final List<IdentifierType> BY_ORDINAL = new ArrayList<>();
  // a copy of BY_ORDINAL, replaced on each register, so that reads by ordinal take no lock
  private static volatile IdentifierType[] ordinals = new IdentifierType[0];

  /** A shop account or customer number: at most one per profile by default. */
  public static final IdentifierType ACCOUNT = register("account", false);
  /** An email address, normalized by {@link Identifier#email(String)}. */
  public static final IdentifierType EMAIL = register("email", false);
  /** A phone number in E.164, normalized by {@link Identifier#phone(String)}. */
  public static final IdentifierType PHONE = register("phone", false);
  /** A loyalty card number. */
  public static final IdentifierType LOYALTY_CARD = register("loyalty_card", false);
  /** A device or advertising id (IDFA, GAID, a POS terminal id): weak, people share devices. */
  public static final IdentifierType DEVICE = register("device", true);
  /** A web cookie id: weak, browsers are shared. */
  public static final IdentifierType COOKIE = register("cookie", true);

  private final String name;
  private final int ordinal;
  private final boolean weakByDefault;

  private IdentifierType(String name, int ordinal, boolean weakByDefault) {
    this.name = name;
    this.ordinal = ordinal;
    this.weakByDefault = weakByDefault;
  }

  private static synchronized IdentifierType register(String name, boolean weak) {
    IdentifierType existing = BY_NAME.get(name);
    if (existing != null) {
      return existing;
    }
    IdentifierType type = new IdentifierType(name, BY_ORDINAL.size(), weak);
    BY_ORDINAL.add(type);
    ordinals = BY_ORDINAL.toArray(new IdentifierType[0]);
    BY_NAME.put(name, type);
    return type;
  }

  /**
   * The type with this name: a built-in one ({@code "email"}, {@code "phone"}, …) or a custom one,
   * created on first use. Custom types are strong unless the rules say otherwise.
   *
   * @param name letters, digits, {@code _} or {@code -}, starting with a letter, at most 32
   *     characters; case is ignored
   * @throws InvalidIdentifierException if the name breaks that rule
   */
  public static IdentifierType of(String name) {
    Objects.requireNonNull(name, "name");
    IdentifierType known = BY_NAME.get(name);
    if (known != null) {
      return known;
    }
    String lower = name.trim().toLowerCase(Locale.ROOT);
    if (!NAME.matcher(lower).matches()) {
      throw new InvalidIdentifierException(
          "type", name, "a type name is a letter then up to 31 letters, digits, '_' or '-'");
    }
    return register(lower, false);
  }

  /** The type's name, lower case: {@code "email"}, {@code "loyalty_card"}, {@code "telegram"}. */
  public String name() {
    return name;
  }

  /**
   * A small dense number, unique per type in this JVM, in order of first use. Stable only within
   * one JVM: never store it, store {@link #name()}.
   */
  public int ordinal() {
    return ordinal;
  }

  /**
   * The type with this ordinal in this JVM, for stores that count identifiers by ordinal.
   *
   * @throws IllegalArgumentException if no type has it
   */
  public static IdentifierType ofOrdinal(int ordinal) {
    IdentifierType[] known = ordinals;
    if (ordinal < 0 || ordinal >= known.length) {
      throw new IllegalArgumentException("no identifier type has ordinal " + ordinal);
    }
    return known[ordinal];
  }

  /** Whether this type is weak unless the rules say otherwise: true for device and cookie. */
  public boolean weakByDefault() {
    return weakByDefault;
  }

  /** Whether this is one of the six built-in types. */
  public boolean builtIn() {
    return ordinal < 6;
  }

  /** How many types this JVM knows so far; every {@link #ordinal()} is below it. */
  public static int count() {
    synchronized (IdentifierType.class) {
      return BY_ORDINAL.size();
    }
  }

  @Override
  public int compareTo(IdentifierType other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
