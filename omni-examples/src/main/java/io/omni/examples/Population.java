package io.omni.examples;

import io.omni.cart.LineKey;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic population of a shop's customers with the ground truth of who owns which identifier,
 * and the month of events they leave in seven channels: web, app, pos, call-center, email, sms and
 * viber.
 *
 * <p>Each customer has one to three emails, usually a phone (sometimes two), one to three browser
 * cookies, often an app on their own phone, sometimes an account and a loyalty card. Households of
 * two to four share a family tablet (and its browser cookie); everyone who shops in a store uses
 * that store's kiosk. Some events carry junk (all-zero advertising ids, {@code undefined} cookies,
 * {@code test@test.com}), and some customers mistype their email.
 *
 * <p><b>The truth.</b> {@link #owner()} maps every identifier that belongs to one person to that
 * person. Shared devices (tablets, their cookies, kiosks) belong to nobody and junk is not in the
 * map: neither is scored. A mistyped email belongs to the person who typed it — a recall cost when
 * it can only be seen beside a cookie, since a weak cookie may not bring a new email into a known
 * profile — and the same typo typed by a call-center agent next to the phone joins correctly.
 *
 * <p><b>Shapes.</b> {@link Shape#CLASSIC} is the population above. {@link Shape#HOUSEHOLDS} is the
 * one of issue 16: 30 % of the customers live in households of two to four, every such household
 * shares a tablet and its cookie, a quarter of them also a landline (a Moscow fixed-line number)
 * that each member uses with a chance of one half when calling the call center (the call gives
 * the landline and the member's email; a member who orders by phone orders from it too); 25 store
 * kiosks; every customer has a mobile; half the members of a household also sign in in the
 * tablet's browser (its cookie beside their login); 40 % of the customers write to the shop on Telegram; and every browser cookie is signed
 * in on and every extra email given on the account page, so that the evidence joins nearly all a
 * customer owns; nobody mistypes an email (the classic shape measures that cost). A landline, like a
 * tablet, belongs to nobody.
 */
final class Population {
  /** Which population to generate. */
  enum Shape {
    /** Half the households of one, the rest of two to four sharing a tablet; no landlines. */
    CLASSIC,
    /** Issue 16's: 30 % of the customers in households, a quarter of those with a landline. */
    HOUSEHOLDS;

    /** Reads a shape by its name in any case ({@code classic}, {@code households}). */
    static Shape parse(String name) {
      for (Shape shape : values()) {
        if (shape.name().equalsIgnoreCase(name)) {
          return shape;
        }
      }
      throw new IllegalArgumentException("unknown shape '" + name + "'; the shapes are classic, households");
    }
  }

  static final IdentifierType TELEGRAM = IdentifierType.of("telegram");
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  static final Duration SPAN = Duration.ofDays(30);
  static final List<String> CHANNELS = List.of("web", "app", "pos", "call-center", "email", "sms", "viber");

  private static final String[] DOMAINS = {"mail.io", "inbox.ru", "corp.io", "post.net", "yandex.ru"};
  private static final String[] NAMES = {"ann", "boris", "chen", "dana", "emil", "fatima", "gleb", "hana", "ivan", "jo"};
  private static final List<Identifier> JUNK = List.of(
      Identifier.device("00000000-0000-0000-0000-000000000000"),
      Identifier.cookie("undefined"),
      Identifier.email("test@test.com"),
      Identifier.email("noreply@shop.io"),
      Identifier.account("null"));
  /** Order channels and their weights: most orders on the web, a few by replying to a message. */
  private static final String[] ORDER_CHANNELS = {"web", "app", "pos", "call-center", "viber", "email", "sms"};
  private static final int[] ORDER_WEIGHTS = {30, 20, 20, 12, 8, 5, 5};
  private static final int SKUS = 400;

  /** One customer as they really are. */
  static final class Person {
    final int id;
    final List<Identifier> emails = new ArrayList<>();
    final List<Identifier> phones = new ArrayList<>();
    final List<Identifier> cookies = new ArrayList<>();
    Identifier account;
    Identifier appDevice;
    Identifier loyaltyCard;
    Identifier tablet;
    Identifier tabletCookie;
    /** The household's landline, when this member calls from it. */
    Identifier landline;
    Identifier telegram;

    Person(int id) {
      this.id = id;
    }

    /** What the customer logs in with: their account if they have one, else their first email. */
    Identifier login() {
      return account != null ? account : emails.get(0);
    }
  }

  /**
   * One event a customer will leave: when, where, what, and with which identifiers.
   *
   * @param person the customer who left it, the truth the score is checked against
   */
  record Planned(Instant at, int person, String channel, EventType type, List<Identifier> identifiers,
      List<LineKey> lines, String order) {}

  private final SplittableRandom random;
  private final Shape shape;
  private final List<Person> people = new ArrayList<>();
  private final Map<Identifier, Integer> owner = new HashMap<>();
  private final List<Planned> events = new ArrayList<>();
  private final List<Identifier> kiosks = new ArrayList<>();
  private int orders;
  private int typos;
  private int junk;
  private int landlines;

  private Population(long seed, Shape shape) {
    this.random = new SplittableRandom(seed);
    this.shape = shape;
  }

  /** Generates {@code customers} customers of the classic shape and their events from {@code seed}. */
  static Population generate(int customers, long seed) {
    return generate(customers, seed, Shape.CLASSIC);
  }

  /** Generates {@code customers} customers of a shape and their events from {@code seed}. */
  static Population generate(int customers, long seed, Shape shape) {
    Population population = new Population(seed, shape);
    population.populate(customers);
    return population;
  }

  /** Households sharing a landline. */
  int landlines() {
    return landlines;
  }

  List<Person> people() {
    return people;
  }

  /** Who owns each identifier that belongs to one person. */
  Map<Identifier, Integer> owner() {
    return owner;
  }

  /** Every event, in time order. */
  List<Planned> events() {
    return events;
  }

  int typos() {
    return typos;
  }

  int junkEvents() {
    return junk;
  }

  int kiosks() {
    return kiosks.size();
  }

  private void populate(int customers) {
    int stores = shape == Shape.HOUSEHOLDS ? 25 : Math.max(3, customers / 2_000);
    for (int s = 0; s < stores; s++) {
      kiosks.add(Identifier.device("kiosk-store-" + s));
    }
    int household = 0;
    while (people.size() < customers) {
      int members = Math.min(customers - people.size(), householdSize());
      Identifier tablet = members > 1 ? Identifier.device("tablet-household-" + household) : null;
      Identifier tabletCookie = members > 1 ? Identifier.cookie("ck-tablet-" + household) : null;
      Identifier landline = null;
      if (shape == Shape.HOUSEHOLDS && members > 1 && chance(0.25)) {
        landline = Identifier.phone("+7495" + (1_000_000 + household)); // Moscow, a fixed line
        landlines++;
      }
      for (int m = 0; m < members; m++) {
        Person person = person(people.size());
        person.tablet = tablet;
        person.tabletCookie = tabletCookie;
        person.landline = landline != null && chance(0.5) ? landline : null;
        people.add(person);
        plan(person);
      }
      household++;
    }
    events.sort(Comparator.comparing(Planned::at));
  }

  /**
   * Classic: half the households are one person, the rest two to four sharing a tablet.
   * Households: one household in eight has two to four members, so that 30 % of the customers
   * live in one (3 × 1/8 over 1 + 2 × 1/8).
   */
  private int householdSize() {
    if (shape == Shape.HOUSEHOLDS) {
      return chance(0.125) ? 2 + random.nextInt(3) : 1;
    }
    return random.nextBoolean() ? 1 : 2 + random.nextInt(3);
  }

  private Person person(int id) {
    Person p = new Person(id);
    String name = NAMES[random.nextInt(NAMES.length)];
    int emails = 1 + (chance(0.35) ? 1 : 0) + (chance(0.10) ? 1 : 0);
    for (int k = 0; k < emails; k++) {
      p.emails.add(own(Identifier.email(name + "." + id + (k == 0 ? "" : "." + k) + "@" + DOMAINS[(id + k) % DOMAINS.length]), id));
    }
    if (chance(shape == Shape.HOUSEHOLDS ? 1.0 : 0.92)) {
      p.phones.add(own(Identifier.phone(phoneNumber(id, 0)), id));
      if (chance(0.2)) {
        p.phones.add(own(Identifier.phone(phoneNumber(id, 1)), id));
      }
    }
    int cookies = 1 + random.nextInt(3);
    for (int k = 0; k < cookies; k++) {
      p.cookies.add(own(Identifier.cookie("ck-" + id + "-" + k), id));
    }
    if (chance(0.6)) {
      p.account = own(Identifier.account("acc-" + id), id);
    }
    if (chance(0.7)) {
      p.appDevice = own(Identifier.device("idfa-" + id), id);
    }
    if (chance(0.5)) {
      p.loyaltyCard = own(Identifier.loyaltyCard("LC" + (1_000_000 + id)), id);
    }
    if (shape == Shape.HOUSEHOLDS && chance(0.4)) {
      p.telegram = own(Identifier.of(TELEGRAM, "@" + name + "_" + id), id);
    }
    return p;
  }

  /** Russian mobile numbers, unique per person and slot (up to four million customers). */
  private static String phoneNumber(int person, int slot) {
    return "+7910" + (1_000_000 + person * 2 + slot);
  }

  /**
   * How often a cookie is signed in on and an extra email given on the account page: 85 % in the
   * classic shape; always in the households shape, whose evidence joins nearly everything a
   * customer owns, so that what it loses is what the guards cost.
   */
  private double signedIn() {
    return shape == Shape.HOUSEHOLDS ? 1.0 : 0.85;
  }

  private Identifier own(Identifier identifier, int person) {
    owner.put(identifier, person);
    return identifier;
  }

  // ------------------------------------------------------------------ a month of one customer

  private void plan(Person p) {
    Identifier email = p.emails.get(0);
    // The web: anonymous browsing and a cart on each cookie; most cookies get signed in on.
    for (Identifier cookie : p.cookies) {
      add(p, "web", EventType.PAGE_VIEW, List.of(cookie));
      if (chance(0.5)) {
        add(p, "web", EventType.CART_ADD, List.of(cookie), skus(1 + random.nextInt(2)));
      }
      if (chance(signedIn())) {
        add(p, "web", EventType.LOGIN, List.of(cookie, p.login()));
      }
    }
    if (p.account != null) {
      add(p, "web", EventType.LOGIN, List.of(p.account, email));
    }
    // Most extra emails are given on the account page; the rest only ever open newsletters.
    for (Identifier extra : p.emails.subList(1, p.emails.size())) {
      if (chance(signedIn())) {
        add(p, "web", EventType.PAGE_VIEW, List.of(p.login(), extra));
      }
    }
    // The app on their own phone.
    if (p.appDevice != null) {
      List<Identifier> login = new ArrayList<>(List.of(p.appDevice, p.login()));
      if (!p.phones.isEmpty() && chance(0.5)) {
        login.add(p.phones.get(0));
      }
      add(p, "app", EventType.LOGIN, login);
      if (chance(0.4)) {
        add(p, "app", EventType.CART_ADD, List.of(p.appDevice), skus(1));
      }
    }
    // The family tablet: each member signs in with their own login; browsing on it is anonymous.
    if (p.tablet != null) {
      add(p, "app", EventType.LOGIN, List.of(p.tablet, p.login()));
      if (chance(0.5)) {
        add(p, "web", EventType.PAGE_VIEW, List.of(p.tabletCookie, p.tablet));
      }
      // in the households shape half the members also sign in in the tablet's browser
      if (shape == Shape.HOUSEHOLDS && chance(0.5)) {
        add(p, "web", EventType.LOGIN, List.of(p.tabletCookie, p.login()));
      }
    }
    // The call center knows them by phone and asks for the email.
    for (Identifier phone : p.phones) {
      add(p, "call-center", EventType.CALL, List.of(phone, email));
    }
    // Or from the household's landline, giving their email.
    if (p.landline != null) {
      add(p, "call-center", EventType.CALL, List.of(p.landline, email));
    }
    // Telegram: the bot asks for the phone (or the email) once; then they chat.
    if (p.telegram != null) {
      add(p, "telegram", EventType.LOGIN, List.of(p.telegram, p.phones.isEmpty() ? email : p.phones.get(0)));
      add(p, "telegram", EventType.CHAT_MESSAGE, List.of(p.telegram));
    }
    // The loyalty card was issued at a till against the phone; store visits use the kiosk.
    if (p.loyaltyCard != null) {
      add(p, "pos", EventType.LOGIN, p.phones.isEmpty() ? List.of(p.loyaltyCard, email) : List.of(p.loyaltyCard, p.phones.get(0)));
      Identifier kiosk = kiosks.get(random.nextInt(kiosks.size()));
      for (int visit = 0; visit < 2; visit++) {
        add(p, "pos", EventType.PAGE_VIEW, List.of(kiosk, p.loyaltyCard));
      }
    }
    // Messages they react to.
    for (Identifier e : p.emails) {
      add(p, "email", EventType.MESSAGE_OPENED, List.of(e));
    }
    if (!p.phones.isEmpty()) {
      add(p, chance(0.5) ? "sms" : "viber", EventType.CHAT_MESSAGE, List.of(p.phones.get(0)));
    }
    typo(p);
    int orderCount = random.nextInt(4);
    for (int o = 0; o < orderCount; o++) {
      order(p);
    }
  }

  /**
   * A mistyped email: typed by the customer into a web form (beside a cookie only, so it stays
   * apart) or by a call-center agent beside the phone (so it joins).
   */
  private void typo(Person p) {
    if (shape == Shape.HOUSEHOLDS || !chance(0.05)) {
      return;
    }
    String right = p.emails.get(0).value();
    int domain = right.indexOf('@') + 1;
    // Two letters of the domain swapped: ann.7@inbox.ru becomes ann.7@ibnox.ru.
    String typed = right.substring(0, domain) + right.charAt(domain + 1) + right.charAt(domain) + right.substring(domain + 2);
    Identifier wrong = own(Identifier.email(typed), p.id);
    typos++;
    if (!p.phones.isEmpty() && chance(0.5)) {
      add(p, "call-center", EventType.CALL, List.of(p.phones.get(0), wrong));
    } else {
      add(p, "web", EventType.PAGE_VIEW, List.of(p.cookies.get(0), wrong));
    }
  }

  private void order(Person p) {
    String channel = weighted(ORDER_CHANNELS, ORDER_WEIGHTS);
    List<Identifier> who = switch (channel) {
      case "web" -> List.of(p.cookies.get(random.nextInt(p.cookies.size())), p.login());
      case "app" -> p.appDevice != null ? List.of(p.appDevice, p.login()) : List.of(p.login());
      case "pos" -> p.loyaltyCard != null ? List.of(p.loyaltyCard) : List.of(p.emails.get(0));
      case "email" -> List.of(p.emails.get(random.nextInt(p.emails.size())));
      case "call-center" -> p.landline != null ? List.of(p.landline)
          : p.phones.isEmpty() ? List.of(p.emails.get(0)) : List.of(p.phones.get(0));
      default -> p.phones.isEmpty() ? List.of(p.emails.get(0)) : List.of(p.phones.get(0));
    };
    orders++;
    add(p, channel, EventType.ORDER, who, skus(1 + random.nextInt(3)), "o-" + orders);
  }

  private void add(Person p, String channel, EventType type, List<Identifier> who) {
    add(p, channel, type, who, List.of(), null);
  }

  private void add(Person p, String channel, EventType type, List<Identifier> who, List<LineKey> lines) {
    add(p, channel, type, who, lines, null);
  }

  /** Plans one event at a random time of the month; 3% of events pick up a junk identifier. */
  private void add(Person p, String channel, EventType type, List<Identifier> who, List<LineKey> lines, String order) {
    List<Identifier> identifiers = who;
    if (chance(0.03)) {
      identifiers = new ArrayList<>(who);
      identifiers.add(JUNK.get(random.nextInt(JUNK.size())));
      junk++;
    }
    Instant at = START.plusSeconds(random.nextLong(SPAN.toSeconds()));
    events.add(new Planned(at, p.id, channel, type, List.copyOf(identifiers), lines, order));
  }

  private List<LineKey> skus(int n) {
    LineKey[] keys = new LineKey[n];
    for (int i = 0; i < n; i++) {
      // A few products sell far more than the rest, as in any shop.
      int sku = (int) Math.floor(SKUS * Math.pow(random.nextDouble(), 3));
      keys[i] = LineKey.of("SKU-" + sku);
    }
    List<LineKey> distinct = new ArrayList<>(Arrays.stream(keys).distinct().toList());
    Collections.sort(distinct);
    return distinct;
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private String weighted(String[] values, int[] weights) {
    int total = Arrays.stream(weights).sum();
    int pick = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }
}
