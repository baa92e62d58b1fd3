package io.omni.identity;

import io.omni.internal.identity.FixedLines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The guards that keep identity resolution from fusing strangers. Immutable: every method that
 * changes a rule returns a new {@code IdentityRules}.
 *
 * <ul>
 *   <li><b>limits</b> — at most so many identifiers of a type per profile (defaults: account 1;
 *       email, phone, loyalty card 5; device 10; cookie 50; other types 5);
 *   <li><b>priority</b> — when a link would break a limit, its lowest-priority identifiers are
 *       dropped and the rest is tried again (default, highest first: account, email, phone,
 *       loyalty card, custom types, device, cookie); what is dropped is kept as a {@link
 *       Conflict};
 *   <li><b>blocked values</b> — built-in junk ({@code null}, {@code undefined}, all-zero ids,
 *       {@code test@test.com}, one character repeated, …) and patterns of your own are never
 *       linked;
 *   <li><b>weak types</b> — device and cookie by default: a weak identifier attaches to the first
 *       known customer it is seen with, but never bridges two known customers nor brings a new
 *       strong identifier into a profile that has others; a fixed-line phone (a household's
 *       landline) is weak too by default ({@link #fixedLinesWeak(boolean)});
 *   <li><b>shared identifiers</b> — an identifier refused this many times ({@link
 *       #sharedAfter(int)}, default 3) is marked shared: it stops joining profiles and the profile
 *       it had joined is re-resolved from the evidence without it.
 * </ul>
 *
 * <pre>{@code
 * IdentityRules rules = IdentityRules.defaults()
 *     .limit(IdentifierType.EMAIL, 3)
 *     .block(IdentifierType.EMAIL, ".*@mailinator\\.com")
 *     .sharedAfter(5);
 * }</pre>
 *
 * <p>Changing the rules of a running Omni takes effect for new links; {@link Identities#rebuild()}
 * re-resolves what was linked before under the new rules.
 */
public final class IdentityRules {
  /** The limit of a type that has none of its own. */
  public static final int DEFAULT_LIMIT = 5;
  /** How many conflicts make an identifier shared, by default. */
  public static final int DEFAULT_SHARED_AFTER = 3;

  private static final List<IdentifierType> DEFAULT_PRIORITY = List.of(
      IdentifierType.ACCOUNT, IdentifierType.EMAIL, IdentifierType.PHONE,
      IdentifierType.LOYALTY_CARD, IdentifierType.DEVICE, IdentifierType.COOKIE);

  private static final List<Pattern> BUILT_IN_JUNK = List.of(
      Pattern.compile("null|undefined|none|nil|nan|n/a|na|unknown|anonymous|guest|test|-1|0|\\[object object\\]",
          Pattern.CASE_INSENSITIVE),
      // all-zero ids in any layout: 00000000-0000-0000-0000-000000000000, 0000000000, +0000…
      Pattern.compile("[+]?[0\\-]+"),
      // one character repeated: 1111111, xxxxxx, ffffffff-ffff-…
      Pattern.compile("[+]?(\\w)(\\1|-)+"),
      // throwaway and placeholder addresses
      Pattern.compile("(test|example|email|none|noemail|no-email|nobody|asdf|qwerty|a)@(test|example|email|none|noemail|asdf|qwerty|a)\\.(com|org|net|ru)",
          Pattern.CASE_INSENSITIVE),
      Pattern.compile("no-?reply@.*", Pattern.CASE_INSENSITIVE));

  /**
   * For each pattern of {@link #BUILT_IN_JUNK}, by its index, a cheap test that holds for every
   * value the pattern matches, so that most real values skip the regular expressions (building
   * their matchers was a third of the time of a link). Each test may say yes to values its pattern
   * refuses; it must never say no to one it matches. One method rather than a lambda per pattern,
   * so that the call is not megamorphic.
   */
  private static boolean mayBeJunk(int pattern, String v) {
    switch (pattern) {
      case 0: // a word of at most 15 characters ("[object object]") beginning n u a g t - 0 or [
        return v.length() <= 15 && !v.isEmpty() && "nNuUaAgGtT-0[".indexOf(v.charAt(0)) >= 0;
      case 1: { // after an optional +, only 0 and - (exact: a phone number "+1…" must not build a matcher)
        int i = v.startsWith("+") ? 1 : 0;
        return v.length() > i && onlyRepeats(v, i, '0', '-');
      }
      case 2: { // after an optional +, a character then only that one or '-' (the pattern also wants a word character)
        int i = v.startsWith("+") ? 1 : 0;
        return v.length() >= i + 2 && onlyRepeats(v, i + 1, v.charAt(i), '-');
      }
      case 3: // at most "no-email@noemail.com", 20 characters, with an @
        return v.length() <= 20 && v.indexOf('@') >= 0;
      case 4: // at least "noreply@", beginning "no"
        return v.length() >= 8 && v.regionMatches(true, 0, "no", 0, 2);
      default:
        throw new IllegalArgumentException("no built-in junk pattern " + pattern);
    }
  }

  /** Whether every character of {@code v} from {@code from} on is {@code a} or {@code b}. */
  private static boolean onlyRepeats(String v, int from, char a, char b) {
    for (int k = from; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c != a && c != b) {
        return false;
      }
    }
    return true;
  }

  private final Map<IdentifierType, Integer> limits;
  private final List<IdentifierType> priority;
  private final Map<IdentifierType, Boolean> weakness;
  private final List<Pattern> blockedEverywhere;
  private final Map<IdentifierType, List<Pattern>> blockedByType;
  private final boolean builtInBlocklist;
  private final int sharedAfter;
  private final boolean limitsOn;
  private final boolean fixedLinesWeak;
  // limit(), rank() and isWeak() per type ordinal, for the types known when the rules were made (the
  // rules never change; types registered later go to the maps): a link asks them for every identifier
  private final int[] limitByOrdinal;
  private final int[] rankByOrdinal;
  private final boolean[] weakByOrdinal;

  private IdentityRules(
      Map<IdentifierType, Integer> limits,
      List<IdentifierType> priority,
      Map<IdentifierType, Boolean> weakness,
      List<Pattern> blockedEverywhere,
      Map<IdentifierType, List<Pattern>> blockedByType,
      boolean builtInBlocklist,
      int sharedAfter,
      boolean limitsOn,
      boolean fixedLinesWeak) {
    this.limits = Collections.unmodifiableMap(limits);
    this.priority = List.copyOf(priority);
    this.weakness = Collections.unmodifiableMap(weakness);
    this.blockedEverywhere = List.copyOf(blockedEverywhere);
    this.blockedByType = Collections.unmodifiableMap(blockedByType);
    this.builtInBlocklist = builtInBlocklist;
    this.sharedAfter = sharedAfter;
    this.limitsOn = limitsOn;
    this.fixedLinesWeak = fixedLinesWeak;
    int known = IdentifierType.count();
    limitByOrdinal = new int[known];
    rankByOrdinal = new int[known];
    weakByOrdinal = new boolean[known];
    for (int o = 0; o < known; o++) {
      IdentifierType type = IdentifierType.ofOrdinal(o);
      limitByOrdinal[o] = limitOf(type);
      rankByOrdinal[o] = rankOf(type);
      weakByOrdinal[o] = weakOf(type);
    }
  }

  /** The rules as the design describes them, every guard on. */
  public static IdentityRules defaults() {
    Map<IdentifierType, Integer> limits = new HashMap<>();
    limits.put(IdentifierType.ACCOUNT, 1);
    limits.put(IdentifierType.EMAIL, 5);
    limits.put(IdentifierType.PHONE, 5);
    limits.put(IdentifierType.LOYALTY_CARD, 5);
    limits.put(IdentifierType.DEVICE, 10);
    limits.put(IdentifierType.COOKIE, 50);
    return new IdentityRules(limits, DEFAULT_PRIORITY, new HashMap<>(), List.of(), new HashMap<>(),
        true, DEFAULT_SHARED_AFTER, true, true);
  }

  /**
   * Every guard off: no limits, no weak types, no blocked values, no shared detection. Linking is
   * then plain union-find over the evidence — useful to compare against, never for production.
   */
  public static IdentityRules relaxed() {
    Map<IdentifierType, Boolean> weakness = new HashMap<>();
    weakness.put(IdentifierType.DEVICE, false);
    weakness.put(IdentifierType.COOKIE, false);
    return new IdentityRules(new HashMap<>(), DEFAULT_PRIORITY, weakness, List.of(), new HashMap<>(),
        false, 0, false, false);
  }

  /**
   * Sets how many identifiers of a type one profile may hold.
   *
   * @throws IllegalArgumentException if {@code max} is below 1
   */
  public IdentityRules limit(IdentifierType type, int max) {
    Objects.requireNonNull(type, "type");
    if (max < 1) {
      throw new IllegalArgumentException("limit of " + type + " must be at least 1, was " + max);
    }
    Map<IdentifierType, Integer> copy = new HashMap<>(limits);
    copy.put(type, max);
    return new IdentityRules(copy, priority, weakness, blockedEverywhere, blockedByType,
        builtInBlocklist, sharedAfter, true, fixedLinesWeak);
  }

  /** How many identifiers of this type one profile may hold; {@link Integer#MAX_VALUE} if unbounded. */
  public int limit(IdentifierType type) {
    int o = Objects.requireNonNull(type, "type").ordinal();
    return o < limitByOrdinal.length ? limitByOrdinal[o] : limitOf(type);
  }

  private int limitOf(IdentifierType type) {
    return limitsOn ? limits.getOrDefault(type, DEFAULT_LIMIT) : Integer.MAX_VALUE;
  }

  /**
   * Sets the priority of types, highest first. Types not named keep their default order after the
   * named ones. When a link would break a limit, the lowest-priority identifiers are dropped first.
   */
  public IdentityRules priority(IdentifierType... highestFirst) {
    Objects.requireNonNull(highestFirst, "highestFirst");
    List<IdentifierType> order = new ArrayList<>();
    for (IdentifierType type : highestFirst) {
      Objects.requireNonNull(type, "priority holds a null type");
      if (order.contains(type)) {
        throw new IllegalArgumentException("priority names " + type + " twice");
      }
      order.add(type);
    }
    for (IdentifierType type : DEFAULT_PRIORITY) {
      if (!order.contains(type)) {
        order.add(type);
      }
    }
    return new IdentityRules(limits, order, weakness, blockedEverywhere, blockedByType,
        builtInBlocklist, sharedAfter, limitsOn, fixedLinesWeak);
  }

  /**
   * The rank of a type in the priority order: lower is more important. Custom types not named in
   * {@link #priority(IdentifierType...)} rank after loyalty card and before device.
   */
  public int rank(IdentifierType type) {
    int o = Objects.requireNonNull(type, "type").ordinal();
    return o < rankByOrdinal.length ? rankByOrdinal[o] : rankOf(type);
  }

  private int rankOf(IdentifierType type) {
    int index = priority.indexOf(type);
    if (index >= 0) {
      return index * 2;
    }
    // unnamed custom types: just above the first weak built-in in the order
    int device = priority.indexOf(IdentifierType.DEVICE);
    return device * 2 - 1;
  }

  /**
   * Whether deciding a link needs each cluster's identifiers per type: true when limits are on,
   * some type is weak or fixed-line phones are. With every guard off ({@link #relaxed()}) it does not, and linking is plain
   * union-find.
   */
  public boolean countsTypes() {
    if (limitsOn || fixedLinesWeak) {
      return true;
    }
    for (IdentifierType type : DEFAULT_PRIORITY) {
      if (isWeak(type)) {
        return true;
      }
    }
    return weakness.containsValue(Boolean.TRUE);
  }

  /** Makes these types weak: they never bridge two known customers. */
  public IdentityRules weak(IdentifierType... types) {
    return strength(true, types);
  }

  /** Makes these types strong: they join profiles freely within the limits. */
  public IdentityRules strong(IdentifierType... types) {
    return strength(false, types);
  }

  private IdentityRules strength(boolean weak, IdentifierType... types) {
    Objects.requireNonNull(types, "types");
    Map<IdentifierType, Boolean> copy = new HashMap<>(weakness);
    for (IdentifierType type : types) {
      copy.put(Objects.requireNonNull(type, "types holds null"), weak);
    }
    return new IdentityRules(limits, priority, copy, blockedEverywhere, blockedByType,
        builtInBlocklist, sharedAfter, limitsOn, fixedLinesWeak);
  }

  /** Whether the type is weak under these rules. */
  public boolean isWeak(IdentifierType type) {
    int o = Objects.requireNonNull(type, "type").ordinal();
    return o < weakByOrdinal.length ? weakByOrdinal[o] : weakOf(type);
  }

  /**
   * Whether this identifier is weak under these rules: its type is, or it is a fixed-line phone
   * (as libphonenumber tells it from a mobile) while {@link #fixedLinesWeak(boolean)} is on.
   */
  public boolean isWeak(Identifier identifier) {
    IdentifierType type = identifier.type();
    if (isWeak(type)) {
      return true;
    }
    return fixedLinesWeak && type == IdentifierType.PHONE && FixedLines.isFixedLine(identifier.value());
  }

  /**
   * Makes fixed-line phones weak (on by default) or strong like any phone. A household's landline
   * is shared by everyone who lives there: weak, it attaches to the first known customer it is
   * seen with but never joins another member, nor brings a new email into a profile that has
   * others. Mobiles stay strong, and so do numbers libphonenumber cannot tell from a mobile
   * ({@code FIXED_LINE_OR_MOBILE}: the United States and Canada, among others).
   */
  public IdentityRules fixedLinesWeak(boolean on) {
    return new IdentityRules(limits, priority, weakness, blockedEverywhere, blockedByType,
        builtInBlocklist, sharedAfter, limitsOn, on);
  }

  /** Whether fixed-line phones are weak under these rules. */
  public boolean fixedLinesWeak() {
    return fixedLinesWeak;
  }

  private boolean weakOf(IdentifierType type) {
    Boolean set = weakness.get(type);
    return set != null ? set : type.weakByDefault();
  }

  /**
   * Blocks every normalized value of any type that matches the regular expression in whole
   * (case-insensitive).
   *
   * @throws IllegalArgumentException if the expression does not compile
   */
  public IdentityRules block(String regex) {
    List<Pattern> copy = new ArrayList<>(blockedEverywhere);
    copy.add(compile(regex));
    return new IdentityRules(limits, priority, weakness, copy, blockedByType, builtInBlocklist,
        sharedAfter, limitsOn, fixedLinesWeak);
  }

  /** Blocks the normalized values of one type that match the regular expression in whole. */
  public IdentityRules block(IdentifierType type, String regex) {
    Objects.requireNonNull(type, "type");
    Map<IdentifierType, List<Pattern>> copy = new HashMap<>(blockedByType);
    List<Pattern> patterns = new ArrayList<>(copy.getOrDefault(type, List.of()));
    patterns.add(compile(regex));
    copy.put(type, List.copyOf(patterns));
    return new IdentityRules(limits, priority, weakness, blockedEverywhere, copy, builtInBlocklist,
        sharedAfter, limitsOn, fixedLinesWeak);
  }

  private static Pattern compile(String regex) {
    Objects.requireNonNull(regex, "regex");
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("blocked pattern '" + regex + "' does not compile: " + e.getDescription(), e);
    }
  }

  /** Turns the built-in junk list on or off (on by default). */
  public IdentityRules builtInBlocklist(boolean on) {
    return new IdentityRules(limits, priority, weakness, blockedEverywhere, blockedByType, on,
        sharedAfter, limitsOn, fixedLinesWeak);
  }

  /** Whether this identifier's value is blocked: built-in junk or one of the user's patterns. */
  public boolean isBlocked(Identifier identifier) {
    String value = identifier.value();
    if (builtInBlocklist) {
      for (int i = 0; i < BUILT_IN_JUNK.size(); i++) {
        if (mayBeJunk(i, value) && BUILT_IN_JUNK.get(i).matcher(value).matches()) {
          return true;
        }
      }
    }
    for (int i = 0; i < blockedEverywhere.size(); i++) {
      if (blockedEverywhere.get(i).matcher(value).matches()) {
        return true;
      }
    }
    List<Pattern> ofType = blockedByType.isEmpty() ? null : blockedByType.get(identifier.type());
    if (ofType != null) {
      for (Pattern pattern : ofType) {
        if (pattern.matcher(value).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * After how many conflicts an identifier is marked shared; 0 turns shared detection off.
   *
   * @throws IllegalArgumentException if negative
   */
  public IdentityRules sharedAfter(int conflicts) {
    if (conflicts < 0) {
      throw new IllegalArgumentException("sharedAfter must not be negative, was " + conflicts);
    }
    return new IdentityRules(limits, priority, weakness, blockedEverywhere, blockedByType,
        builtInBlocklist, conflicts, limitsOn, fixedLinesWeak);
  }

  /** After how many conflicts an identifier is marked shared; 0 when detection is off. */
  public int sharedAfter() {
    return sharedAfter;
  }

  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    Map<String, Integer> limitsByName = new java.util.TreeMap<>();
    limits.forEach((type, max) -> limitsByName.put(type.name(), max));
    shown.put("limits", limitsOn ? limitsByName + " (others " + DEFAULT_LIMIT + ")" : "off");
    shown.put("priority", priority);
    Set<String> weak = new java.util.TreeSet<>();
    for (IdentifierType type : DEFAULT_PRIORITY) {
      if (isWeak(type)) {
        weak.add(type.name());
      }
    }
    weakness.forEach((type, isWeak) -> {
      if (isWeak) {
        weak.add(type.name());
      }
    });
    shown.put("weak", weak);
    shown.put("fixedLinesWeak", fixedLinesWeak);
    shown.put("builtInBlocklist", builtInBlocklist);
    shown.put("blocked", blockedEverywhere.size() + blockedByType.values().stream().mapToInt(List::size).sum());
    shown.put("sharedAfter", sharedAfter);
    return "IdentityRules" + shown;
  }
}
