package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.OmniException;
import io.omni.UnknownCampaignRunException;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartLine;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.channel.MessageSender;
import io.omni.identity.Conflict;
import io.omni.identity.Correction;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;
import io.omni.identity.Profile;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every write of the API other than ingest (which {@link IngestFaultContract} covers) lands whole or
 * not at all: for each write, a customer's history is set up, the write is run once with the
 * connection dropped at its k-th round trip, for every k until it makes fewer, and, when it threw
 * (it must throw an {@link OmniException}: a storage failure is typed), run again as a caller
 * would; then the same with the acknowledgement of its k-th commit lost (the commit stands, the
 * write throws, and its retry must recognise what already committed). Each customer's end state must be that of a customer whose write ran once without a
 * fault: what her identifiers resolve to, her profiles (identifiers, channels, created, merged
 * ids, conflicts, shared marks), the explanations joining her identifiers, her corrections, the
 * change feed since her history began, her journeys, orders, carts, campaign runs, the copies of
 * each run's messages the gateway got, and her consent.
 *
 * <p>Each customer is her own names (every id holds her tag) and her own time: her history starts
 * {@value #DAYS_APART} days after the last one's, so that the writes that act on the whole store
 * ({@code advance}, {@code prune}, {@code rebuild}) find every earlier customer settled. States are
 * compared with her names and times taken out; profile ids, run ids and correction ids are named by
 * the order in which the state first shows them.
 *
 * <p>Differences that are by design, and how the comparison allows for them:
 *
 * <ul>
 *   <li>An {@code advance} that failed after claiming a message leaves the claim to its lease: the
 *       message goes out at the first {@code advance} after the lease ends, not at the caller's
 *       immediate retry (see {@code Campaigns#advance}). Campaign writes are therefore compared
 *       after a scheduler's next tick past the lease, which the reference run makes too, and the
 *       times from the write's {@code now} to the lease's end (a message's, its step's start, its
 *       touchpoint's) show as one.
 *   <li>A run's promo code is drawn at random, so it is not compared.
 *   <li>{@code prune} deletes in chunks, each its own transaction: a retry counts only what it
 *       pruned itself, so its {@link io.omni.Pruned} is not compared; what remains is.
 *   <li>A link without an event id gets a generated one, so its retry is a second event with
 *       evidence of its own: the links here carry ids, as a caller that retries must.
 *   <li>The cart lines of a split are moved after the split commits, with three tries; a failure
 *       that outlasts them leaves the lines with the profile that kept the id (logged). One dropped
 *       round trip, as here, never does.
 * </ul>
 *
 * <p>The customers share one database per class, except a rebuild's, whose round trips grow with
 * the graph: it gets a database of its own and erases each customer once compared.
 *
 * <p>Writes not covered because the API has none: a public "mark shared" (an identifier becomes
 * shared through links, which {@link
 * #a_link_that_marks_an_identifier_shared_and_splits_its_profile_lands_whole} drives), and a
 * campaign "stop" besides {@code cancel}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one database for the class: customers keep apart by name and time
abstract class WriteFaultContract {
  static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  static final long DAYS_APART = 400;
  static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
  static final Duration LEASE = ofMinutes(5);
  static final LineKey SKU1 = LineKey.of("SKU-1");
  static final LineKey SKU2 = LineKey.of("SKU-2");
  static final LineKey SKU3 = LineKey.of("SKU-3");

  private TestDatabase db;
  private FailingDataSource network;
  final TestClock clock = new TestClock();
  final Gateway gateway = new Gateway();
  private int customers;

  abstract Dialect dialect();

  @BeforeAll
  void database() {
    db = TestDatabase.create(dialect());
    network = new FailingDataSource(db.pool(4));
  }

  @AfterAll
  void dropDatabase() throws java.sql.SQLException {
    if (db != null) {
      db.close();
    }
  }

  /** One customer: every name holds her tag, every time counts from her base. */
  record Customer(int n, String tag, Instant base) {
    Identifier email(String name) {
      return Identifier.email(tag + "-" + name + "@example.com");
    }

    Identifier phone(int i) {
      return Identifier.phone(String.format("+7916%05d%02d", n, i));
    }

    Identifier cookie(String name) {
      return Identifier.cookie(tag + "-" + name);
    }

    Identifier account(String name) {
      return Identifier.account(tag + "-" + name);
    }

    Identifier device(String name) {
      return Identifier.device(tag + "-" + name);
    }

    String id(String name) {
      return tag + "-" + name;
    }

    Instant at(Duration after) {
      return base.plus(after);
    }
  }

  /** What the gateway got: copies of each message, by its idempotency key. */
  static final class Gateway implements MessageSender {
    final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();

    @Override
    public void send(Message m) {
      copies.computeIfAbsent(m.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    }
  }

  /**
   * One write under test.
   *
   * @param <T> what the history hands the write (a correction's id, a token, …)
   */
  interface Write<T> {
    /** The customer's history before the write, done without faults; the clock stands an hour past her base. */
    T history(Omni omni, Customer c);

    /** The write, as the caller makes it (and makes it again after it threw). */
    void write(Omni omni, Customer c, T given);

    /** The identifiers whose resolution, profiles, explanations and corrections the state shows. */
    List<Identifier> identifiers(Customer c);

    /** After the write (and a retry), unharmed, before the state is read: a scheduler's next tick. */
    default void then(Omni omni, Customer c) {}

    /**
     * For an {@code advance}: its {@code now}, after the customer's base. A message it claimed but
     * failed to send goes out at the next tick past the lease (by design), so times from this to
     * the lease's end show as {@code TICK}.
     */
    default Duration advancedAt() {
      return null;
    }

    /**
     * Whether the write acts on every customer's state ({@code advance}, {@code prune}): the
     * customers before are then moved on first, so that their leftovers are not in its round trips.
     */
    default boolean acrossCustomers() {
      return advancedAt() != null;
    }

    /** The fewest round trips the write makes: each of them is dropped once. */
    default int roundTrips() {
      return 3;
    }

    /** What else the state shows, read from the store. */
    default List<String> more(Omni omni, Customer c) {
      return List.of();
    }
  }

  Omni.Builder builder(FailingDataSource source) {
    return Omni.builder().store(JdbcStore.builder(source.dataSource).cacheSize(0).build()).clock(clock)
        .discoverProviders(false).sender("email", gateway).sender("sms", gateway).deliveryLease(LEASE)
        .handoffKey(new byte[32]).abandonedCarts(AbandonedCartPolicy.after(ofHours(2), EMAIL_THEN_SMS, "Still there?"))
        .journeyRetention(ofDays(60));
  }

  /**
   * Runs the write for one customer with no fault, then for a new customer per k with the k-th
   * round trip of the write dropped, for every k, and compares each end state with the first.
   */
  <T> void assertEachRoundTripDroppedEndsAsUninterrupted(Write<T> write) {
    assertEachRoundTripDroppedEndsAsUninterrupted(write, network, false);
  }

  /**
   * As {@link #assertEachRoundTripDroppedEndsAsUninterrupted(Write)}, for a write that changes the
   * rules and re-resolves the whole graph, whose round trips grow with it: on a database of its
   * own, each customer with an Omni of her own, and erased once compared.
   */
  <T> void assertEachRoundTripOfARebuildDroppedEndsAsUninterrupted(Write<T> write) throws java.sql.SQLException {
    try (TestDatabase own = TestDatabase.create(dialect())) {
      assertEachRoundTripDroppedEndsAsUninterrupted(write, new FailingDataSource(own.pool(2)), true);
    }
  }

  private <T> void assertEachRoundTripDroppedEndsAsUninterrupted(Write<T> write, FailingDataSource source,
      boolean fresh) {
    Omni shared = builder(source).build();
    Omni[] omni = {shared};
    Customer[] c = {null};
    long[] cursor = {0};
    List<T> given = new ArrayList<>(List.of());
    Runnable history = () -> {
      c[0] = customer();
      omni[0] = fresh ? builder(source).build() : shared;
      clock.set(c[0].at(ofHours(1))); // after her history's events
      for (int tick = 0; write.acrossCustomers() && tick < 2; tick++) {
        omni[0].campaigns().advance(c[0].base()); // the customers before: their runs move on, their carts go unwatched
      }
      cursor[0] = lastPosition(omni[0], cursor[0]);
      given.clear();
      given.add(write.history(omni[0], c[0]));
    };
    history.run();
    write.write(omni[0], c[0], given.get(0));
    write.then(omni[0], c[0]);
    List<String> reference = state(omni[0], c[0], cursor[0], write);
    if (fresh) {
      erase(omni[0], write.identifiers(c[0]));
    }
    for (FailingDataSource.Fault fault : FailingDataSource.Fault.values()) {
      int interrupted = source.interruptEach(fault, k -> history.run(), k -> write.write(omni[0], c[0], given.get(0)),
          (k, failed, thrown) -> {
            if (thrown != null) {
              assertThat(thrown).as("what the write threw at %s %d", fault.what(), k).isInstanceOf(OmniException.class);
              write.write(omni[0], c[0], given.get(0)); // the caller's retry
            }
            write.then(omni[0], c[0]);
            assertThat(state(omni[0], c[0], cursor[0], write))
                .as("%s %d failed%s", fault.what(), k, thrown == null ? " (nothing thrown)" : ", then retried after " + thrown)
                .isEqualTo(reference);
            if (fresh) {
              erase(omni[0], write.identifiers(c[0]));
            }
          });
      assertThat(interrupted).as("%ss of the write", fault.what())
          .isGreaterThanOrEqualTo(fault == FailingDataSource.Fault.DROP ? write.roundTrips() : 1);
    }
  }

  /** Forgets the customer's identifiers, so that a rebuild of the next re-resolves her graph alone. */
  private static void erase(Omni omni, List<Identifier> identifiers) {
    for (Identifier id : identifiers) {
      omni.identities().forget(id);
    }
  }

  private Customer customer() {
    int n = ++customers;
    return new Customer(n, "w" + n, T0.plus(ofDays(DAYS_APART * n)));
  }

  /** The position of the feed's last entry, read on from {@code from}. */
  private static long lastPosition(Omni omni, long from) {
    long cursor = from;
    for (List<ProfileChange> page = omni.identities().changes(cursor, 10_000); !page.isEmpty();
        page = omni.identities().changes(cursor, 10_000)) {
      cursor = page.get(page.size() - 1).position();
    }
    return cursor;
  }

  // ------------------------------------------------------------------ the state of one customer

  /** Names in a state: profiles, runs and corrections by first sight, the customer's tag and times out. */
  private static final class Names {
    private static final Pattern RUN = Pattern.compile("run-[A-Za-z0-9]{12}");
    private static final Pattern CORRECTION = Pattern.compile("correction[-:](\\d+)"); // a cause, a join's channel
    private static final Pattern PROMO = Pattern.compile("[A-Z2-9]{4}-[A-Z2-9]{4}");
    final Customer c;
    final Map<ProfileId, String> profiles = new HashMap<>();
    final Map<String, String> runs = new HashMap<>();
    final Map<String, String> corrections = new HashMap<>();

    Instant tick;

    Names(Customer c) {
      this.c = c;
    }

    String profile(ProfileId p) {
      return p == null ? "-" : profiles.computeIfAbsent(p, k -> "P" + profiles.size());
    }

    String time(Instant t) {
      if (t != null && tick != null && !t.isBefore(tick) && !t.isAfter(tick.plus(LEASE).plusSeconds(1))) {
        return "TICK";
      }
      return t == null ? "-" : Duration.between(c.base(), t).toString();
    }

    String text(Object o) {
      String s = String.valueOf(o).replace(c.tag(), "#");
      s = PROMO.matcher(s).replaceAll("PROMO"); // drawn at random
      s = replace(RUN, s, m -> runs.computeIfAbsent(m.group(), k -> "R" + runs.size()));
      s = replace(CORRECTION, s, m -> "correction-" + corrections.computeIfAbsent(m.group(1), k -> "C" + corrections.size()));
      return s.replaceAll("\\+7916" + String.format("%05d", c.n()), "+PHONE");
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> by) {
      Matcher m = p.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(by.apply(m)));
      }
      m.appendTail(out);
      return out.toString();
    }

    String ids(Set<Identifier> ids) {
      return new TreeSet<>(ids.stream().map(this::text).toList()).toString();
    }

    String profiles(Set<ProfileId> ids) {
      return ids.stream().sorted(Comparator.comparingLong(ProfileId::number)).map(this::profile).toList().toString();
    }
  }

  /** The customer's state, one line per fact, with her names and times taken out. */
  private List<String> state(Omni omni, Customer c, long cursor, Write<?> write) {
    Names names = new Names(c);
    names.tick = write.advancedAt() == null ? null : c.at(write.advancedAt());
    List<Identifier> identifiers = write.identifiers(c);
    List<String> out = new ArrayList<>();
    Set<ProfileId> live = new LinkedHashSet<>();
    for (Identifier id : identifiers) {
      Optional<ProfileId> p = omni.identities().resolve(id);
      out.add("resolve " + names.text(id) + " -> " + p.map(names::profile).orElse("none"));
      p.ifPresent(live::add);
    }
    for (ProfileId p : live) {
      String who = names.profile(p);
      Profile profile = omni.identities().profile(p);
      out.add(who + " " + names.ids(profile.identifiers()) + " channels " + new TreeSet<>(profile.channels())
          + " created " + names.time(profile.created()) + " merged " + names.profiles(profile.mergedFrom())
          + " shared " + names.ids(profile.shared()));
      for (Conflict conflict : profile.conflicts()) {
        out.add(who + " conflict " + names.text(conflict.identifier()) + " " + conflict.kind() + " "
            + names.text(conflict.eventId()) + " " + names.time(conflict.at()));
      }
      for (Touchpoint t : omni.journeys().of(p)) {
        out.add(who + " touchpoint " + names.text(t.eventId()) + " " + t.channel() + " " + t.type() + " "
            + names.time(t.at()) + " " + names.text(new java.util.TreeMap<>(t.attributes())));
      }
      for (Order o : omni.journeys().orders(p)) {
        out.add(who + " order " + names.text(o.id()) + " " + o.channel() + " " + names.time(o.at()) + " " + o.lines());
      }
      CartState cart = omni.carts().get(p);
      List<String> lines = new ArrayList<>();
      for (CartLine line : cart.lines()) {
        lines.add(line.key() + "=" + line.quantity() + "@" + line.channel());
      }
      out.add(who + " cart " + names.text(lines) + " " + omni.carts().status(p));
      for (CampaignRun run : omni.campaigns().runs(p)) {
        out.add(who + " " + run(names, run));
      }
      out.add(who + " consent email " + omni.hasConsent(p, "email") + " sms " + omni.hasConsent(p, "sms"));
    }
    for (int i = 0; i + 1 < identifiers.size(); i++) {
      Optional<Explanation> why = omni.identities().explain(identifiers.get(i), identifiers.get(i + 1));
      out.add("explain " + i + " " + why.map(e -> explained(names, e)).orElse("none"));
    }
    Set<Long> seen = new java.util.HashSet<>();
    for (Identifier id : identifiers) {
      for (Correction k : omni.identities().corrections(id)) {
        if (seen.add(k.id())) {
          out.add("correction " + names.text(k.cause()) + " " + k.kind() + " " + names.text(k.a()) + " "
              + names.text(k.b()) + " " + k.author() + " " + k.reason() + " " + names.time(k.at()) + " withdrawn "
              + k.withdrawnBy() + " " + names.time(k.withdrawnAt()));
        }
      }
    }
    for (ProfileChange change : omni.identities().changes(cursor, 10_000)) {
      out.add("feed " + change.kind() + " " + names.profile(change.profile()) + " " + names.profile(change.other())
          + " " + names.text(change.cause()) + " " + names.time(change.at()));
    }
    for (String line : write.more(omni, c)) {
      out.add(names.text(line));
    }
    return out;
  }

  private String run(Names names, CampaignRun run) {
    List<String> messages = new ArrayList<>();
    for (Message m : run.messages()) {
      messages.add(m.step() + ":" + m.channel() + ">" + names.text(m.to()) + "@" + names.time(m.at()));
    }
    List<String> copies = new ArrayList<>();
    for (int s = 0; s < run.steps().size(); s++) {
      AtomicInteger sent = gateway.copies.get(run.id() + ":" + s);
      copies.add(s + "x" + (sent == null ? 0 : sent.get()));
    }
    return "run " + names.text(run.id()) + " " + run.state() + " step " + run.step() + " sent " + run.stepSent()
        + " started " + names.time(run.startedAt()) + " stepStarted " + names.time(run.stepStartedAt())
        + " cart " + run.cartChange().map(names::time).orElse("-") + " via " + run.convertedVia().orElse("-")
        + " ended " + run.endedAt().map(names::time).orElse("-") + " messages " + messages + " gateway " + copies
        + " failures " + run.failures().size();
  }

  private static String explained(Names names, Explanation e) {
    List<String> steps = new ArrayList<>();
    for (Explanation.Step s : e.steps()) {
      steps.add(names.text(s.eventId()) + " " + s.channel() + " " + names.time(s.at()) + " "
          + names.text(s.identifiers()));
    }
    List<String> corrections = new ArrayList<>();
    for (Correction k : e.corrections()) {
      corrections.add(names.text(k.cause()));
    }
    return names.text(steps) + " corrections " + corrections + " separated " + e.separated();
  }

  // ------------------------------------------------------------------ histories

  /** Ingests an event of the customer at {@code after} her base. */
  static void ingest(Omni omni, Customer c, String id, String channel, Duration after, EventType type,
      List<Identifier> ids, LineKey... lines) {
    ChannelEvent.Builder event = ChannelEvent.builder(channel).id(c.id(id)).at(c.at(after)).identifiers(ids).type(type);
    for (LineKey line : lines) {
      event.line(line, 1);
    }
    if (type == EventType.ORDER) {
      event.attribute("order", c.id("o-" + id));
    }
    omni.ingest(event.build());
  }

  /**
   * Ann's history: an anonymous cookie that filled a cart, her email that did too, a login joining
   * them, her phone and loyalty card seen with her email in the app and at the till, a campaign
   * run whose email went out.
   */
  static ProfileId ann(Omni omni, Customer c) {
    ingest(omni, c, "e1", "web", ofMinutes(1), EventType.CART_ADD, List.of(c.cookie("anon")), SKU1);
    ingest(omni, c, "e2", "app", ofMinutes(2), EventType.CART_ADD, List.of(c.email("ann")), SKU2);
    ingest(omni, c, "e3", "web", ofMinutes(3), EventType.LOGIN, List.of(c.cookie("anon"), c.email("ann")));
    ingest(omni, c, "e4", "app", ofMinutes(4), EventType.PAGE_VIEW, List.of(c.email("ann"), c.phone(1)));
    ingest(omni, c, "e5", "pos", ofMinutes(5), EventType.CART_ADD, List.of(c.phone(1), c.account("card")), SKU3);
    return omni.identities().resolve(c.email("ann")).orElseThrow();
  }

  static List<Identifier> annsIdentifiers(Customer c) {
    return List.of(c.cookie("anon"), c.email("ann"), c.phone(1), c.account("card"));
  }

  /** Ann's history, and a campaign whose email went out to her. */
  static ProfileId annMessaged(Omni omni, Customer c) {
    ProfileId ann = ann(omni, c);
    omni.campaigns().start(EMAIL_THEN_SMS, ann, "Spring sale");
    omni.campaigns().advance(c.at(ofHours(1)));
    return ann;
  }

  // ------------------------------------------------------------------ the writes: identity

  /**
   * A forget whose graph write committed but whose erasure elsewhere failed is retried as any: the
   * retry finds the identifier gone ({@code forget} answers false), finishes the erasure, and
   * records nothing twice.
   */
  @Test
  void a_forget_that_splits_a_profile_lands_whole() {
    AtomicInteger foundGone = new AtomicInteger();
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        return annMessaged(omni, c);
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        if (!omni.identities().forget(c.email("ann"))) {
          foundGone.incrementAndGet();
        }
      }

      public List<Identifier> identifiers(Customer c) {
        return annsIdentifiers(c);
      }

      public int roundTrips() {
        return 20;
      }
    });
    assertThat(foundGone).as("retries that found the identifier forgotten").hasPositiveValue();
  }

  @Test
  void a_separation_that_splits_a_profile_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        return ann(omni, c);
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.identities().separate(c.email("ann"), c.phone(1), "agent-1", "two people");
      }

      public List<Identifier> identifiers(Customer c) {
        return annsIdentifiers(c);
      }
    });
  }

  @Test
  void a_join_that_merges_two_profiles_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ann(omni, c);
        ingest(omni, c, "b1", "app", ofMinutes(6), EventType.CART_ADD, List.of(c.email("work")), SKU1);
        ingest(omni, c, "b2", "web", ofMinutes(7), EventType.ORDER, List.of(c.email("work")), SKU2);
        return null;
      }

      public void write(Omni omni, Customer c, ProfileId nothing) {
        omni.identities().join(c.email("ann"), c.email("work"), "agent-1", "same person");
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.cookie("anon"), c.email("ann"), c.phone(1), c.email("work"));
      }
    });
  }

  @Test
  void a_withdrawn_separation_that_merges_again_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<Long>() {
      public Long history(Omni omni, Customer c) {
        ann(omni, c);
        long id = omni.identities().separate(c.email("ann"), c.phone(1), "agent-1", "two people").id();
        clock.advance(ofMinutes(1)); // withdrawn later: the fold of her cart comes after the split's tombstones
        return id;
      }

      public void write(Omni omni, Customer c, Long id) {
        omni.identities().withdraw(id, "agent-2");
      }

      public List<Identifier> identifiers(Customer c) {
        return annsIdentifiers(c);
      }
    });
  }

  @Test
  void a_withdrawn_join_that_splits_again_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<Long>() {
      public Long history(Omni omni, Customer c) {
        ann(omni, c);
        ingest(omni, c, "b1", "app", ofMinutes(6), EventType.CART_ADD, List.of(c.email("work")), LineKey.of("SKU-4"));
        long id = omni.identities().join(c.email("ann"), c.email("work"), "agent-1", "same person").id();
        clock.advance(ofMinutes(1)); // withdrawn later than joined
        return id;
      }

      public void write(Omni omni, Customer c, Long id) {
        omni.identities().withdraw(id, "agent-2");
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.cookie("anon"), c.email("ann"), c.phone(1), c.email("work"));
      }
    });
  }

  @Test
  void a_rebuild_under_stricter_rules_that_splits_a_profile_lands_whole() throws Exception {
    assertEachRoundTripOfARebuildDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ProfileId ann = ann(omni, c);
        ingest(omni, c, "b1", "app", ofMinutes(6), EventType.CART_ADD, List.of(c.email("ann"), c.email("work")), SKU1);
        return ann;
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.identities().rebuild(IdentityRules.defaults().limit(IdentifierType.EMAIL, 1));
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.cookie("anon"), c.email("ann"), c.phone(1), c.account("card"), c.email("work"));
      }
    });
  }

  @Test
  void a_link_that_marks_an_identifier_shared_and_splits_its_profile_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ingest(omni, c, "k1", "pos", ofMinutes(1), EventType.CART_ADD, List.of(c.device("kiosk"), c.account("ann")), SKU1);
        ingest(omni, c, "k2", "pos", ofMinutes(2), EventType.CART_ADD, List.of(c.device("kiosk"), c.cookie("anon")), SKU2);
        for (int i = 0; i < 2; i++) {
          omni.identities().link(c.id("s" + i), "pos", c.at(ofMinutes(3 + i)), List.of(c.device("kiosk"),
              c.account("stranger-" + i)));
        }
        return null;
      }

      public void write(Omni omni, Customer c, ProfileId nothing) {
        omni.identities().link(c.id("s2"), "pos", c.at(ofMinutes(6)), List.of(c.device("kiosk"), c.account("stranger-2")));
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.account("ann"), c.device("kiosk"), c.cookie("anon"), c.account("stranger-2"));
      }
    });
  }

  @Test
  void a_login_linked_through_the_identity_api_merges_carts_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ingest(omni, c, "e1", "web", ofMinutes(1), EventType.CART_ADD, List.of(c.cookie("anon")), SKU1, SKU2);
        ingest(omni, c, "e2", "app", ofMinutes(2), EventType.CART_ADD, List.of(c.email("ann")), SKU3);
        omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(c.email("ann")).orElseThrow(), "Sale");
        return null;
      }

      public void write(Omni omni, Customer c, ProfileId nothing) {
        omni.identities().link(c.id("login"), "web", c.at(ofMinutes(3)), List.of(c.cookie("anon"), c.email("ann")));
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.cookie("anon"), c.email("ann"));
      }
    });
  }

  /**
   * A back-fill batch ({@code linkAll}) whose two links merge three of Ann's profiles into one: her
   * anonymous cart and her own (a login), then her phone's profile with its cart, order and campaign
   * run (a till). The carts hold the same line at different quantities, so the fold of each merge
   * shows its own link's channel: a retry must carry each merge as that link made it.
   */
  @Test
  void a_batch_of_links_that_merges_profiles_carries_carts_journeys_and_runs_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ingest(omni, c, "e1", "web", ofMinutes(1), EventType.CART_ADD, List.of(c.cookie("anon")), SKU1);
        ingest(omni, c, "e2", "app", ofMinutes(2), EventType.CART_ADD, List.of(c.email("ann")), SKU1, SKU1, SKU2);
        ingest(omni, c, "e3", "pos", ofMinutes(3), EventType.CART_ADD, List.of(c.phone(1)), SKU1, SKU1, SKU1, SKU3);
        ingest(omni, c, "e4", "pos", ofMinutes(4), EventType.ORDER, List.of(c.phone(1)), SKU3);
        omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(c.phone(1)).orElseThrow(), "Sale");
        return null;
      }

      public void write(Omni omni, Customer c, ProfileId nothing) {
        omni.identities().linkAll(List.of(
            new io.omni.identity.Link(c.id("login"), "web", c.at(ofMinutes(10)), List.of(c.cookie("anon"), c.email("ann"))),
            new io.omni.identity.Link(c.id("till"), "pos", c.at(ofMinutes(11)), List.of(c.email("ann"), c.phone(1)))));
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.cookie("anon"), c.email("ann"), c.phone(1));
      }
    });
  }

  @Test
  void a_consent_refused_through_the_api_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        return ann(omni, c);
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.consent(ann, "sms", false);
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  // ------------------------------------------------------------------ the writes: carts

  @Test
  void a_checkout_through_the_cart_api_becomes_one_order_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ProfileId ann = ann(omni, c);
        omni.campaigns().start(EMAIL_THEN_SMS, ann, "Sale");
        return ann;
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.carts().checkout(ann, "call-center", c.id("order"));
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  @Test
  void a_cart_handed_off_and_redeemed_at_the_till_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<String>() {
      public String history(Omni omni, Customer c) {
        return omni.carts().handoff(ann(omni, c), Duration.ofMinutes(5));
      }

      public void write(Omni omni, Customer c, String token) {
        omni.carts().redeem(token, "pos");
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  @Test
  void an_offline_replica_synced_through_the_cart_api_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<CartState>() {
      public CartState history(Omni omni, Customer c) {
        ProfileId ann = ann(omni, c);
        CartState seen = omni.carts().get(ann);
        clock.advance(ofMinutes(10));
        Omni pos = Omni.builder().clock(clock).replicaId("pos-7").discoverProviders(false).build();
        ProfileId there = pos.identities().link("pos", c.email("ann"));
        pos.carts().sync(there, seen);
        pos.carts().remove(there, "pos", SKU1);
        pos.carts().add(there, "pos", LineKey.of("SKU-4"), 2);
        return pos.carts().get(there);
      }

      public void write(Omni omni, Customer c, CartState remote) {
        omni.carts().sync(c.email("ann"), remote);
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  // ------------------------------------------------------------------ the writes: campaigns

  /** A scheduler's next tick past the lease. */
  static void nextTicks(Omni omni, Customer c, Duration at) {
    omni.campaigns().advance(c.at(at).plus(LEASE).plusSeconds(1));
  }

  @Test
  void an_advance_that_starts_an_abandoned_cart_reminder_starts_it_once_and_sends_it_once() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        return ann(omni, c);
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.campaigns().advance(c.at(ofHours(3)));
      }

      public void then(Omni omni, Customer c) {
        nextTicks(omni, c, ofHours(3));
      }

      public Duration advancedAt() {
        return ofHours(3);
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  @Test
  void an_advance_that_escalates_a_run_sends_each_step_once() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        ProfileId ann = ann(omni, c);
        omni.carts().checkout(ann, "web", c.id("order")); // no reminder of the cart
        omni.campaigns().start(EMAIL_THEN_SMS, ann, "Offer");
        omni.campaigns().advance(c.at(ofHours(1))); // the email
        return ann;
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.campaigns().advance(c.at(ofHours(26)));
      }

      public void then(Omni omni, Customer c) {
        nextTicks(omni, c, ofHours(26));
      }

      public Duration advancedAt() {
        return ofHours(26);
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  @Test
  void a_campaign_started_through_the_api_starts_once() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<ProfileId>() {
      public ProfileId history(Omni omni, Customer c) {
        return omni.identities().link(c.id("e1"), "app", c.at(ofMinutes(1)), List.of(c.email("ann"), c.phone(1)));
      }

      public void write(Omni omni, Customer c, ProfileId ann) {
        omni.campaigns().start(EMAIL_THEN_SMS, ann, "Welcome");
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  @Test
  void a_cancel_of_a_run_lands_whole() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<String>() {
      public String history(Omni omni, Customer c) {
        ProfileId ann = annMessaged(omni, c);
        return omni.campaigns().runs(ann).get(0).id();
      }

      public void write(Omni omni, Customer c, String run) {
        omni.campaigns().cancel(run);
      }

      public List<Identifier> identifiers(Customer c) {
        return List.of(c.email("ann"));
      }
    });
  }

  // ------------------------------------------------------------------ the writes: retention

  @Test
  void a_prune_prunes_what_an_uninterrupted_one_prunes() {
    assertEachRoundTripDroppedEndsAsUninterrupted(new Write<String>() {
      public String history(Omni omni, Customer c) {
        ProfileId ann = annMessaged(omni, c);
        String run = omni.campaigns().runs(ann).get(0).id();
        omni.campaigns().cancel(run);
        clock.set(c.at(ofDays(100)));
        ingest(omni, c, "late", "web", ofDays(100), EventType.PAGE_VIEW, List.of(c.email("ann")));
        return run;
      }

      public void write(Omni omni, Customer c, String run) {
        omni.prune(c.at(ofDays(100)));
      }

      public boolean acrossCustomers() {
        return true;
      }

      public List<String> more(Omni omni, Customer c) {
        List<String> more = new ArrayList<>();
        for (String event : List.of("e1", "e2", "e3", "e4", "e5", "late")) {
          more.add("processed " + event + " " + omni.store().events().processed(c.id(event)));
        }
        return more;
      }

      public List<Identifier> identifiers(Customer c) {
        return annsIdentifiers(c);
      }
    });
  }
}
