package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A separate JVM ingesting into the database is killed with SIGKILL mid-run. Afterwards no merge
 * is half done, the clusters are exactly what the committed evidence joins, and a new instance
 * carries on. (H2 is left out: its in-memory database cannot be shared with another process.)
 */
final class CrashTest {
  static final int POOL = 160;
  private static final long EVIDENCE_BEFORE_KILL = 150;

  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
  void a_process_killed_mid_ingest_leaves_a_whole_graph_and_a_new_instance_carries_on(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      JdbcStore.builder(db.pool(2)).build(); // schema first, so the child only ingests
      Path log = Path.of("target", "crash-" + dialect.name().toLowerCase(java.util.Locale.ROOT) + ".log");
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          CrashIngest.class.getName(), db.url(), "11")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (evidence(db) < EVIDENCE_BEFORE_KILL) {
          assertThat(child.isAlive()).as("the ingesting JVM is running (see %s)", log).isTrue();
          assertThat(System.nanoTime()).as("the ingesting JVM made progress").isLessThan(deadline);
          Thread.sleep(50);
        }
      } finally {
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, transactions cut mid-flight
        child.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(child.isAlive()).isFalse();

      Graph.assertWhole(db);
      JdbcStore store = JdbcStore.builder(db.pool(3)).cacheSize(0).build();
      Identities ids = Omni.builder().store(store).identityRules(IdentityRules.relaxed()).build().identities();
      List<Identifier> pool = Graph.identifiers("crash", POOL);
      Graph.assertMatchesItsEvidence(ids, store, pool);

      long before = ids.stats().evidence();
      Random random = new Random(99);
      for (int i = 0; i < 40; i++) {
        ids.link("web", Graph.link(random, pool).toArray(Identifier[]::new));
      }
      assertThat(ids.stats().evidence()).isEqualTo(before + 40);
      Graph.assertWhole(db);
      Graph.assertMatchesItsEvidence(ids, store, pool);
    }
  }

  /**
   * The case that matters most in production: the process dies after a merge committed and before
   * its carrying to the other stores (the visitor's cart into the customer's). The merge was noted
   * as owed in its own transaction, so another instance's {@code advance}, past the grace period,
   * carries it.
   */
  @ParameterizedTest
  @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
  void a_process_killed_between_a_merge_and_its_carrying_leaves_it_owed_and_advance_carries_it(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      JdbcStore.builder(db.pool(2)).build();
      Path log = Path.of("target", "crash-before-carry-" + dialect.name().toLowerCase(java.util.Locale.ROOT) + ".log");
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          CrashBeforeCarry.class.getName(), db.url())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the JVM died (see %s)", log).isTrue();
      assertThat(child.exitValue()).as("halted at the carrying (see %s)", log).isEqualTo(137);

      Omni omni = Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).build();
      io.omni.identity.ProfileId ann = omni.identities().resolve(CrashBeforeCarry.ANN).orElseThrow();
      assertThat(omni.identities().resolve(CrashBeforeCarry.COOKIE)).as("the merge committed").contains(ann);
      assertThat(omni.carts().get(ann).quantity(io.omni.cart.LineKey.of("SKU-VISITOR"))).as("not carried").isZero();
      java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofMinutes(2));
      assertThat(omni.store().identities().owedCarries(later, 10)).as("owed").hasSize(1);

      omni.campaigns().advance(later);
      assertThat(omni.carts().get(ann).quantity(io.omni.cart.LineKey.of("SKU-VISITOR"))).isEqualTo(2);
      assertThat(omni.carts().get(ann).quantity(CrashBeforeCarry.SKU)).isEqualTo(1);
      assertThat(omni.store().identities().owedCarries(later, 10)).as("owed after advance").isEmpty();
    }
  }

  private static long evidence(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      return Graph.count(s, "SELECT COUNT(*) FROM omni_evidence");
    }
  }

}
