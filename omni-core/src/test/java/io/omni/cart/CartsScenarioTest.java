package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.ClockDriftException;
import io.omni.Omni;
import io.omni.UnknownProfileException;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.spi.OmniStore;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cart as channels see it through the facade: one store shared by replicas with their own clocks. */
final class CartsScenarioTest {
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final LineKey SKU3 = LineKey.of("SKU-3", "red").with("giftWrap", "yes");
  private static final Identifier ANN = Identifier.email("ann@example.com");

  private final TestClock clock = TestClock.at("2026-11-22T10:00:00Z");
  private final Omni omni = Omni.builder().clock(clock).replicaId("eu-1").build();
  private final Carts carts = omni.carts();

  /** An offline replica (a phone, a POS terminal) with its own hybrid clock, skewed from the server's. */
  private HybridClock replica(String id, Duration skew) {
    return HybridClock.of(java.time.Clock.offset(clock, skew), id, Duration.ofMinutes(1));
  }

  @Test
  void web_add_is_seen_by_the_app() {
    carts.add(ANN, "web", SKU1, 2);
    clock.advance(Duration.ofSeconds(1));
    carts.add(ANN, "app", SKU1, 1);

    CartState seenByApp = carts.get(ANN);
    assertThat(seenByApp.quantity(SKU1)).isEqualTo(3);
    assertThat(seenByApp.lines()).singleElement().satisfies(line -> assertThat(line.channel()).isEqualTo("app"));
    ProfileId ann = omni.identities().resolve(ANN).orElseThrow();
    assertThat(carts.get(ann)).isEqualTo(seenByApp);
  }

  @Test
  void an_unknown_identifier_reads_the_empty_cart_without_being_linked() {
    assertThat(carts.get(Identifier.cookie("c-never"))).isEqualTo(CartState.empty());
    assertThat(omni.identities().resolve(Identifier.cookie("c-never"))).isEmpty();
  }

  @Test
  void an_unknown_profile_id_is_refused_by_name() {
    assertThatThrownBy(() -> carts.get(ProfileId.of("p-404")))
        .isInstanceOf(UnknownProfileException.class)
        .hasMessageContaining("p-404");
  }

  @Test
  void set_quantity_is_absolute_and_zero_removes() {
    carts.add(ANN, "web", SKU1, 5);
    carts.setQuantity(ANN, "app", SKU1, 2);
    assertThat(carts.get(ANN).quantity(SKU1)).isEqualTo(2);
    carts.setQuantity(ANN, "app", SKU1, 0);
    assertThat(carts.get(ANN).quantity(SKU1)).isZero();
    assertThat(carts.get(ANN).lines()).isEmpty();
  }

  @Test
  void removal_is_not_undone_by_a_stale_replica() {
    HybridClock phone = replica("phone-1", Duration.ZERO);
    carts.add(ANN, "web", SKU1, 2);
    CartState phoneCopy = carts.get(ANN); // the phone syncs, then goes offline
    phoneCopy = phoneCopy.set(SKU2, 1, "app", phone.now());

    clock.advance(Duration.ofSeconds(5));
    carts.remove(ANN, "web", SKU1);

    CartState merged = carts.sync(ANN, phoneCopy); // the phone comes back with its stale SKU-1
    assertThat(merged.quantity(SKU1)).isZero();
    assertThat(merged.quantity(SKU2)).isEqualTo(1);
    assertThat(phoneCopy.merge(merged)).isEqualTo(merged);
  }

