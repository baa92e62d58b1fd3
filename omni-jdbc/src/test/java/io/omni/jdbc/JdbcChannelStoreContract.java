package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.campaign.CampaignRun;
import io.omni.cart.LineKey;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import io.omni.spi.OutboxMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event and campaign contract on a database, plus what only a shared database has to keep:
 * two instances racing for one event, one journey or one run. Each test gets a fresh database.
 */
abstract class JdbcChannelStoreContract extends ChannelStoreContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();



  @Override
  OmniStore newStore() {
    return JdbcStore.builder(db.pool(4)).build();
  }

  @Test
  void version_5_on_a_database_holding_copies_of_an_order_and_a_touchpoint_keeps_the_first_of_each()
      throws Exception {
    EventStore events = newStore().events();
    events.appendOrder(ANN, new Order("o-1", ANN, "web", T0, List.of(new OrderLine(LineKey.of("SKU-1"), 1))));
    events.appendTouchpoint(ANN, touchpoint("evt-1", T0, Map.of()));
    // as a database at version 3 could be: the same order id and event id twice, no unique keys
    try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
      String on = dialect() == Dialect.MARIADB ? " ON omni_order" : "";
      s.execute("DROP INDEX omni_order_order_id" + on);
      s.execute("DROP INDEX omni_touchpoint_event_id" + (dialect() == Dialect.MARIADB ? " ON omni_touchpoint" : ""));
      s.execute("DELETE FROM omni_schema_history WHERE version = 5");
      s.execute("INSERT INTO omni_order (profile, seq, order_id, placed_by, channel, at_ms, at_ns)"
          + " VALUES ('p-2', 1, 'o-1', 'p-2', 'pos', 1, 0)");
      s.execute("INSERT INTO omni_order_line (order_ref, pos, sku, variant, attributes, quantity)"
          + " SELECT MAX(id), 0, 'SKU-2', '', '{}', 5 FROM omni_order");
      s.execute("INSERT INTO omni_touchpoint (profile, seq, event_id, channel, event_type, at_ms, at_ns, attributes)"
          + " VALUES ('p-2', 1, 'evt-1', 'web', 'PAGE_VIEW', 1, 0, '{}')");
    }
    EventStore upgraded = newStore().events(); // migrates version 5 again
    assertThat(upgraded.orders(BOB)).isEmpty();
    assertThat(upgraded.touchpoints(BOB)).isEmpty();
    assertThat(upgraded.order("o-1").orElseThrow().lines()).containsExactly(new OrderLine(LineKey.of("SKU-1"), 1));
    assertThat(upgraded.touchpoints(ANN)).extracting(Touchpoint::eventId).containsExactly("evt-1");
    upgraded.appendTouchpoint(BOB, touchpoint("evt-1", T0, Map.of()));
    assertThat(upgraded.touchpoints(BOB)).isEmpty();
  }

  @Test
  void two_instances_racing_for_the_same_events_mark_each_processed_exactly_once() throws Exception {
    List<EventStore> instances = List.of(newStore().events(), newStore().events());
    int events = 40;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> wins = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        EventStore store = instances.get(t % 2);
        wins.add(pool.submit(() -> {
          List<String> won = new ArrayList<>();
          for (int i = 0; i < events; i++) {
            if (store.markProcessed("evt-" + i, T0)) {
              won.add("evt-" + i);
            }
          }
          return won;
        }));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> win : wins) {
        all.addAll(win.get());
      }
      assertThat(all).hasSize(events).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void appends_to_one_profile_from_two_instances_all_land_in_one_journey() throws Exception {
    List<EventStore> instances = List.of(newStore().events(), newStore().events());
    int perThread = 15;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        EventStore store = instances.get(t % 2);
        String thread = "t" + t;
        done.add(pool.submit((Callable<Void>) () -> {
          for (int i = 0; i < perThread; i++) {
            store.appendTouchpoint(ANN, touchpoint(thread + "-" + i, T0, Map.of()));
            if (i % 5 == 0) {
              store.appendOrder(ANN, new Order(thread + "-o" + i, ANN, "web", T0, List.of()));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<Touchpoint> journey = instances.get(0).touchpoints(ANN);
    assertThat(journey).hasSize(4 * perThread);
    Set<String> ids = new HashSet<>();
    journey.forEach(t -> ids.add(t.eventId()));
    assertThat(ids).hasSize(4 * perThread);
    for (int t = 0; t < 4; t++) {
      String prefix = "t" + t + "-";
      // each writer's own appends keep their order
      assertThat(journey.stream().map(Touchpoint::eventId).filter(id -> id.startsWith(prefix)).toList())
          .isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3))));
    }
    assertThat(instances.get(1).orders(ANN)).hasSize(4 * 3);
  }

  @Test
  void a_run_saved_by_one_instance_is_read_and_moved_on_by_another() {
    OmniStore one = newStore();
    OmniStore two = newStore();
    CampaignRun run = run("run-1", ANN, "PROMO-1", CampaignRun.State.RUNNING);
    one.campaigns().save(run);
    assertThat(two.campaigns().byPromoCode("PROMO-1")).contains(run);
    two.campaigns().save(run("run-1", ANN, "PROMO-1", CampaignRun.State.CONVERTED));
    assertThat(one.campaigns().running()).isEmpty();
    assertThat(one.campaigns().byProfile(ProfileId.of("p-1"))).extracting(CampaignRun::state)
        .containsExactly(CampaignRun.State.CONVERTED);
  }

  @Test
  void instances_claiming_at_once_never_hold_one_entry_together() throws Exception {
    List<CampaignStore> instances = List.of(newStore().campaigns(), newStore().campaigns(), newStore().campaigns());
    int entries = 60;
    for (int i = 0; i < entries; i++) {
      instances.get(i % 3).enqueue(due("run-" + i, 0, ANN_EMAIL, S0.plusMillis(i)));
    }
    Instant now = S0.plusSeconds(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<List<String>>> claims = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        CampaignStore store = instances.get(t % 3);
        claims.add(pool.submit(() -> {
          List<String> mine = new ArrayList<>();
          for (List<OutboxMessage> batch; !(batch = store.claim(now, now.plusSeconds(300), 3)).isEmpty(); ) {
            batch.forEach(e -> mine.add(e.key()));
          }
          return mine;
        }));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : claims) {
        all.addAll(f.get());
      }
      assertThat(all).hasSize(entries).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void instances_putting_one_step_in_the_outbox_at_once_put_it_there_once() throws Exception {
    List<CampaignStore> instances = List.of(newStore().campaigns(), newStore().campaigns());
    int steps = 30;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> wins = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        CampaignStore store = instances.get(t % 2);
        wins.add(pool.submit(() -> {
          int won = 0;
          for (int i = 0; i < steps; i++) {
            won += store.enqueue(due("run-1", i, ANN_EMAIL, S0)) ? 1 : 0;
          }
          return won;
        }));
      }
      int total = 0;
      for (Future<Integer> f : wins) {
        total += f.get();
      }
      assertThat(total).isEqualTo(steps);
    } finally {
      pool.shutdownNow();
    }
  }
}
