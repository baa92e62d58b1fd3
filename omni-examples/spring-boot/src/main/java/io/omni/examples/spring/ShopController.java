package io.omni.examples.spring;

import static io.omni.campaign.CascadeStep.step;

import io.omni.Omni;
import io.omni.OmniException;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.campaign.CascadeStep;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's API over Omni: events from every channel, profiles, the cart with hand-off to the
 * till, orders, the journey, campaigns. Values travel in OmniModule's JSON form.
 */
@RestController
class ShopController {
  private final Omni omni;
  private final Clock clock;
  private final SentMessages gateways;
  private final JdbcClient jdbc;

  ShopController(Omni omni, Clock clock, SentMessages gateways, JdbcClient jdbc) {
    this.omni = omni;
    this.clock = clock;
    this.gateways = gateways;
    this.jdbc = jdbc;
  }

  /** An event from a channel: {@code {"id":"evt-1","type":"CART_ADD","identifiers":[…],"lines":[…]}}. */
  record EventRequest(String id, Instant at, EventType type, List<Identifier> identifiers,
      Map<String, String> attributes, List<Line> lines) {}

  /** A cart or order line: a line key and a quantity. */
  record Line(LineKey key, int quantity) {}

  record ProfileAnswer(ProfileId profile) {}

  @PostMapping("/events/{channel}")
  ProfileAnswer ingest(@PathVariable String channel, @RequestBody EventRequest request) {
    ChannelEvent.Builder event = ChannelEvent.builder(channel).id(request.id())
        .at(request.at() != null ? request.at() : clock.instant()).type(request.type())
        .identifiers(request.identifiers().toArray(Identifier[]::new));
    if (request.attributes() != null) {
      request.attributes().forEach(event::attribute);
    }
    if (request.lines() != null) {
      request.lines().forEach(line -> event.line(line.key(), line.quantity()));
    }
    return new ProfileAnswer(omni.ingest(event.build()));
  }

  @PostMapping("/profiles/resolve")
  ResponseEntity<ProfileAnswer> resolve(@RequestBody Identifier identifier) {
    return ResponseEntity.of(omni.identities().resolve(identifier).map(ProfileAnswer::new));
  }

  @GetMapping("/profiles/{profile}")
  io.omni.identity.Profile profile(@PathVariable String profile) {
    return omni.identities().profile(ProfileId.of(profile));
  }

  /**
   * What a customer sees of a cart: its live lines, each with what it holds now. The CRDT state
   * itself ({@code CartState} in {@code OmniModule}'s form, tombstones and additions included) is
   * what a replica syncs, at {@code /profiles/{profile}/cart/state}.
   */
  record CartView(List<ViewLine> lines) {
    static CartView of(CartState state) {
      return new CartView(state.lines().stream().map(l -> new ViewLine(l.key().sku(), l.key().variant(),
          l.key().attributes(), l.quantity(), l.channel())).toList());
    }
  }

  /** A live line: its key's fields, the quantity, the channel that wrote it last. */
  record ViewLine(String sku, String variant, Map<String, String> attributes, int quantity, String channel) {}

  @GetMapping("/profiles/{profile}/cart")
  CartView cart(@PathVariable String profile) {
    return CartView.of(omni.carts().get(ProfileId.of(profile)));
  }

  @GetMapping("/profiles/{profile}/cart/state")
  CartState cartState(@PathVariable String profile) {
    return omni.carts().get(ProfileId.of(profile));
  }

  record CartAdd(String channel, LineKey key, int quantity) {}

  @PostMapping("/profiles/{profile}/cart")
  CartView add(@PathVariable String profile, @RequestBody CartAdd add) {
    return CartView.of(omni.carts().add(ProfileId.of(profile), add.channel(), add.key(), add.quantity()));
  }

  record Handoff(String token) {}

  /** A signed, single-use token for the till's QR code. */
  @PostMapping("/profiles/{profile}/cart/handoff")
  Handoff handoff(@PathVariable String profile) {
    return new Handoff(omni.carts().handoff(ProfileId.of(profile), Duration.ofMinutes(5)));
  }

  record Redeem(String token, String channel) {}

  @PostMapping("/cart/redeem")
  CartView redeem(@RequestBody Redeem redeem) {
    return CartView.of(omni.carts().redeem(redeem.token(), redeem.channel()));
  }

  record Checkout(String channel, String orderId) {}

  @PostMapping("/profiles/{profile}/checkout")
  Order checkout(@PathVariable String profile, @RequestBody Checkout checkout) {
    return omni.carts().checkout(ProfileId.of(profile), checkout.channel(), checkout.orderId());
  }

  @GetMapping("/profiles/{profile}/orders")
  List<Order> orders(@PathVariable String profile) {
    return omni.journeys().orders(ProfileId.of(profile));
  }

  @GetMapping("/profiles/{profile}/journey")
  List<Touchpoint> journey(@PathVariable String profile) {
    return omni.journeys().of(ProfileId.of(profile));
  }

  record Favourite(String sku, String name) {}

  /** The customer's most bought products, named from the shop's own table. */
  @GetMapping("/profiles/{profile}/favourites")
  List<Favourite> favourites(@PathVariable String profile) {
    return omni.journeys().favourites(ProfileId.of(profile), 3).stream()
        .map(key -> new Favourite(key.sku(), jdbc.sql("SELECT name FROM shop_product WHERE sku = ?")
            .param(key.sku()).query(String.class).optional().orElse(key.sku())))
        .toList();
  }

  record CampaignRequest(String profile, String text, List<String> channels, Duration window) {}

  /** A cascade over the channels in the order given, each waited on for the window. */
  @PostMapping("/campaigns")
  CampaignRun start(@RequestBody CampaignRequest request) {
    Cascade cascade = Cascade.of(request.channels().stream().map(c -> step(c, request.window()))
        .toArray(CascadeStep[]::new));
    return omni.campaigns().start(cascade, ProfileId.of(request.profile()), request.text());
  }

  @GetMapping("/campaigns/{run}")
  CampaignRun run(@PathVariable String run) {
    return omni.campaigns().run(run);
  }

  @GetMapping("/messages")
  List<Message> messages() {
    return gateways.all();
  }

  record Problem(String error, String message) {}

  /** Omni's typed exceptions name the input and the rule it broke: a 400 with that message. */
  @ExceptionHandler({OmniException.class, IllegalArgumentException.class})
  ResponseEntity<Problem> refused(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(new Problem(e.getClass().getSimpleName(), e.getMessage()));
  }
}
