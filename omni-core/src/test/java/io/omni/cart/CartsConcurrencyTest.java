package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.OmniStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Writers racing on one stored cart: the optimistic version makes every read-and-set count once. */
final class CartsConcurrencyTest {

  @Test
  void concurrent_adds_from_two_omnis_on_one_store_are_none_lost_even_when_one_clock_runs_ahead() throws Exception {
    OmniStore shared = OmniStore.inMemory();
    // eu's clock runs 10 s ahead: us must stamp its writes after what it read, or they would lose
    Omni eu = Omni.builder().store(shared).replicaId("eu-1")
        .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(10))).build();
    Omni us = Omni.builder().store(shared).replicaId("us-1").build();
    ProfileId ann = eu.identities().link("web", Identifier.email("ann@example.com"));
    LineKey sku = LineKey.of("SKU-1");

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Omni omni : List.of(eu, us)) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            omni.carts().add(ann, "web", sku, 1);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(eu.carts().get(ann).quantity(sku)).isEqualTo(600);
    assertThat(us.carts().get(ann)).isEqualTo(eu.carts().get(ann));
  }
}
