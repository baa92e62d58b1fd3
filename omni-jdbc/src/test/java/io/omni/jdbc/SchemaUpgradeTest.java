package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.Link;
import io.omni.identity.ProfileId;
import io.omni.jdbc.internal.Migrator;
import io.omni.jdbc.internal.SqlDialect;
import io.omni.spi.Evidence;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upgrade to version 9 ({@code V009__type_counts.sql}) of a database that holds a graph, and
 * the type counts that version keeps: exact after links, merges, conflicts, forgets and a rebuild.
 *
 * <p>The version-7 database is made by this code and taken back: its rows in the tables of versions
 * 1–7 are the rows a version-7 Omni writes (version 9 changes no other table's rows), so the test
 * links through the API at version 9, then drops what version 9 added (the counts table; on
 * PostgreSQL and MariaDB it puts back the foreign keys version 9 drops) and forgets version 9 in the
 * history. The upgrade must backfill the counts, give every answer it gave before, and link on
 * exactly as a database that never left version 9.
 */
final class SchemaUpgradeTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_populated_version_7_database_upgrades_with_the_same_answers_and_links_on(Dialect dialect) throws Exception {
    try (TestDatabase upgraded = TestDatabase.create(dialect); TestDatabase reference = TestDatabase.create(dialect)) {
      List<Identifier> pool = Graph.identifiers("up", 160);
      List<Link> links = links(new Random(11), pool, 400);
      Omni old = Omni.builder().store(JdbcStore.builder(upgraded.pool(3)).build()).build();
      Omni ref = Omni.builder().store(JdbcStore.builder(reference.pool(3)).build()).build();
      for (Omni omni : List.of(old, ref)) {
        ingest(omni.identities(), links.subList(0, 300));
        omni.identities().forget(pool.get(5));
      }

      backToVersion7(upgraded, dialect);
      try (Connection c = upgraded.connect()) {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
          List<String> tables = new ArrayList<>();
          while (rs.next()) {
            tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
          }
          assertThat(tables).contains("omni_identifier").doesNotContain("omni_type_count");
        }
        assertThat(foreignKeys(c, dialect)).isEqualTo(dialect == Dialect.H2 ? -1 : 3);
      }
      assertThat(new Migrator(upgraded.pool(2), SqlDialect.of(dialect), 7).migrate()).isEmpty();
      assertThat(new Migrator(upgraded.pool(2), SqlDialect.of(dialect)).migrate()).containsExactly(9);
      try (Connection c = upgraded.connect()) {
        assertThat(foreignKeys(c, dialect)).isEqualTo(dialect == Dialect.H2 ? -1 : 0);
      }
      assertCountsExact(upgraded);

      JdbcStore after = JdbcStore.builder(upgraded.pool(3)).schemaMode(SchemaMode.VALIDATE).build();
      Identities ids = Omni.builder().store(after).build().identities();
      JdbcStore refStore = JdbcStore.builder(reference.pool(2)).schemaMode(SchemaMode.VALIDATE).build();
      Identities refIds = Omni.builder().store(refStore).build().identities();
      assertThat(answers(ids, after, pool)).isEqualTo(answers(refIds, refStore, pool));

      ingest(ids, links.subList(300, 400));
      ingest(refIds, links.subList(300, 400));
      assertThat(answers(ids, after, pool)).isEqualTo(answers(refIds, refStore, pool));
      assertCountsExact(upgraded);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void type_counts_stay_exact_through_merges_conflicts_forgets_and_a_rebuild(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Identifier> pool = Graph.identifiers("tc", 120);
      Identities ids = Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).build().identities();
      List<Link> links = links(new Random(5), pool, 300);
      ingest(ids, links.subList(0, 200));
      assertCountsExact(db);
      for (int k = 0; k < 6; k++) {
        ids.forget(pool.get(7 * k));
      }
      assertCountsExact(db);
      ids.rebuild(io.omni.identity.IdentityRules.relaxed()); // re-forms every cluster: reassign
      assertCountsExact(db);
      ids.rebuild(io.omni.identity.IdentityRules.defaults()); // splits them again
      assertCountsExact(db);
      ingest(ids, links.subList(200, 300));
      assertCountsExact(db);
    }
  }

  /** Links with event ids over the pool: singles, pairs and triples, some merging clusters. */
  static List<Link> links(Random random, List<Identifier> pool, int n) {
    List<Link> links = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      links.add(new Link("up-" + k, k % 3 == 0 ? "web" : "store", T0.plusSeconds(k), Graph.link(random, pool)));
    }
    return links;
  }

  /** Half one link per transaction, half in batches of 25. */
  static void ingest(Identities ids, List<Link> links) {
    int half = links.size() / 2;
    for (Link link : links.subList(0, half)) {
      ids.link(link.eventId(), link.channel(), link.at(), link.identifiers());
    }
    for (int from = half; from < links.size(); from += 25) {
      ids.linkAll(links.subList(from, Math.min(links.size(), from + 25)));
    }
  }

  /** Every answer a reader can get: resolutions, profiles, explanations, evidence and stats. */
  static List<Object> answers(Identities ids, JdbcStore store, List<Identifier> pool) {
    Map<Identifier, Object> resolved = new LinkedHashMap<>();
    Map<ProfileId, Object> profiles = new LinkedHashMap<>();
    for (Identifier id : pool) {
      resolved.put(id, ids.resolve(id));
      ids.resolve(id).ifPresent(p -> profiles.computeIfAbsent(p, ids::profile));
    }
    Map<String, Object> explained = new HashMap<>();
    for (int k = 0; k + 1 < pool.size(); k += 3) {
      explained.put(k + "", ids.explain(pool.get(k), pool.get(k + 1)));
    }
    List<Evidence> evidence = new ArrayList<>();
    store.identities().read(r -> {
      r.forEachEvidence(evidence::add);
      return null;
    });
    return List.of(resolved, profiles, explained, evidence, ids.stats());
  }

  /** The counts table holds exactly what counting the identifiers gives (rows of 0 aside). */
  static void assertCountsExact(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      Map<String, Long> kept = counts(s, "SELECT profile, id_type, n FROM omni_type_count WHERE n <> 0");
      Map<String, Long> counted = counts(s, "SELECT profile, id_type, COUNT(*) FROM omni_identifier GROUP BY profile, id_type");
      assertThat(kept).isEqualTo(counted);
    }
  }

  private static Map<String, Long> counts(Statement s, String sql) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        counts.put(rs.getLong(1) + "/" + rs.getString(2), rs.getLong(3));
      }
    }
    return counts;
  }

  /** Undoes version 9 as a version-7 database had it. */
  static void backToVersion7(TestDatabase db, Dialect dialect) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE omni_type_count");
      String suffix = dialect == Dialect.POSTGRESQL ? "_fkey" : "_fk";
      if (dialect != Dialect.H2) { // H2 keeps them in version 9
        s.execute("ALTER TABLE omni_evidence_item ADD CONSTRAINT omni_evidence_item_seq" + suffix
            + " FOREIGN KEY (seq) REFERENCES omni_evidence (seq)");
        s.execute("ALTER TABLE omni_evidence_item ADD CONSTRAINT omni_evidence_item_identifier" + suffix
            + " FOREIGN KEY (identifier) REFERENCES omni_identifier (id)");
        s.execute("ALTER TABLE omni_identifier ADD CONSTRAINT omni_identifier_profile" + suffix
            + " FOREIGN KEY (profile) REFERENCES omni_profile (id)");
      }
      s.execute("DELETE FROM omni_schema_history WHERE version = 9");
    }
  }

  /** The foreign keys of the evidence items and identifiers (PostgreSQL, MariaDB), or -1 on H2. */
  private static long foreignKeys(Connection c, Dialect dialect) throws SQLException {
    if (dialect == Dialect.H2) {
      return -1;
    }
    int n = 0;
    for (String table : List.of("omni_evidence_item", "omni_identifier")) {
      try (ResultSet rs = c.getMetaData().getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
        while (rs.next()) {
          n++;
        }
      }
    }
    return n;
  }
}
