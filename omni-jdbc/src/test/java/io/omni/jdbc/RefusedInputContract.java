package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.omni.EventIdReusedException;
import io.omni.InvalidEventException;
import io.omni.InvalidIdentifierException;
import io.omni.Omni;
import io.omni.UnknownCampaignRunException;
import io.omni.UnknownChannelException;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.Link;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.OmniStore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.assertj.core.api.SoftAssertions;

/**
 * Input no database could store — instants outside 1970 to 5999, quantities that overflow an
 * {@code int}, text with NUL, lone surrogates or invisible format characters, ids and values longer
 * than their columns — is refused on a database with the same exception, and the same message, as
 * in memory, before anything is stored: identity stats, journey, orders, cart, campaign runs,
 * processed event ids and the row count of every {@code omni_*} table (read from the database's
 * metadata, so that a new table is counted too) are as before. Each input runs on the in-memory
 * store and on this database side by side; omni-core's {@code RefusedInputPropertiesTest} holds
 * the same kinds of input to the in-memory store alone. So is an event id reused with other
 * identifiers ({@link EventIdReusedException}), on every path: link, linkAll, ingest, ingestAll.
 *
 * <p>Each property gets its own fresh database and a modest number of tries, to keep the suite
 * fast; every try leaves the database as it found it, so the tries share it. A server that cannot
 * be reached skips the properties, or fails them under {@code CI=true} ({@link
 * SkipUnreachableDatabase}).
 *
 * <p>Longer than 400 lines: the generators of bad input of every kind share the two worlds and the
 * one before-and-after comparison.
 */
@AddLifecycleHook(SkipUnreachableDatabase.class)
abstract class RefusedInputContract {
  static final Identifier ANN_EMAIL = Identifier.email("ann@example.com");
  static final Identifier ANN_PHONE = Identifier.phone("+79161234567");
  static final Identifier NEWCOMER = Identifier.phone("+79169999999");
  static final LineKey SKU_1 = LineKey.of("SKU-1");
  static final LineKey BIG = LineKey.of("SKU-BIG");
  /** What the big line holds: 5 more fit. */
  static final int BIG_QUANTITY = Integer.MAX_VALUE - 5;
  static final int MAX = Integer.MAX_VALUE;

  private TestDatabase db;
  private Connection counting;
  private World inMemory;
  private World onDatabase;

  abstract Dialect dialect();

  @BeforeProperty
  void twoWorlds() throws SQLException {
    db = TestDatabase.create(dialect());
    counting = db.connect();
    inMemory = new World(OmniStore.inMemory());
    onDatabase = new World(JdbcStore.builder(db.pool(3)).build());
  }

