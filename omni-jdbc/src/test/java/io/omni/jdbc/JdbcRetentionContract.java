package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.campaign.CascadeStep;
import io.omni.identity.ProfileId;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.spi.EventStore;
import io.omni.spi.OmniStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention contract on a database, plus what only a shared database has to keep: instances
 * pruning at once, and version 6 applied again after it was cut short. Each test gets a fresh
 * database.
 */
abstract class JdbcRetentionContract extends RetentionContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();

  @Override
  OmniStore newStore() {
    return JdbcStore.builder(db.pool(3)).build();
  }

  @Test
  void instances_pruning_at_once_share_the_work() throws Exception {
    List<EventStore> instances = List.of(newStore().events(), newStore().events());
    for (int i = 0; i < 200; i++) {
      instances.get(i % 2).markProcessed("evt-" + i, T0.minusSeconds(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Long> one = pool.submit(() -> instances.get(0).pruneProcessed(T0.minusSeconds(49)));
      Future<Long> two = pool.submit(() -> instances.get(1).pruneProcessed(T0.minusSeconds(49)));
      assertThat(one.get() + two.get()).as("marks removed by both").isEqualTo(150);
    } finally {
      pool.shutdownNow();
    }
    assertThat(instances.get(0).processed("evt-49")).isTrue();
    assertThat(instances.get(1).processed("evt-50")).isFalse();
  }

  @Test
  void version_6_cut_short_completes_on_the_next_start() throws Exception {
    newStore();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // as if the instance died after the indexes and before the epoch table
      s.execute("DROP TABLE omni_identity_epoch");
      s.execute("DELETE FROM omni_schema_history WHERE version = 6");
    }
    Identities ids = Omni.builder().store(newStore()).build().identities();
    ids.link("web", Identifier.email("ann@example.com"));
    assertThat(ids.forget(Identifier.email("ann@example.com"))).isTrue();
  }

  @Test
  void runs_that_ended_before_version_10_are_dated_from_their_json_by_the_first_prune() throws Exception {
    Omni omni = Omni.builder().store(newStore()).clock(clock).discoverProviders(false).sender("email", m -> { })
        .campaignRetention(Duration.ofDays(30)).build();
    ProfileId ann = omni.identities().link("web", Identifier.email("ann@example.com"));
    ProfileId bob = omni.identities().link("web", Identifier.email("bob@example.com"));
    Cascade once = Cascade.of(CascadeStep.step("email", Duration.ofHours(24)));
    CampaignRun old = omni.campaigns().start(once, ann, "Spring sale");
    omni.campaigns().advance(clock.instant());
    omni.campaigns().cancel(old.id());
    clock.advance(Duration.ofDays(20));
    CampaignRun recent = omni.campaigns().cancel(omni.campaigns().start(once, bob, "Summer sale").id());
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // what a version-7 store wrote: ended runs, no end time beside them
      assertThat(s.executeUpdate("UPDATE omni_campaign_run SET ended_ms = NULL")).isEqualTo(2);
    }

    assertThat(omni.prune(clock.instant().plus(Duration.ofDays(15))).campaignRuns()).isEqualTo(1);

    assertThat(omni.store().campaigns().find(old.id())).isEmpty();
    assertThat(omni.store().campaigns().outbox(old.id(), 0)).isEmpty();
    assertThat(omni.store().campaigns().find(recent.id())).isPresent();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT ended_ms FROM omni_campaign_run")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).as("dated from its JSON").isEqualTo(recent.endedAt().orElseThrow().toEpochMilli());
      assertThat(rs.next()).isFalse();
    }
  }
}
