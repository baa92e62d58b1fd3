package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.cart.CartState;
import io.omni.cart.CartStatus;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.identity.ProfileId;
import io.omni.spi.CartStore;
import io.omni.spi.StoredCart;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CartStore} must do, whatever it stores in: subclassed for the in-memory
 * reference store and per database. It lives here, not in omni-core's tests, with the other store
 * contracts: omni-core's test classes are not visible to this module (their packages belong to
 * the named module {@code io.omni}).
 *
 * <p>A store only stores — versions and compare-and-set, nonces once — and the tests check
 * nothing more.
 */
abstract class CartStoreContract {
  private static final ProfileId P1 = ProfileId.of("p-1");
  private static final ProfileId P2 = ProfileId.of("p-2");
  private static final CartState CART = CartState.empty().set(LineKey.of("SKU-1"), 2, "web", Stamp.of(1000, 0, "eu-1"));

  /** A new, empty store. */
  protected abstract CartStore store();

  @Test
  void an_unknown_profile_has_no_cart() {
    assertThat(store().load(P1)).isEmpty();
  }

  @Test
  void holding_names_the_profiles_that_have_a_cart() {
    CartStore store = store();
    store.compareAndSet(0, new StoredCart(P2, CART, 1, null, Set.of()));
    assertThat(store.holding(java.util.List.of(P1, P2))).containsExactly(P2);
    assertThat(store.holding(java.util.List.of())).isEmpty();
  }

  @Test
  void the_first_save_expects_version_0_and_a_second_first_save_loses() {
    CartStore store = store();
    assertThat(store.compareAndSet(0, new StoredCart(P1, CART, 1, null, Set.of()))).isTrue();
    assertThat(store.compareAndSet(0, new StoredCart(P1, CartState.empty(), 1, null, Set.of()))).isFalse();
    assertThat(store.load(P1)).contains(new StoredCart(P1, CART, 1, null, Set.of()));
  }

  @Test
  void a_save_over_a_stale_version_loses_and_changes_nothing() {
    CartStore store = store();
    store.compareAndSet(0, new StoredCart(P1, CartState.empty(), 1, null, Set.of()));
    assertThat(store.compareAndSet(1, new StoredCart(P1, CART, 2, null, Set.of("p-3")))).isTrue();
    assertThat(store.compareAndSet(1, new StoredCart(P1, CartState.empty(), 2, null, Set.of()))).isFalse();
    StoredCart stored = store.load(P1).orElseThrow();
    assertThat(stored.state()).isEqualTo(CART);
    assertThat(stored.version()).isEqualTo(2);
    assertThat(stored.appliedMerges()).containsExactly("p-3");
  }

  @Test
  void a_merged_cart_keeps_its_survivor() {
    CartStore store = store();
    store.compareAndSet(0, new StoredCart(P2, CART, 1, P1, Set.of()));
    StoredCart stored = store.load(P2).orElseThrow();
    assertThat(stored.status()).isEqualTo(CartStatus.MERGED);
    assertThat(stored.survivor()).contains(P1);
  }

  @Test
  void a_version_that_does_not_follow_the_expected_one_is_refused() {
    assertThatThrownBy(() -> store().compareAndSet(0, new StoredCart(P1, CART, 5, null, Set.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 1");
  }

  @Test
  void a_nonce_is_consumed_once() {
    CartStore store = store();
    Instant expiry = Instant.parse("2026-11-22T10:05:00Z");
    assertThat(store.consumeNonce("n-1", expiry)).isTrue();
    assertThat(store.consumeNonce("n-1", expiry)).isFalse();
    assertThat(store.consumeNonce("n-2", expiry)).isTrue();
  }

  @Test
  void purging_forgets_only_nonces_that_expired_before_the_instant() {
    CartStore store = store();
    store.consumeNonce("old", Instant.parse("2026-11-22T10:00:00Z"));
    store.consumeNonce("new", Instant.parse("2026-11-22T11:00:00Z"));
    store.purgeNonces(Instant.parse("2026-11-22T10:30:00Z"));
    assertThat(store.consumeNonce("new", Instant.parse("2026-11-22T11:00:00Z"))).isFalse();
  }
}