  @AfterProperty
  void dropDatabase() throws SQLException {
    if (onDatabase != null) {
      onDatabase.omni.close();
    }
    if (counting != null) {
      counting.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** One input Omni must refuse: what it is, the exception it must throw, the events it names. */
  record BadInput(String description, Class<? extends RuntimeException> refusal, List<String> eventIds,
      Consumer<World> action) {
    @Override
    public String toString() {
      return description + " -> " + refusal.getSimpleName();
    }
  }

  /**
   * An Omni holding a customer with a journey, a cart with a line 5 short of the largest quantity, a
   * running campaign, and an event ({@code l-1}) linked but not processed.
   */
  static final class World {
    final TestClock clock = new TestClock();
    final Omni omni;
    final ProfileId ann;
    final CampaignRun run;

    World(OmniStore store) {
      omni = Omni.builder().store(store).clock(clock).discoverProviders(false).sender("email", m -> { }).build();
      ann = omni.identities().link("web", ANN_EMAIL, ANN_PHONE);
      omni.ingest(event("web", "w-1", EventType.CART_ADD).identifiers(ANN_EMAIL).line(SKU_1, 2).build());
      // linked, not processed: as an event whose first delivery failed after its link
      omni.identities().link("l-1", "app", clock.instant(), List.of(ANN_PHONE));
      omni.carts().setQuantity(ann, "app", BIG, BIG_QUANTITY);
      run = omni.campaigns().start(Cascade.of(step("email", ofHours(24))), ann, "Spring sale");
    }

    ChannelEvent.Builder event(String channel, String id, EventType type) {
      return ChannelEvent.builder(channel).id(id).at(clock.instant()).type(type);
    }

    Snapshot snapshot(List<String> eventIds) {
      Map<String, Boolean> processed = new LinkedHashMap<>();
      for (String id : eventIds) {
        if (storable(id)) { // a database cannot even be asked about the others
          processed.put(id, omni.store().events().processed(id));
        }
      }
      return new Snapshot(omni.identities().stats(), omni.journeys().of(ann), omni.journeys().orders(ann),
          omni.carts().get(ann), omni.campaigns().runs(ann), omni.identities().resolve(NEWCOMER), processed);
    }
  }

  /** What a refused input must leave as it was. */
  record Snapshot(Identities.Stats stats, List<Touchpoint> journey, List<Order> orders, CartState cart,
      List<CampaignRun> runs, Optional<ProfileId> newcomer, Map<String, Boolean> processed) {}

  /** The row count of every {@code omni_*} table of this test's database, by lower-case name. */
  Map<String, Long> rowCounts() throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    DatabaseMetaData metadata = counting.getMetaData();
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = metadata.getTables(counting.getCatalog(), counting.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (name.toLowerCase(Locale.ROOT).startsWith("omni_")) {
          tables.add(name);
        }
      }
    }
    try (Statement statement = counting.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          counts.put(table.toLowerCase(Locale.ROOT), rs.getLong(1));
        }
      }
    }
    return counts;
  }

  void assertRefusedAlikeAndNothingStored(BadInput input) throws SQLException {
    Snapshot memoryBefore = inMemory.snapshot(input.eventIds());
    Snapshot databaseBefore = onDatabase.snapshot(input.eventIds());
    Map<String, Long> rowsBefore = rowCounts();
    assertThat(rowsBefore).as("the tables found").containsKeys("omni_identifier", "omni_evidence",
        "omni_processed_event", "omni_touchpoint", "omni_order", "omni_order_line", "omni_cart", "omni_campaign_run");

    Throwable inMemoryRefusal = catchThrowable(() -> input.action().accept(inMemory));
    Throwable databaseRefusal = catchThrowable(() -> input.action().accept(onDatabase));

    SoftAssertions softly = new SoftAssertions(); // both stores reported, so that a difference shows whole
    softly.assertThat(inMemoryRefusal).as("in memory: " + input.description()).isExactlyInstanceOf(input.refusal());
    softly.assertThat(databaseRefusal).as(dialect() + ": " + input.description()).isExactlyInstanceOf(input.refusal());
    if (inMemoryRefusal != null && databaseRefusal != null) {
      softly.assertThat(databaseRefusal.getMessage()).as(dialect() + " message: " + input.description())
          .isEqualTo(inMemoryRefusal.getMessage());
    }
    softly.assertThat(inMemory.snapshot(input.eventIds())).as("in memory: " + input.description())
        .isEqualTo(memoryBefore);
    softly.assertThat(onDatabase.snapshot(input.eventIds())).as(dialect() + ": " + input.description())
        .isEqualTo(databaseBefore);
    softly.assertThat(rowCounts()).as(dialect() + " tables: " + input.description()).isEqualTo(rowsBefore);
    softly.assertAll();
  }

  @Property(tries = 50)
  void an_instant_outside_1970_to_5999_is_refused_alike_and_stores_nothing(@ForAll("extremeInstants") BadInput input)
      throws SQLException {
    assertRefusedAlikeAndNothingStored(input);
  }

  @Property(tries = 50)
  void a_quantity_past_the_largest_int_is_refused_alike_and_stores_nothing(
      @ForAll("overflowingQuantities") BadInput input) throws SQLException {
    assertRefusedAlikeAndNothingStored(input);
  }

  @Property(tries = 80)
  void text_no_database_stores_is_refused_alike_and_stores_nothing(@ForAll("badText") BadInput input)
      throws SQLException {
    assertRefusedAlikeAndNothingStored(input);
  }

  // ------------------------------------------------------------------ what was seen on main

  @Example
  void an_event_dated_instant_min_leaves_no_identifier_without_evidence() throws SQLException {
    assertRefusedAlikeAndNothingStored(new BadInput("PAGE_VIEW at Instant.MIN", InvalidEventException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("web", "bad-1", EventType.PAGE_VIEW).at(Instant.MIN)
            .identifiers(NEWCOMER, Identifier.account("acc-min")).build())));
  }

  @Example
  void a_lone_surrogate_in_an_account_never_reaches_the_database() throws SQLException {
    assertRefusedAlikeAndNothingStored(new BadInput("link account 'ann\\uD800'", InvalidIdentifierException.class,
        List.of("bad-1"), w -> w.omni.identities().link("bad-1", "web", null,
            List.of(NEWCOMER, Identifier.account("ann\uD800")))));
  }

  @Example
  void an_order_id_longer_than_its_column_stores_no_part_of_the_order() throws SQLException {
    assertRefusedAlikeAndNothingStored(new BadInput("ORDER o-7…(302)", InvalidEventException.class, List.of("bad-1"),
        w -> w.omni.ingest(w.event("pos", "bad-1", EventType.ORDER).identifiers(ANN_EMAIL)
            .attribute("order", "o-" + "7".repeat(300)).line(SKU_1, 1).build())));
  }

  @Example
  void a_checkout_order_id_too_long_for_its_touchpoint_records_no_order() throws SQLException {
    // 250 characters fit omni_order.order_id, but not the touchpoint "order:<id>" in a VARCHAR(255)
    assertRefusedAlikeAndNothingStored(new BadInput("checkout as o-…(250)", IllegalArgumentException.class, List.of(),
        w -> w.omni.carts().checkout(w.ann, "pos", "o-" + "7".repeat(248))));
  }

  @Example
  void order_lines_overflowing_an_int_store_no_part_of_the_order() throws SQLException {
    assertRefusedAlikeAndNothingStored(new BadInput("ORDER SKU-1 x MAX + 1", InvalidEventException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("pos", "bad-1", EventType.ORDER).identifiers(ANN_EMAIL)
            .attribute("order", "o-9").line(SKU_1, MAX).line(SKU_1, 1).build())));
  }

  @Example
  void a_cart_add_past_the_largest_quantity_stores_no_touchpoint() throws SQLException {
    assertRefusedAlikeAndNothingStored(new BadInput("CART_ADD SKU-BIG x6", InvalidEventException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("app", "bad-1", EventType.CART_ADD).identifiers(ANN_PHONE)
            .line(BIG, 6).build())));
  }

  // ------------------------------------------------------------------ an event id reused with other identifiers

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void an_event_id_reused_with_other_identifiers_is_refused_alike_and_stores_nothing(
      @ForAll("reusedEventIds") BadInput input) throws SQLException {
    assertRefusedAlikeAndNothingStored(input);
  }

  /**
   * Every path that takes an event id: {@code w-1} was ingested (linked and processed), {@code l-1}
   * linked and not processed, each with other identifiers than these.
   */
  @Provide
  static Arbitrary<BadInput> reusedEventIds() {
    Identifier other = Identifier.account("acc-9");
    return Arbitraries.of(
        new BadInput("link w-1 as [newcomer]", EventIdReusedException.class, List.of("w-1"),
            w -> w.omni.identities().link("w-1", "web", null, List.of(NEWCOMER))),
        new BadInput("linkAll [good-1, w-1 as [newcomer, ann]]", EventIdReusedException.class,
            List.of("good-1", "w-1"), w -> w.omni.identities().linkAll(List.of(
                new Link("good-1", "web", null, List.of(NEWCOMER, other)),
                new Link("w-1", "web", null, List.of(NEWCOMER, ANN_EMAIL))))),
        new BadInput("linkAll [bad-1, good-1, bad-1 as others]", EventIdReusedException.class,
            List.of("good-1", "bad-1"), w -> w.omni.identities().linkAll(List.of(
                new Link("bad-1", "web", null, List.of(NEWCOMER)),
                new Link("good-1", "pos", null, List.of(other, ANN_PHONE)),
                new Link("bad-1", "web", null, List.of(NEWCOMER, other))))),
        new BadInput("ingest w-1 (processed) as [newcomer]", EventIdReusedException.class, List.of("w-1"),
            w -> w.omni.ingest(w.event("web", "w-1", EventType.CART_ADD).identifiers(NEWCOMER).line(SKU_1, 2).build())),
        new BadInput("ingest l-1 (linked, not processed) as [newcomer]", EventIdReusedException.class,
            List.of("l-1"), w -> w.omni.ingest(w.event("app", "l-1", EventType.CART_ADD).identifiers(NEWCOMER)
                .line(SKU_1, 1).build())),
        new BadInput("ingestAll [good-1, l-1 as [ann email]]", EventIdReusedException.class,
            List.of("good-1", "l-1"), w -> w.omni.ingestAll(List.of(
                w.event("web", "good-1", EventType.PAGE_VIEW).identifiers(NEWCOMER).build(),
                w.event("app", "l-1", EventType.PAGE_VIEW).identifiers(ANN_EMAIL).build()))),
        new BadInput("ingestAll [bad-1, good-1, bad-1 as others]", EventIdReusedException.class,
            List.of("good-1", "bad-1"), w -> w.omni.ingestAll(List.of(
                w.event("web", "bad-1", EventType.PAGE_VIEW).identifiers(NEWCOMER).build(),
                w.event("web", "good-1", EventType.PAGE_VIEW).identifiers(ANN_PHONE).build(),
                w.event("web", "bad-1", EventType.PAGE_VIEW).identifiers(ANN_EMAIL).build()))));
  }

  // ------------------------------------------------------------------ instants

  @Provide
  static Arbitrary<Instant> outOfRange() {
    return Arbitraries.oneOf(
        Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH.minusNanos(1), Instant.EPOCH.minusMillis(1),
            Instant.parse("6000-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE),
            Instant.ofEpochMilli((1L << 47) - 1)),
        Arbitraries.longs().between(Instant.MIN.getEpochSecond(), -1).map(Instant::ofEpochSecond),
        Arbitraries.longs().between(Instant.parse("6000-01-01T00:00:00Z").getEpochSecond(),
            Instant.MAX.getEpochSecond()).map(Instant::ofEpochSecond));
  }

  static ChannelEvent eventOfType(World w, EventType type, String id, Instant at, Identifier who) {
    ChannelEvent.Builder event = w.event("web", id, type).at(at).identifiers(who);
    switch (type) {
      case CART_ADD -> event.line(SKU_1, 1);
      case ORDER -> event.attribute("order", "o-9").line(SKU_1, 1);
      case CONSENT -> event.attribute("granted", "false");
      default -> { }
    }
    return event.build();
  }

  @Provide
  static Arbitrary<BadInput> extremeInstants() {
    Arbitrary<EventType> types = Arbitraries.of(EventType.PAGE_VIEW, EventType.CART_ADD, EventType.ORDER, EventType.CONSENT);
    Arbitrary<Identifier> who = Arbitraries.of(NEWCOMER, ANN_EMAIL, ANN_PHONE);
    return Combinators.combine(outOfRange(), types, who, Arbitraries.integers().between(0, 6)).as((at, type, id, entry) ->
        switch (entry) {
          case 0 -> new BadInput("ingest " + type + " at " + at, InvalidEventException.class, List.of("bad-1"),
              w -> w.omni.ingest(eventOfType(w, type, "bad-1", at, id)));
          case 1 -> new BadInput("ingestAll [good, " + type + " at " + at + "]", InvalidEventException.class,
              List.of("good-1", "bad-1"), w -> w.omni.ingestAll(List.of(
                  eventOfType(w, EventType.PAGE_VIEW, "good-1", w.clock.instant(), NEWCOMER),
                  eventOfType(w, type, "bad-1", at, id))));
          case 2 -> new BadInput("link at " + at, IllegalArgumentException.class, List.of("bad-1"),
              w -> w.omni.identities().link("bad-1", "web", at, List.of(NEWCOMER, id)));
          case 3 -> new BadInput("linkAll [good, at " + at + "]", IllegalArgumentException.class,
              List.of("good-1", "bad-1"), w -> w.omni.identities().linkAll(List.of(
                  new Link("good-1", "web", w.clock.instant(), List.of(NEWCOMER)),
                  new Link("bad-1", "web", at, List.of(id)))));
          case 4 -> new BadInput("advance to " + at, IllegalArgumentException.class, List.of(),
              w -> w.omni.campaigns().advance(at));
          case 5 -> new BadInput("prune as of " + at, IllegalArgumentException.class, List.of("w-1"),
              w -> w.omni.prune(at));
          default -> new BadInput("redeliver w-1 at " + at, InvalidEventException.class, List.of("w-1"),
              w -> w.omni.ingest(w.event("web", "w-1", EventType.CART_ADD).at(at).identifiers(ANN_EMAIL)
                  .line(SKU_1, 2).build()));
        });
  }

  // ------------------------------------------------------------------ quantities

  /** Two quantities of at least 1 whose sum passes {@link Integer#MAX_VALUE}. */
  static Arbitrary<int[]> overflowingPairs() {
    return Arbitraries.oneOf(Arbitraries.just(new int[] {MAX, 1}), Arbitraries.integers().between(1, MAX).flatMap(a ->
        Arbitraries.integers().between(MAX - a + 1, MAX).map(b -> new int[] {a, b})));
  }

  @Provide
  static Arbitrary<BadInput> overflowingQuantities() {
    Arbitrary<Integer> pastBig = Arbitraries.integers().between(MAX - BIG_QUANTITY + 1, MAX);
    Arbitrary<BadInput> orderLines = overflowingPairs().map(q -> new BadInput(
        "ORDER lines SKU-1 x" + q[0] + ", SKU-2 x1, SKU-1 x" + q[1], InvalidEventException.class, List.of("bad-1"),
        w -> w.omni.ingest(w.event("pos", "bad-1", EventType.ORDER).identifiers(NEWCOMER).attribute("order", "o-9")
            .line(SKU_1, q[0]).line(LineKey.of("SKU-2"), 1).line(SKU_1, q[1]).build())));
    Arbitrary<BadInput> cartLines = overflowingPairs().map(q -> new BadInput(
        "CART_ADD lines SKU-1 x" + q[0] + ", SKU-1 x" + q[1], InvalidEventException.class, List.of("bad-1"),
        w -> w.omni.ingest(w.event("web", "bad-1", EventType.CART_ADD).identifiers(NEWCOMER)
            .line(SKU_1, q[0]).line(SKU_1, q[1]).build())));
    Arbitrary<BadInput> onTopOfBig = Combinators.combine(pastBig, Arbitraries.of(ANN_EMAIL, ANN_PHONE), Arbitraries.of(true, false))
        .as((q, ann, withNewcomer) -> new BadInput("CART_ADD SKU-BIG x" + q + " by " + ann
            + (withNewcomer ? " and a newcomer" : ""), InvalidEventException.class, List.of("bad-1"),
            w -> w.omni.ingest(w.event("app", "bad-1", EventType.CART_ADD)
                .identifiers(withNewcomer ? List.of(NEWCOMER, ann) : List.of(ann)).line(BIG, q).build())));
    Arbitrary<BadInput> batchOnTopOfBig = Arbitraries.integers().between(1, MAX - BIG_QUANTITY).flatMap(first ->
        Arbitraries.integers().between(MAX - BIG_QUANTITY - first + 1, MAX).map(second -> new BadInput(
            "ingestAll [CART_ADD SKU-BIG x" + first + ", CART_ADD SKU-BIG x" + second + "]", InvalidEventException.class,
            List.of("bad-1", "bad-2"), w -> w.omni.ingestAll(List.of(
                w.event("web", "bad-1", EventType.CART_ADD).identifiers(ANN_EMAIL).line(BIG, first).build(),
                w.event("app", "bad-2", EventType.CART_ADD).identifiers(NEWCOMER, ANN_PHONE).line(BIG, second).build())))));
    Arbitrary<BadInput> batchOfNewcomer = overflowingPairs().map(q -> new BadInput(
        "ingestAll [CART_ADD SKU-1 x" + q[0] + ", CART_ADD SKU-1 x" + q[1] + "] by a newcomer", InvalidEventException.class,
        List.of("bad-1", "bad-2"), w -> w.omni.ingestAll(List.of(
            w.event("web", "bad-1", EventType.CART_ADD).identifiers(NEWCOMER).line(SKU_1, q[0]).build(),
            w.event("app", "bad-2", EventType.CART_ADD).identifiers(NEWCOMER).line(SKU_1, q[1]).build()))));
    Arbitrary<BadInput> apiAdd = Combinators.combine(pastBig, Arbitraries.of(true, false)).as((q, byProfile) ->
        new BadInput("carts().add SKU-BIG x" + q + (byProfile ? " by profile" : " by email"), IllegalArgumentException.class,
            List.of(), w -> {
              if (byProfile) {
                w.omni.carts().add(w.ann, "web", BIG, q);
              } else {
                w.omni.carts().add(ANN_EMAIL, "web", BIG, q);
              }
            }));
    return Arbitraries.oneOf(orderLines, cartLines, onTopOfBig, batchOnTopOfBig, batchOfNewcomer, apiAdd);
  }

  // ------------------------------------------------------------------ text

  /**
   * {@code valid} spoilt: a NUL or a lone surrogate put anywhere in it, or lengthened past {@code
   * max} characters.
   */
  static Arbitrary<String> spoilt(String valid, int max) {
    Arbitrary<Character> unstorable = Arbitraries.oneOf(Arbitraries.just('\u0000'),
        Arbitraries.chars().range('\uD800', '\uDFFF'));
    Arbitrary<String> withUnstorable = Combinators.combine(unstorable, Arbitraries.integers().between(0, valid.length()))
        .as((c, at) -> valid.substring(0, at) + c + valid.substring(at));
    Arbitrary<String> tooLong = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(64)
        .flatMap(tail -> Arbitraries.integers().between(max + 1 - valid.length(), max + 64 - valid.length())
            .map(n -> valid + tail.repeat(n / tail.length() + 1).substring(0, Math.max(0, n))));
    return Arbitraries.oneOf(withUnstorable, tooLong);
  }

  /** {@code valid} with an invisible format character put anywhere in it. */
  static Arbitrary<String> withFormatCharacter(String valid) {
    Arbitrary<Character> format = Arbitraries.of('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u200E', '\u200F',
        '\u202A', '\u202E', '\u2066', '\u2069', '\u00AD');
    return Combinators.combine(format, Arbitraries.integers().between(0, valid.length()))
        .as((c, at) -> valid.substring(0, at) + c + valid.substring(at));
  }

  static Arbitrary<BadInput> identifierValues() {
    List<Arbitrary<BadInput>> all = new ArrayList<>();
    Map<IdentifierType, String> valid = new LinkedHashMap<>();
    valid.put(IdentifierType.ACCOUNT, "acc-7");
    valid.put(IdentifierType.COOKIE, "c-81");
    valid.put(IdentifierType.DEVICE, "d-9");
    valid.put(IdentifierType.LOYALTY_CARD, "L-7");
    valid.put(IdentifierType.of("telegram"), "@ann");
    valid.put(IdentifierType.EMAIL, "bob@example.com");
    valid.put(IdentifierType.PHONE, "+79160000001");
    valid.forEach((type, value) -> {
      Arbitrary<String> bad = Arbitraries.oneOf(spoilt(value, 256), withFormatCharacter(value));
      all.add(Combinators.combine(bad, Arbitraries.of(true, false)).as((v, byEvent) -> new BadInput(
          (byEvent ? "ingest " : "link ") + type + " '" + shown(v) + "'",
          InvalidIdentifierException.class, List.of("bad-1"), w -> {
            if (byEvent) {
              w.omni.ingest(w.event("web", "bad-1", EventType.LOGIN).identifiers(NEWCOMER, Identifier.of(type, v)).build());
            } else {
              w.omni.identities().link("bad-1", "web", null, List.of(NEWCOMER, Identifier.of(type, v)));
            }
          })));
    });
    return Arbitraries.oneOf(all);
  }

  @Provide
  static Arbitrary<BadInput> badText() {
    List<Arbitrary<BadInput>> all = new ArrayList<>();
    all.add(identifierValues());
    all.add(spoilt("e-1", 255).map(id -> new BadInput("event id '" + shown(id) + "'", InvalidEventException.class,
        List.of(id), w -> w.omni.ingest(w.event("web", id, EventType.PAGE_VIEW).identifiers(NEWCOMER).build()))));
    all.add(spoilt("e-1", 255).map(id -> new BadInput("ingestAll [good, event id '" + shown(id) + "']",
        InvalidEventException.class, List.of("good-1", id), w -> w.omni.ingestAll(List.of(
            w.event("web", "good-1", EventType.PAGE_VIEW).identifiers(NEWCOMER).build(),
            w.event("web", id, EventType.PAGE_VIEW).identifiers(NEWCOMER).build())))));
    all.add(spoilt("url", 255).map(name -> new BadInput("attribute name '" + shown(name) + "'", InvalidEventException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("web", "bad-1", EventType.PAGE_VIEW).identifiers(ANN_EMAIL)
            .attribute(name, "/p/1").build()))));
    all.add(spoilt("/p/1", 16_384).map(value -> new BadInput("attribute value '" + shown(value) + "'",
        InvalidEventException.class, List.of("bad-1"), w -> w.omni.ingest(w.event("web", "bad-1", EventType.PAGE_VIEW)
            .identifiers(ANN_EMAIL).attribute("url", value).build()))));
    all.add(Arbitraries.integers().between(65, 80).map(n -> new BadInput(n + " attributes", InvalidEventException.class,
        List.of("bad-1"), w -> {
          ChannelEvent.Builder event = w.event("web", "bad-1", EventType.PAGE_VIEW).identifiers(ANN_EMAIL);
          for (int i = 0; i < n; i++) {
            event.attribute("a" + i, "v");
          }
          w.omni.ingest(event.build());
        })));
    all.add(spoilt("o-9", 249).map(order -> new BadInput("order id '" + shown(order) + "'", InvalidEventException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("pos", "bad-1", EventType.ORDER).identifiers(ANN_EMAIL)
            .attribute("order", order).line(SKU_1, 1).build()))));
    all.add(spoilt("ABCD-EFGH", 255).map(code -> new BadInput("promo code '" + shown(code) + "'",
        InvalidEventException.class, List.of("bad-1"), w -> w.omni.ingest(w.event("viber", "bad-1",
            EventType.PROMO_REDEEMED).identifiers(ANN_PHONE).attribute("code", code).build()))));
    all.add(Arbitraries.integers().between(65, 70).map(n -> new BadInput(n + " distinct identifiers",
        InvalidEventException.class, List.of("bad-1"), w -> {
          List<Identifier> many = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            many.add(Identifier.cookie("c-many-" + i));
          }
          w.omni.ingest(w.event("web", "bad-1", EventType.PAGE_VIEW).identifiers(many).build());
        })));
    all.add(spoilt("web", 64).map(channel -> new BadInput("event channel '" + shown(channel) + "'",
        UnknownChannelException.class, List.of("bad-1"), w -> w.omni.ingest(ChannelEvent.builder(channel).id("bad-1")
            .at(w.clock.instant()).type(EventType.PAGE_VIEW).identifiers(NEWCOMER).build()))));
    all.add(lineKeys().map(key -> new BadInput("CART_ADD of line " + key, IllegalArgumentException.class,
        List.of("bad-1"), w -> w.omni.ingest(w.event("web", "bad-1", EventType.CART_ADD).identifiers(ANN_EMAIL)
            .line(key.get(), 1).build()))));
    all.add(lineKeys().map(key -> new BadInput("carts().add of line " + key, IllegalArgumentException.class,
        List.of(), w -> w.omni.carts().add(w.ann, "web", key.get(), 1))));
    all.add(spoilt("web", 64).map(channel -> new BadInput("link in channel '" + shown(channel) + "'",
        IllegalArgumentException.class, List.of(), w -> w.omni.identities().link(channel, NEWCOMER))));
    all.add(spoilt("e-1", 255).map(id -> new BadInput("link of event id '" + shown(id) + "'",
        IllegalArgumentException.class, List.of(id), w -> w.omni.identities().link(id, "web", null, List.of(NEWCOMER)))));
    all.add(Combinators.combine(spoilt("web", 64), Arbitraries.integers().between(0, 2)).as((channel, write) ->
        new BadInput("cart write " + write + " in channel '" + shown(channel) + "'", IllegalArgumentException.class,
            List.of(), w -> {
              switch (write) {
                case 0 -> w.omni.carts().add(NEWCOMER, channel, SKU_1, 1);
                case 1 -> w.omni.carts().setQuantity(w.ann, channel, SKU_1, 1);
                default -> w.omni.carts().remove(ANN_EMAIL, channel, SKU_1);
              }
            })));
    all.add(Combinators.combine(spoilt("o-9", 249), Arbitraries.of(true, false)).as((order, byProfile) ->
        new BadInput("checkout as order '" + shown(order) + "'", IllegalArgumentException.class, List.of(), w -> {
          if (byProfile) {
            w.omni.carts().checkout(w.ann, "pos", order);
          } else {
            w.omni.carts().checkout(NEWCOMER, "pos", order);
          }
        })));
    all.add(spoilt("run-ABCDEFGHJKLM", 255).map(id -> new BadInput("campaign run '" + shown(id) + "'",
        UnknownCampaignRunException.class, List.of(), w -> w.omni.campaigns().run(id))));
    all.add(spoilt("Sale", 65_536).map(text -> new BadInput("campaign text '" + shown(text) + "'",
        IllegalArgumentException.class, List.of(), w -> w.omni.campaigns().start(Cascade.of(step("email", ofHours(24))),
            w.ann, text))));
    return Arbitraries.oneOf(all);
  }

  /** A line key spoilt in one of its parts; built when the input runs, as a caller would. */
  record KeySpec(String sku, String variant, Map<String, String> attributes) {
    LineKey get() {
      return new LineKey(sku, variant, attributes);
    }

    @Override
    public String toString() {
      return "LineKey(" + shown(sku) + ", " + shown(variant) + ", " + attributes.size() + " attributes "
          + attributes.entrySet().stream().limit(2).map(e -> shown(e.getKey()) + "=" + shown(e.getValue())).toList() + ")";
    }
  }

  static Arbitrary<KeySpec> lineKeys() {
    Arbitrary<Map<String, String>> tooMany = Arbitraries.integers().between(33, 40).map(n -> {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        attributes.put("a" + i, "v");
      }
      return attributes;
    });
    return Arbitraries.oneOf(
        spoilt("SKU-1", 128).map(sku -> new KeySpec(sku, "", Map.of())),
        spoilt("red", 128).map(variant -> new KeySpec("SKU-1", variant, Map.of())),
        spoilt("wrap", 64).map(name -> new KeySpec("SKU-1", "", Map.of(name, "yes"))),
        spoilt("yes", 256).map(value -> new KeySpec("SKU-1", "", Map.of("wrap", value))),
        tooMany.map(attributes -> new KeySpec("SKU-1", "", attributes)));
  }

  /** Whether an event id fits its columns: 255 characters, no NUL, no lone surrogate. */
  static boolean storable(String id) {
    if (id.length() > 255) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '\u0000' || Character.isLowSurrogate(c)
          || Character.isHighSurrogate(c) && !(i + 1 < id.length() && Character.isLowSurrogate(id.charAt(++i)))) {
        return false;
      }
    }
    return true;
  }

  /** A value as a try's description shows it: printable ASCII as is, the rest escaped, cut at 40. */
  static String shown(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(40, value.length()); i++) {
      char c = value.charAt(i);
      out.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return value.length() > 40 ? out + "…(" + value.length() + " characters)" : out.toString();
  }
}
