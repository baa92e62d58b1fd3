package io.omni.examples;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartState;
import io.omni.cart.Carts;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Correction;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.Link;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.jdbc.JdbcStore;
import org.junit.jupiter.api.Test;

/**
 * The code of the README's tour, compiled and run. Each Java snippet of the top-level {@code README.md} is
 * the body of one method here, character for character up to indentation — {@link
 * #every_snippet_of_the_readme_is_a_method_body_here} checks that — and each test runs one and
 * checks what it prints. Blocks fenced {@code ```java spring-boot} are the Spring Boot example's
 * code, checked by its own {@code ReadmeSpringSnippetTest}; the pattern below takes only plain
 * {@code ```java} blocks.
 */
final class ReadmeSnippetsTest {

  // ------------------------------------------------------------------ the snippets

  static void identityTour() {
    Omni omni = Omni.builder().defaultRegion("RU").build();
    Identities ids = omni.identities();

    // an anonymous visitor signs up, then logs into the app, which knows her phone
    ids.link("web", Identifier.cookie("c-81"), Identifier.email(" Ann@Example.COM "));
    ids.link("app", Identifier.email("ann@example.com"), ids.phone("8 (916) 123-45-67"));
    ProfileId ann = ids.resolve(Identifier.phone("+79161234567")).orElseThrow();

    // a family tablet never fuses two known customers
    ids.link("app", Identifier.device("tablet-1"), Identifier.email("ann@example.com"));
    ProfileId boris = ids.link("app", Identifier.device("tablet-1"), Identifier.account("boris"));

    System.out.println(ann + " " + ids.profile(ann).identifiers());   // p-1 [cookie:c-81, email:…, phone:+79161234567, device:tablet-1]
    System.out.println(ann.equals(boris));                            // false
    Explanation why = ids.explain(Identifier.cookie("c-81"), Identifier.phone("+79161234567")).orElseThrow();
    why.steps().forEach(step -> System.out.println(step.channel() + " " + step.identifiers()));
    // web [cookie:c-81, email:ann@example.com]
    // app [email:ann@example.com, phone:+79161234567]
  }

  static void corrections() {
    Identities ids = Omni.builder().identityRules(IdentityRules.defaults().fixedLinesWeak(false)).build().identities();
    Identifier landline = Identifier.phone("+7 495 123-45-67");   // strong under these rules
    Identifier ann = Identifier.email("ann@example.com");
    Identifier boris = Identifier.email("boris@example.com");
    ids.link("call-center", landline, ann);
    ids.link("call-center", landline, boris);                     // mother and son fused

    Correction apart = ids.separate(ann, boris, "agent-17", "ticket 4411: mother and son");
    ids.link("call-center", landline, boris);                     // no longer fuses them
    System.out.println(ids.resolve(ann).orElseThrow() + " " + ids.resolve(boris).orElseThrow());
    System.out.println(ids.explain(landline, boris).orElseThrow().corrections().get(0).reason());

    ids.withdraw(apart.id(), "agent-17");                         // the evidence decides again
    System.out.println(ids.resolve(boris).orElseThrow());
    // p-1 p-2
    // ticket 4411: mother and son
    // p-1
  }

  static void changeFeed() {
    Identities ids = Omni.inMemory().identities();
    ids.link("web", Identifier.cookie("c-81"));                                        // p-1, anonymous
    ids.link("app", Identifier.email("ann@example.com"));                              // p-2
    ids.link("web", Identifier.cookie("c-81"), Identifier.email("ann@example.com"));   // she logs in
    ids.forget(Identifier.email("ann@example.com"));

    long cursor = 0;                                  // each consumer keeps its own, durably
    for (ProfileChange change : ids.changes(cursor, 100)) {
      System.out.println(change.position() + " " + change.kind() + " " + change.profile() + " " + change.other());
      cursor = change.position();                     // saved once the change is handled
    }
    // 1 MERGED p-1 p-2
    // 2 FORGOTTEN p-1 null
  }

