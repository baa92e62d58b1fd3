package io.omni.internal.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.CartStatus;
import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An anonymous visitor fills a cart on the web, then logs in to an account that has a cart of its
 * own: the identity merge folds the two carts by the configured policy.
 */
final class CartIdentityMergeTest {
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final LineKey SKU3 = LineKey.of("SKU-3");
  private static final Identifier COOKIE = Identifier.cookie("c-81");
  private static final Identifier EMAIL = Identifier.email("ann@example.com");

  private final TestClock clock = TestClock.at("2026-11-22T10:00:00Z");
  private final List<MergeEvent> merges = new ArrayList<>();

  private Omni omni(CartMergePolicy policy) {
    Omni omni = Omni.builder().clock(clock).cartMergePolicy(policy).build();
    omni.identities().onMerge(merges::add);
    return omni;
  }

  /**
   * The account cart: SKU-1 ×1, SKU-2 ×1 (then SKU-3 removed); later the anonymous cart: SKU-1 ×3,
   * SKU-3 ×2; then the login that joins cookie and email.
   */
  private MergeEvent anonymousCartMeetsAccountCartAtLogin(Omni omni) {
    omni.carts().add(EMAIL, "app", SKU1, 1);
    omni.carts().add(EMAIL, "app", SKU2, 1);
    omni.carts().add(EMAIL, "app", SKU3, 1);
    omni.carts().remove(EMAIL, "app", SKU3);
    clock.advance(Duration.ofMinutes(1));
    omni.carts().add(COOKIE, "web", SKU1, 3);
    omni.carts().add(COOKIE, "web", SKU3, 2);
    clock.advance(Duration.ofMinutes(1));
    omni.identities().link("web", COOKIE, EMAIL);
    assertThat(merges).hasSize(1);
    return merges.get(0);
  }

  @Test
  void max_keeps_the_larger_quantity_of_a_line_in_both_carts() {
    Omni omni = omni(CartMergePolicy.MAX);
    anonymousCartMeetsAccountCartAtLogin(omni);
    CartState cart = omni.carts().get(EMAIL);
    assertThat(cart.quantity(SKU1)).isEqualTo(3);
    assertThat(cart.quantity(SKU2)).isEqualTo(1);
    assertThat(cart.quantity(SKU3)).isEqualTo(2);
    assertThat(omni.carts().get(COOKIE)).isEqualTo(cart);
  }

  @Test
  void max_is_the_default_policy() {
    Omni omni = Omni.builder().clock(clock).build();
    omni.identities().onMerge(merges::add);
    anonymousCartMeetsAccountCartAtLogin(omni);
    assertThat(omni.carts().get(EMAIL).quantity(SKU1)).isEqualTo(3);
  }

  @Test
  void sum_adds_the_quantities_of_a_line_in_both_carts() {
    Omni omni = omni(CartMergePolicy.SUM);
    anonymousCartMeetsAccountCartAtLogin(omni);
    CartState cart = omni.carts().get(COOKIE);
    assertThat(cart.quantity(SKU1)).isEqualTo(4);
    assertThat(cart.quantity(SKU2)).isEqualTo(1);
    assertThat(cart.quantity(SKU3)).isEqualTo(2);
  }

  @Test
  void sum_replayed_twice_does_not_double() {
    Omni omni = omni(CartMergePolicy.SUM);
    MergeEvent login = anonymousCartMeetsAccountCartAtLogin(omni);
    CartsEngine engine = (CartsEngine) omni.carts();

    engine.onIdentityMerge(login);
    engine.onIdentityMerge(login);

    assertThat(omni.carts().get(EMAIL).quantity(SKU1)).isEqualTo(4);
    assertThat(omni.carts().get(EMAIL).quantity(SKU3)).isEqualTo(2);
  }

  @Test
  void latest_takes_whichever_cart_wrote_the_line_last_a_removal_included() {
    Omni omni = omni(CartMergePolicy.LATEST);
    clock.advance(Duration.ZERO);
    omni.carts().add(COOKIE, "web", SKU2, 5); // the anonymous SKU-2 is older than the account's
    clock.advance(Duration.ofSeconds(1));
    anonymousCartMeetsAccountCartAtLogin(omni);
    CartState cart = omni.carts().get(EMAIL);
    assertThat(cart.quantity(SKU1)).isEqualTo(3);  // anonymous wrote it last
    assertThat(cart.quantity(SKU2)).isEqualTo(1);  // the account wrote it last
    assertThat(cart.quantity(SKU3)).isEqualTo(2);  // the anonymous add came after the account's removal
  }

  @Test
  void keep_survivor_keeps_the_survivors_cart_as_it_was() {
    Omni omni = omni(CartMergePolicy.KEEP_SURVIVOR);
    omni.carts().add(EMAIL, "app", SKU1, 1);
    ProfileId account = omni.identities().resolve(EMAIL).orElseThrow();
    CartState before = omni.carts().get(account);
    clock.advance(Duration.ofMinutes(1));
    omni.carts().add(COOKIE, "web", SKU2, 3);
    omni.identities().link("web", COOKIE, EMAIL);

    MergeEvent login = merges.get(0);
    assertThat(login.survivor()).isEqualTo(account);
    assertThat(omni.carts().get(COOKIE)).isEqualTo(before);
  }

  @Test
  void the_merged_profiles_cart_is_marked_merged_and_reads_and_writes_through_to_the_survivor() {
    Omni omni = omni(CartMergePolicy.MAX);
    MergeEvent login = anonymousCartMeetsAccountCartAtLogin(omni);

    assertThat(omni.carts().status(login.merged())).isEqualTo(CartStatus.MERGED);
    assertThat(omni.carts().status(login.survivor())).isEqualTo(CartStatus.ACTIVE);
    assertThat(omni.carts().get(login.merged())).isEqualTo(omni.carts().get(login.survivor()));

    omni.carts().add(login.merged(), "pos", SKU2, 1);
    assertThat(omni.carts().get(login.survivor()).quantity(SKU2)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(CartMergePolicy.class)
  void every_policy_converges_with_a_replica_that_synced_before_the_merge(CartMergePolicy policy) {
    Omni omni = omni(policy);
    omni.carts().add(EMAIL, "app", SKU1, 1);
    CartState phone = omni.carts().get(EMAIL);
    clock.advance(Duration.ofMinutes(1));
    omni.carts().add(COOKIE, "web", SKU1, 2);
    omni.identities().link("web", COOKIE, EMAIL);

    CartState merged = omni.carts().sync(EMAIL, phone);
    assertThat(phone.merge(merged)).isEqualTo(merged);
    assertThat(omni.carts().get(COOKIE)).isEqualTo(merged);
  }
}