  @Test
  void checkout_on_one_replica_clears_bought_lines_on_a_stale_replica_and_keeps_lines_added_after() {
    HybridClock pos = replica("pos-7", Duration.ofSeconds(-20)); // a terminal whose clock runs 20 s slow
    carts.add(ANN, "web", SKU1, 2);
    carts.add(ANN, "web", SKU2, 1);
    CartState posCopy = carts.get(ANN);
    pos.update(posCopy.latest().orElseThrow());

    clock.advance(Duration.ofSeconds(10));
    Order order = carts.checkout(ANN, "call-center", "order-17");
    assertThat(order.id()).isEqualTo("order-17");
    assertThat(order.channel()).isEqualTo("call-center");
    assertThat(order.lines()).containsExactly(new OrderLine(SKU1, 2), new OrderLine(SKU2, 1));
    assertThat(carts.get(ANN).lines()).isEmpty();

    // meanwhile the offline terminal edits its stale copy, then adds a new line after the checkout
    posCopy = posCopy.set(SKU1, 3, "pos", pos.now());
    clock.advance(Duration.ofSeconds(30));
    posCopy = posCopy.set(SKU3, 1, "pos", pos.now());

    CartState merged = carts.sync(ANN, posCopy);
    assertThat(merged.quantity(SKU1)).isZero();
    assertThat(merged.quantity(SKU2)).isZero();
    assertThat(merged.quantity(SKU3)).isEqualTo(1);
    assertThat(merged.lines()).extracting(CartLine::key).containsExactly(SKU3);
    assertThat(merged.entries()).extracting(CartLine::key).containsExactly(SKU3); // tombstones dropped
  }

  @Test
  void a_replica_that_sends_only_its_changes_since_the_last_sync_converges() {
    HybridClock phone = replica("phone-1", Duration.ZERO);
    carts.add(ANN, "web", SKU1, 2);
    CartState phoneCopy = carts.get(ANN);
    Stamp lastSync = phoneCopy.latest().orElseThrow();
    phone.update(lastSync);
    phoneCopy = phoneCopy.set(SKU2, 3, "app", phone.now()).removed(SKU1, "app", phone.now());
    clock.advance(Duration.ofSeconds(1));
    carts.add(ANN, "web", SKU3, 1);

    CartState delta = phoneCopy.changesSince(lastSync);
    assertThat(delta.entries()).hasSize(2);
    CartState merged = carts.sync(ANN, delta);
    assertThat(merged).isEqualTo(carts.get(ANN)).isEqualTo(phoneCopy.merge(carts.get(ANN)));
    assertThat(merged.lines()).extracting(CartLine::key).containsExactly(SKU2, SKU3);
  }