  static void channelsAndCampaigns() {
    ShopClock clock = ShopClock.at("2026-03-02T09:00:00Z");  // a Clock you move; in production Clock.systemUTC()
    List<Message> outbox = new ArrayList<>();
    Omni omni = Omni.builder()
        .clock(clock)
        .sender("email", outbox::add)   // your mailer, SMS gateway and Viber bot go here
        .sender("sms", outbox::add)
        .sender("viber", outbox::add)
        .build();

    // events from any channel: identifiers are linked, the journey grows, the cart fills
    ProfileId ann = omni.ingest(ChannelEvent.builder("web").id("evt-1").at(clock.instant())
        .identifiers(Identifier.cookie("c-81"), Identifier.email("ann@example.com"))
        .type(EventType.CART_ADD).line(LineKey.of("SKU-1"), 2).build());
    omni.ingest(ChannelEvent.builder("app").id("evt-2").at(clock.instant())
        .identifiers(Identifier.email("ann@example.com"), Identifier.phone("+79161234567"))
        .type(EventType.LOGIN).build());

    // cheapest channel first; a day to react before the next one
    Cascade cascade = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)), step("viber", ofHours(24)));
    CampaignRun run = omni.campaigns().start(cascade, ann, "SKU-1 is 30% off");
    omni.campaigns().advance(clock.instant());                  // the email goes out
    omni.campaigns().advance(clock.advance(ofHours(24)));       // no reaction: the SMS

    // she calls and buys by phone: the cascade stops there
    omni.ingest(ChannelEvent.builder("call-center").id("evt-3").at(clock.advance(ofHours(2)))
        .identifiers(Identifier.phone("+79161234567"))
        .type(EventType.ORDER).attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build());
    omni.campaigns().advance(clock.advance(ofHours(48)));       // nothing more is sent

    System.out.println(omni.campaigns().run(run.id()).state());         // CONVERTED
    System.out.println(outbox.size() + " messages");                    // 2 messages
    System.out.println(omni.journeys().orders(ann).get(0).channel());   // call-center
    System.out.println(omni.journeys().favourites(ann, 3));             // [SKU-1]
  }

  static void cartsAcrossChannels() {
    Omni omni = Omni.builder()
        .replicaId("eu-1")                        // names this replica in the cart's stamps
        .handoffKey("at least 32 bytes of secret, from your vault".getBytes(StandardCharsets.UTF_8))
        .build();
    Carts carts = omni.carts();
    Identifier ann = Identifier.email("ann@example.com");

    carts.add(ann, "web", LineKey.of("SKU-1"), 2);
    carts.add(ann, "app", LineKey.of("SKU-2", "red"), 1);
    System.out.println(carts.get(ann).quantity(LineKey.of("SKU-1")));   // 2, the same from every channel

    // a POS terminal took a copy, went offline and removed SKU-1 there
    Omni pos = Omni.builder().replicaId("pos-7").build();
    pos.carts().sync(ann, carts.get(ann));
    pos.carts().remove(ann, "pos", LineKey.of("SKU-1"));
    CartState merged = carts.sync(ann, pos.carts().get(ann));          // back online: the removal wins
    System.out.println(merged.quantity(LineKey.of("SKU-1")));           // 0

    // the customer shows a QR code at the till; the POS redeems it, once
    String token = carts.handoff(ann, Duration.ofMinutes(5));
    System.out.println(carts.redeem(token, "pos").lines().size());      // 1

    Order order = carts.checkout(ann, "pos", "order-17");
    System.out.println(order.lines().size() + " " + carts.get(ann).isEmpty());   // 1 true
  }

  // ------------------------------------------------------------------ the tests

  static void jdbcSetup(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);                 // e.g. jdbc:postgresql://db:5432/shop?user=omni&password=…
    config.setMaximumPoolSize(10);              // the first migration borrows two connections
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      Omni omni = Omni.builder()
          .store(JdbcStore.builder(dataSource).build())   // detects the dialect, creates the schema
          .build();
      ProfileId ann = omni.identities().link("web", Identifier.email("ann@example.com"));
      System.out.println(omni.identities().profile(ann).identifiers());   // [email:ann@example.com]

      // a back-fill: a batch of events in a few round trips (keep batches to a few thousand)
      Instant at = Instant.parse("2026-11-01T10:00:00Z");
      List<ProfileId> profiles = omni.identities().linkAll(List.of(
          new Link("pos-1", "pos", at, List.of(Identifier.loyaltyCard("L-7"), Identifier.email("ann@example.com"))),
          new Link("app-1", "app", at.plusSeconds(60), List.of(Identifier.device("d-9"), Identifier.loyaltyCard("L-7")))));
      System.out.println(profiles.equals(List.of(ann, ann)));           // true
    }
  }

  @Test
  void jdbc_setup_runs_on_a_database() {
    String printed = printedBy(() -> jdbcSetup("jdbc:h2:mem:readme-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"));

    assertThat(printed.lines()).containsExactly("[email:ann@example.com]", "true");
  }

  @Test
  void carts_follow_the_customer_and_a_removal_on_an_offline_replica_wins() {
    String printed = printedBy(ReadmeSnippetsTest::cartsAcrossChannels);

    assertThat(printed.lines()).containsExactly("2", "0", "1", "1 true");
  }

  @Test
  void identity_tour_joins_ann_keeps_boris_apart_and_explains() {
    String printed = printedBy(ReadmeSnippetsTest::identityTour);

    assertThat(printed).contains("phone:+79161234567", "cookie:c-81")
        .contains("\nfalse\n")
        .contains("web [cookie:c-81, email:ann@example.com]")
        .contains("app [email:ann@example.com, phone:+79161234567]");
  }

  @Test
  void a_separation_splits_the_household_binds_the_next_call_and_its_withdrawal_fuses_it_again() {
    String printed = printedBy(ReadmeSnippetsTest::corrections);
    assertThat(printed.lines()).containsExactly("p-1 p-2", "ticket 4411: mother and son", "p-1");
  }

  @Test
  void the_change_feed_tells_of_the_login_merge_and_the_forget() {
    String printed = printedBy(ReadmeSnippetsTest::changeFeed);
    assertThat(printed.lines()).containsExactly("1 MERGED p-1 p-2", "2 FORGOTTEN p-1 null");
  }

  @Test
  void channels_and_campaigns_stop_the_cascade_at_the_phone_order() {
    String printed = printedBy(ReadmeSnippetsTest::channelsAndCampaigns);

    assertThat(printed.lines()).containsExactly("CONVERTED", "2 messages", "call-center", "[SKU-1]");
  }

  @Test
  void every_snippet_of_the_readme_is_a_method_body_here() throws IOException {
    String source = normalize(Files.readString(Path.of("src/test/java/io/omni/examples/ReadmeSnippetsTest.java")));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("../README.md")));
    int snippets = 0;
    while (block.find()) {
      assertThat(source).as("snippet %d of README.md", snippets + 1).contains(normalize(block.group(1)));
      snippets++;
    }
    assertThat(snippets).isGreaterThanOrEqualTo(4);
  }

  /** Lines without their indentation, blank lines dropped. */
  private static String normalize(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }

  private static String printedBy(Runnable snippet) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      snippet.run();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
