package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.identity.ProfileId;
import io.omni.spi.CartStore;
import io.omni.spi.StoredCart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cart store contract ({@link CartStoreContract}) on a database, plus what only a shared database has to keep:
 * two instances racing to save one cart or consume one nonce. Each test gets a fresh database.
 */
abstract class JdbcCartStoreContract extends CartStoreContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();



  @Override
  protected CartStore store() {
    return JdbcStore.builder(db.pool(3)).build().carts();
  }

  @Test
  void of_two_instances_saving_over_one_version_exactly_one_wins() throws Exception {
    ProfileId who = ProfileId.of("p-1");
    List<CartStore> instances = List.of(store(), store());
    instances.get(0).compareAndSet(0, new StoredCart(who, CartState.empty(), 1, null, Set.of()));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> saves = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        CartStore store = instances.get(t % 2);
        CartState state = CartState.empty().set(LineKey.of("SKU-" + t), 1, "web", Stamp.of(1000 + t, 0, "n-" + t));
        saves.add(pool.submit(() -> store.compareAndSet(1, new StoredCart(who, state, 2, null, Set.of()))));
      }
      int won = 0;
      for (Future<Boolean> save : saves) {
        won += save.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(instances.get(1).load(who).orElseThrow().version()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_nonce_consumed_on_one_instance_is_refused_on_another() {
    Instant expiry = Instant.parse("2026-11-22T10:05:00Z");
    CartStore one = store();
    CartStore two = store();
    assertThat(one.consumeNonce("n-1", expiry)).isTrue();
    assertThat(two.consumeNonce("n-1", expiry)).isFalse();
    two.purgeNonces(expiry.plusSeconds(1));
    assertThat(one.consumeNonce("n-1", expiry)).as("forgotten once expired").isTrue();
  }

  @Test
  void applied_merges_and_the_survivor_read_back() {
    CartStore store = store();
    ProfileId merged = ProfileId.of("p-2");
    CartState cart = CartState.empty().set(LineKey.of("TSHIRT-9", "red-M").with("giftWrap", "yes"), 3, "pos",
        Stamp.of(1_700_000_000_123L, 7, "pos-1"));
    StoredCart stored = new StoredCart(merged, cart, 1, ProfileId.of("p-1"), Set.of("m-1", "m-2"));
    assertThat(store.compareAndSet(0, stored)).isTrue();
    assertThat(store.load(merged)).contains(stored);
  }
}