  @Test
  void checkout_of_an_empty_cart_is_refused() {
    assertThatThrownBy(() -> carts.checkout(ANN, "web", "order-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no lines")
        .hasMessageContaining("order-1");
  }

  @Test
  void a_replica_stamp_more_than_max_drift_ahead_is_refused_and_nothing_of_it_is_kept() {
    carts.add(ANN, "web", SKU1, 1);
    CartState before = carts.get(ANN);
    HybridClock broken = replica("pos-9", Duration.ofMinutes(5));
    CartState remote = before.set(SKU2, 4, "pos", replica("pos-8", Duration.ZERO).now())
        .set(SKU1, 9, "pos", broken.now());

    assertThatThrownBy(() -> carts.sync(ANN, remote))
        .isInstanceOf(ClockDriftException.class)
        .hasMessageContaining("pos-9")
        .hasMessageContaining("maxDrift PT1M")
        .satisfies(e -> assertThat(((ClockDriftException) e).maxDrift()).isEqualTo(Duration.ofMinutes(1)));
    assertThat(carts.get(ANN)).isEqualTo(before);
    // and this replica's clock was not dragged ahead: a local write still lands near real time
    CartState after = carts.add(ANN, "web", SKU1, 1);
    assertThat(after.line(SKU1).orElseThrow().stamp().millis()).isEqualTo(clock.millis());
  }

  @Test
  void a_replica_within_max_drift_is_accepted_and_local_writes_then_order_after_it() {
    carts.add(ANN, "web", SKU1, 1);
    HybridClock fast = replica("pos-3", Duration.ofSeconds(50));
    CartState remote = carts.get(ANN).set(SKU1, 7, "pos", fast.now());
    assertThat(carts.sync(ANN, remote).quantity(SKU1)).isEqualTo(7);
    assertThat(carts.setQuantity(ANN, "web", SKU1, 2).quantity(SKU1)).isEqualTo(2);
  }

  @Test
  void an_order_in_another_channel_takes_its_lines_out_and_keeps_a_line_added_again_after_it() {
    ProfileId ann = omni.identities().link("web", ANN);
    carts.add(ann, "web", SKU1, 1);
    carts.add(ann, "web", SKU2, 2);
    Instant orderedAt = clock.instant();
    clock.advance(Duration.ofSeconds(3));
    carts.add(ann, "web", SKU1, 4); // re-added after the phone order was placed
    assertThat(carts.lastChange(ann)).contains(clock.instant());

    CartState after = carts.ordered(ann, new Order("o-5", ann, "call-center", orderedAt,
        List.of(new OrderLine(SKU1, 1), new OrderLine(SKU2, 2))));
    assertThat(after.quantity(SKU2)).isZero();
    assertThat(after.quantity(SKU1)).isEqualTo(5);
    clock.advance(Duration.ofSeconds(1));
    assertThat(carts.setQuantity(ann, "web", SKU2, 1).quantity(SKU2)).isEqualTo(1);
  }

  @Test
  void last_change_is_empty_for_a_cart_without_lines() {
    ProfileId ann = omni.identities().link("web", ANN);
    assertThat(carts.lastChange(ann)).isEmpty();
    carts.add(ann, "web", SKU1, 1);
    carts.remove(ann, "web", SKU1);
    assertThat(carts.lastChange(ann)).isEmpty();
  }

  @Test
  void two_omnis_sharing_a_store_with_their_own_replica_ids_see_one_cart() {
    OmniStore shared = OmniStore.inMemory();
    Omni eu = Omni.builder().store(shared).clock(clock).replicaId("eu-1").build();
    Omni us = Omni.builder().store(shared).clock(clock).replicaId("us-1").build();
    eu.carts().add(ANN, "web", SKU1, 1);
    us.carts().add(ANN, "app", SKU1, 1);
    assertThat(eu.carts().get(ANN).quantity(SKU1)).isEqualTo(2);
    assertThat(eu.carts().get(ANN).line(SKU1).orElseThrow().stamp().replica()).isEqualTo("us-1");
  }

  @Test
  void writes_are_checked_with_messages_that_name_the_input() {
    assertThatThrownBy(() -> carts.add(ANN, "web", SKU1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, was 0");
    assertThatThrownBy(() -> carts.setQuantity(ANN, "web", SKU1, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
    assertThatThrownBy(() -> carts.add(ANN, " ", SKU1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
  }

  @Test
  void the_merge_policy_is_set_once_on_the_builder() {
    Omni.Builder builder = Omni.builder().cartMergePolicy(CartMergePolicy.SUM);
    assertThatThrownBy(() -> builder.cartMergePolicy(CartMergePolicy.MAX))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cartMergePolicy was already set to SUM");
  }

  @Test
  void a_cart_whose_lines_come_and_go_stays_bounded_past_the_tombstone_horizon() {
    Omni omni = Omni.builder().clock(clock).cartTombstoneHorizon(Duration.ofHours(1)).build();
    omni.carts().add(ANN, "web", SKU1, 1);
    for (int i = 0; i < 2_000; i++) {
      LineKey passing = LineKey.of("SKU-P" + i);
      omni.carts().add(ANN, "web", passing, 1);
      omni.carts().remove(ANN, "web", passing);
      clock.advance(Duration.ofMinutes(1));
    }
    // the line kept from the start holds back the tombstones after it; once it goes, they go too
    omni.carts().remove(ANN, "app", SKU1);
    clock.advance(Duration.ofHours(2));
    CartState cart = omni.carts().add(ANN, "app", SKU2, 1);
    assertThat(cart.entries()).hasSizeLessThan(5);
    assertThat(cart.lines()).extracting(CartLine::key).containsExactly(SKU2);
    // a stale replica's copy from the start brings nothing back
    assertThat(omni.carts().sync(ANN, CartState.empty().set(LineKey.of("SKU-P7"), 1, "pos",
        Stamp.of(cart.clearStamp().orElseThrow().millis() - 1, 0, "pos-1"))).lines()).extracting(CartLine::key)
        .containsExactly(SKU2);
  }
}
