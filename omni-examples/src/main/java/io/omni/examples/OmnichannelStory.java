package io.omni.examples;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofDays;
import static java.time.Duration.ofHours;

import io.omni.Omni;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Journeys;
import io.omni.journey.Touchpoint;
import io.omni.cart.CartState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One customer, Ann, across every channel of a shop, told step by step as it runs against the
 * real API on the in-memory default. She browses anonymously on the web and fills a cart, signs in,
 * finds the cart in the app, has the store's till load it from a hand-off QR code, leaves without
 * buying, gets a cascade of email, SMS and Viber, and finally buys by phone: nothing more is sent,
 * the abandoned-cart reminder never goes out, her favourites change, and Omni explains why the web
 * cookie and her phone are one person.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl omni-examples -am -DskipTests package exec:java
 * </pre>
 *
 * <p>{@link #tell} is the story itself; it answers the {@link Facts} so that a test can check them.
 */
public final class OmnichannelStory {
  static final Identifier ANN_COOKIE = Identifier.cookie("c-81");
  static final Identifier ANN_EMAIL = Identifier.email("ann@example.com");
  static final Identifier ANN_PHONE = Identifier.phone("+79161234567");
  static final Identifier ANN_DEVICE = Identifier.device("idfa-ann-phone");
  static final LineKey SNEAKERS = LineKey.of("SNEAKERS-42", "white");
  static final LineKey SOCKS = LineKey.of("SOCKS-WOOL");
  static final LineKey COFFEE = LineKey.of("COFFEE-BEANS-1KG");

  /** The shop's weekend promotion: cheapest channel first, a day to react before the next one. */
  static final Cascade PROMO = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)), step("viber", ofHours(24)));
  /** Carts left untouched for three days get a reminder, unless their owner bought anywhere since. */
  static final Duration ABANDONED_AFTER = ofDays(3);

  /**
   * What the story established.
   *
   * @param anonymous the profile the anonymous web visitor got
   * @param ann Ann's profile after she signed in (the anonymous one merged into it)
   * @param anonymousMerged whether the anonymous profile is now an alias of Ann's
   * @param cartInApp her cart as the app reads it
   * @param cartAtPos her cart as the POS loaded it from the hand-off QR code
   * @param qrCode the PNG of the hand-off QR code
   * @param cartAfterOrder her cart after the phone order
   * @param promoMessages the promotion's messages, in the order they went out
   * @param promoState how the promotion ended
   * @param promoConvertedVia the channel the promotion converted through
   * @param sentAfterPurchase messages sent after she bought by phone (none)
   * @param abandonedCartRuns abandoned-cart runs started for her (none)
   * @param favouritesBefore her favourites before the phone order
   * @param favouritesAfter her favourites after it
   * @param orderChannels the channels of her orders, oldest first
   * @param why the chain of evidence that joins the web cookie and the phone number
   * @param journey her touchpoints in time order
   */
  public record Facts(
      ProfileId anonymous,
      ProfileId ann,
      boolean anonymousMerged,
      List<String> cartInApp,
      List<String> cartAtPos,
      Path qrCode,
      List<String> cartAfterOrder,
      List<Message> promoMessages,
      CampaignRun.State promoState,
      Optional<String> promoConvertedVia,
      List<Message> sentAfterPurchase,
      long abandonedCartRuns,
      List<LineKey> favouritesBefore,
      List<LineKey> favouritesAfter,
      List<String> orderChannels,
      Explanation why,
      List<Touchpoint> journey) {}

  private final PrintStream out;
  private final ShopClock clock = ShopClock.at("2026-03-02T09:00:00Z");
  private final List<Message> outbox = new ArrayList<>();
  private final Omni omni;
  private int eventNumber;

  private final Path qrFile;

  private OmnichannelStory(PrintStream out, Path qrFile) {
    this.out = out;
    this.qrFile = qrFile;
    // The messaging channels deliver into an outbox here; a shop plugs in its mailer and SMS gateway.
    this.omni = Omni.builder()
        .clock(clock)
        .defaultRegion("RU")
        .sender("email", outbox::add)
        .sender("sms", outbox::add)
        .sender("viber", outbox::add)
        .abandonedCarts(AbandonedCartPolicy.after(ABANDONED_AFTER, PROMO, "You left something in your cart"))
        // Signs the cart hand-off tokens. A shop keeps its key in a vault; the story makes one up.
        .handoffKey(randomKey())
        .build();
  }

  /** Runs the story and prints it; {@code --qr PATH} names the PNG of the hand-off QR code. */
  public static void main(String[] args) {
    Path qr = Path.of(System.getProperty("omni.examples.output", "target"), "handoff-qr.png");
    if (args.length == 2 && args[0].equals("--qr")) {
      qr = Path.of(args[1]);
    } else if (args.length > 0) {
      System.err.println("usage: OmnichannelStory [--qr PATH]");
      System.exit(2);
    }
    tell(System.out, qr);
  }

  /** Tells the story to {@code out}, writes the hand-off QR code to {@code qrFile}, and answers what it established. */
  public static Facts tell(PrintStream out, Path qrFile) {
    return new OmnichannelStory(out, qrFile).run();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** A cart's live lines in a shop's words: {@code SKU-1 x2 (added on web)}. */
  private static List<String> lines(CartState cart) {
    return cart.lines().stream().map(l -> l.key() + " x" + l.quantity() + " (" + l.channel() + ")").toList();
  }

  private Facts run() {
    chapter("A month ago: Ann bought coffee in the app");
    event("app", EventType.ORDER, clock.instant().minus(ofDays(30)), List.of(ANN_EMAIL, ANN_DEVICE), b -> b
        .attribute("order", "o-1001").line(COFFEE, 2));
    ProfileId known = omni.identities().resolve(ANN_EMAIL).orElseThrow();
    say("Omni knows her as " + known + ": " + omni.identities().profile(known).identifiers());

    chapter("Monday 09:00, web: an anonymous visitor fills a cart");
    ProfileId anonymous = event("web", EventType.AD_CLICK, ANN_COOKIE, b -> b.attribute("campaign", "spring-sneakers"));
    event("web", EventType.CART_ADD, ANN_COOKIE, b -> b.line(SNEAKERS, 1));
    clock.advance(Duration.ofMinutes(4));
    event("web", EventType.CART_ADD, ANN_COOKIE, b -> b.line(SOCKS, 3));
    Instant cartLastChanged = clock.instant();
    say("Cookie " + ANN_COOKIE.value() + " has no name yet; Omni gives it a profile of its own: " + anonymous);
    say("Its cart: " + SNEAKERS + " x1, " + SOCKS + " x3");

    chapter("09:10, web: she signs in to save the cart");
    clock.advance(Duration.ofMinutes(6));
    ProfileId ann = event("web", EventType.LOGIN, List.of(ANN_COOKIE, ANN_EMAIL), b -> b);
    boolean merged = !anonymous.equals(ann) && omni.identities().resolve(anonymous).orElseThrow().equals(ann);
    say("The cookie now belongs to " + ann + " (her older profile survives; " + anonymous + " is an alias of it)");

    chapter("09:40, app: she opens the app on her phone and finds the cart there");
    clock.advance(Duration.ofMinutes(30));
    event("app", EventType.LOGIN, List.of(ANN_EMAIL, omni.identities().phone("8 (916) 123-45-67"), ANN_DEVICE), b -> b);
    List<String> cartInApp = lines(omni.carts().get(ANN_DEVICE));
    say("The app reads the cart by the phone's device id: " + cartInApp);
    Journeys.Resume resume = omni.journeys().last(ann);
    say("and asks Omni where to resume: last seen in " + resume.channel().orElse("-")
        + ", open cart: " + resume.openCart());
    say("Her phone, typed nationally as 8 (916) 123-45-67, is stored as " + ANN_PHONE.value());

    chapter("12:00, store: she shows her cart as a QR code and the till loads it");
    clock.moveTo(Instant.parse("2026-03-02T12:00:00Z"));
    String token = omni.carts().handoff(ann, Duration.ofMinutes(5));
    HandoffQr qr = HandoffQr.encode(token);
    out.print(qr.toTerminal());
    Path png = qr.writePng(qrFile);
    say("The app shows a single-use hand-off token, signed, good for 5 minutes (also written to " + png + ")");
    List<String> cartAtPos = lines(omni.carts().redeem(token, "pos"));
    say("The POS scans it and loads her cart: " + cartAtPos);
    event("pos", EventType.PAGE_VIEW, List.of(ANN_EMAIL), b -> b.attribute("url", "pos://try-on/" + SNEAKERS.sku()));
    say("She tries the sneakers on and leaves without buying.");

    chapter("13:00: the shop runs its spring promotion, email -> SMS -> Viber");
    clock.moveTo(Instant.parse("2026-03-02T13:00:00Z"));
    CampaignRun promo = omni.campaigns().start(PROMO, ann, "Spring sneakers: 15% off with code");
    say("Campaign run " + promo.id() + " with promo code " + promo.promoCode());
    List<Message> promoMessages = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      List<Message> sent = omni.campaigns().advance(clock.instant());
      sent.forEach(m -> say(stamp() + "  sent by " + m.channel() + " to " + m.to().value() + ": \"" + m.text() + " " + m.promoCode() + "\""));
      promoMessages.addAll(sent);
      if (day < 2) {
        clock.advance(ofDays(1));
        say(stamp() + "  no reaction within the window: the cascade escalates");
      }
    }

    chapter("Wednesday 15:00, call center: Ann calls and buys by phone");
    List<LineKey> favouritesBefore = omni.journeys().favourites(ann, 3);
    clock.moveTo(Instant.parse("2026-03-04T15:00:00Z"));
    event("call-center", EventType.CALL, List.of(ANN_PHONE), b -> b.attribute("topic", "sneakers size"));
    event("call-center", EventType.ORDER, List.of(ANN_PHONE), b -> b
        .attribute("order", "o-2002").line(SNEAKERS, 1).line(SOCKS, 3));
    CampaignRun after = omni.campaigns().run(promo.id());
    say("The order came from the phone " + ANN_PHONE.value() + ": Omni knows it is " + ann);
    List<String> cartAfterOrder = lines(omni.carts().get(ann));
    say("Her cart on every channel after the order: " + cartAfterOrder + " (the phone order took the lines out)");
    say("Promotion " + after.state() + " via " + after.convertedVia().orElse("-")
        + " (the last message before the order): no more steps");

    chapter("The rest of the week: nothing more is sent");
    List<Message> sentAfter = new ArrayList<>();
    for (int day = 0; day < 7; day++) {
      sentAfter.addAll(omni.campaigns().advance(clock.advance(ofDays(1))));
    }
    long abandonedRuns = omni.campaigns().runs(ann).stream().filter(CampaignRun::abandonedCart).count();
    say("Messages sent in the 7 days after the purchase: " + sentAfter.size());
    say("Abandoned-cart reminders for the web cart: " + abandonedRuns
        + " (the phone order took its lines out; without it a reminder would have gone out at "
        + cartLastChanged.plus(ABANDONED_AFTER) + ")");

    chapter("What the shop now knows");
    List<LineKey> favouritesAfter = omni.journeys().favourites(ann, 3);
    say("Favourites before the call: " + favouritesBefore + ", after: " + favouritesAfter);
    List<String> orderChannels = omni.journeys().orders(ann).stream().map(o -> o.channel()).toList();
    say("Orders by channel: " + orderChannels);
    Explanation why = omni.identities().explain(ANN_COOKIE, ANN_PHONE).orElseThrow();
    say("Why is web cookie " + ANN_COOKIE.value() + " the same person as " + ANN_PHONE.value() + "?");
    why.steps().forEach(s -> say("  " + s.at() + "  " + s.channel() + " event " + s.eventId() + " saw " + s.identifiers()));
    List<Touchpoint> journey = omni.journeys().of(ann);
    say("Her journey: " + journey.size() + " touchpoints in " + journey.stream().map(Touchpoint::channel).distinct().toList());

    return new Facts(anonymous, ann, merged, cartInApp, cartAtPos, png, cartAfterOrder, List.copyOf(promoMessages), after.state(),
        after.convertedVia(), List.copyOf(sentAfter), abandonedRuns, favouritesBefore, favouritesAfter,
        orderChannels, why, journey);
  }

  private ProfileId event(String channel, EventType type, Identifier who, UnaryOperator<ChannelEvent.Builder> details) {
    return event(channel, type, List.of(who), details);
  }

  private ProfileId event(String channel, EventType type, List<Identifier> who, UnaryOperator<ChannelEvent.Builder> details) {
    return event(channel, type, clock.instant(), who, details);
  }

  /** Feeds one event of a channel to Omni, as the channel's integration would. */
  private ProfileId event(String channel, EventType type, Instant at, List<Identifier> who,
      UnaryOperator<ChannelEvent.Builder> details) {
    ChannelEvent.Builder builder = ChannelEvent.builder(channel).id("evt-" + (++eventNumber)).at(at)
        .identifiers(who).type(type);
    return omni.ingest(details.apply(builder).build());
  }

  private String stamp() {
    return clock.instant().toString();
  }

  private void chapter(String title) {
    out.println();
    out.println("== " + title);
  }

  private void say(String line) {
    out.println(line);
  }
}
