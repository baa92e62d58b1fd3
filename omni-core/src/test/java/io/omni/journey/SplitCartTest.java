package io.omni.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A split takes its lines with it: when a profile splits, the cart lines that events of the part
 * that left wrote go with that part; lines anything else wrote stay with the profile that kept the
 * id.
 */
final class SplitCartTest {
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier BOB = Identifier.email("bob@example.com");
  private static final Identifier LANDLINE = Identifier.phone("+79161110000"); // a mobile both typed in
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final LineKey SKU3 = LineKey.of("SKU-3");
  private static final LineKey BOTH = LineKey.of("SKU-BOTH");
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false).build();

  private void ingest(String id, int second, EventType type, LineKey sku, int n, Identifier... who) {
    ChannelEvent.Builder b = ChannelEvent.builder("web").id(id).at(T0.plusSeconds(second)).identifiers(who).type(type);
    if (sku != null) {
      b.line(sku, n);
    }
    clock.set(T0.plusSeconds(second));
    omni.ingest(b.build());
  }

  @Test
  void a_split_moves_the_split_off_customers_lines_and_leaves_the_rest() {
    ingest("a1", 0, EventType.CART_ADD, SKU1, 1, ANN);
    ingest("b1", 1, EventType.CART_ADD, SKU2, 2, BOB);
    ingest("a2", 2, EventType.CART_ADD, BOTH, 1, ANN);
    ingest("b2", 3, EventType.CART_ADD, BOTH, 1, BOB);
    ingest("a-phone", 4, EventType.LOGIN, null, 0, ANN, LANDLINE);
    ingest("b-phone", 5, EventType.LOGIN, null, 0, BOB, LANDLINE);       // one profile now, one cart
    ProfileId fused = omni.identities().resolve(ANN).orElseThrow();
    assertThat(omni.identities().resolve(BOB)).contains(fused);
    omni.carts().add(fused, "web", SKU3, 1);                              // through the API: no event names it
    assertThat(omni.carts().get(fused).quantity(SKU2)).isEqualTo(2);

    omni.identities().forget(LANDLINE);                                   // the bridge goes: Ann and Bob split

    ProfileId ann = omni.identities().resolve(ANN).orElseThrow();
    ProfileId bob = omni.identities().resolve(BOB).orElseThrow();
    assertThat(bob).isNotEqualTo(ann);
    assertThat(ann).isEqualTo(fused);                                     // the oldest part keeps the id
    assertThat(omni.carts().get(bob).quantity(SKU2)).as("Bob's own line went with him").isEqualTo(2);
    assertThat(omni.carts().get(ann).quantity(SKU2)).isZero();
    assertThat(omni.carts().get(ann).quantity(SKU1)).isEqualTo(1);
    assertThat(omni.carts().get(ann).quantity(SKU3)).as("an API write is ambiguous: it stays").isEqualTo(1);
    assertThat(omni.carts().get(ann).quantity(BOTH)).as("written by both: ambiguous, stays").isEqualTo(1);
    assertThat(omni.carts().get(bob).quantity(BOTH)).isZero();
    // the moved line keeps the stamp of the event that wrote it
    assertThat(omni.carts().get(bob).line(SKU2).orElseThrow().stamp().millis()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
  }

  @Test
  void a_rebuild_that_splits_moves_lines_too_and_a_second_rebuild_moves_nothing_more() {
    ingest("b1", 1, EventType.CART_ADD, SKU2, 2, BOB);
    ingest("a1", 2, EventType.CART_ADD, SKU1, 1, ANN);
    ingest("a-phone", 4, EventType.LOGIN, null, 0, ANN, LANDLINE);
    ingest("b-phone", 5, EventType.LOGIN, null, 0, BOB, LANDLINE);
    ProfileId fused = omni.identities().resolve(ANN).orElseThrow();

    // stricter rules: a phone may be held by one profile only, so Bob's link of it is dropped
    omni.identities().rebuild(omni.identities().rules().limit(io.omni.identity.IdentifierType.PHONE, 1)
        .limit(io.omni.identity.IdentifierType.EMAIL, 1));
    omni.identities().rebuild();

    ProfileId ann = omni.identities().resolve(ANN).orElseThrow();
    ProfileId bob = omni.identities().resolve(BOB).orElseThrow();
    assertThat(bob).isNotEqualTo(ann);
    boolean annKept = ann.equals(fused);
    ProfileId other = annKept ? bob : ann;
    LineKey ours = annKept ? SKU1 : SKU2;
    LineKey theirs = annKept ? SKU2 : SKU1;
    assertThat(omni.carts().get(fused).quantity(ours)).isEqualTo(annKept ? 1 : 2);
    assertThat(omni.carts().get(other).quantity(theirs)).isEqualTo(annKept ? 2 : 1);
    assertThat(omni.carts().get(fused).quantity(theirs)).isZero();
  }
}
