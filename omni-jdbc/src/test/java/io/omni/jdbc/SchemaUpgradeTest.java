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
 * The upgrades to version 9 ({@code V009__type_counts.sql}) and version 11 ({@code
 * V011__profile_type_counts.sql}) of a database that holds a graph, and the type counts those
 * versions keep (since 11 in {@code omni_profile.type_counts}): exact after links, merges,
 * conflicts, forgets, corrections and rebuilds.
 *
 * <p>The old databases are made by this code and taken back: their rows in the other tables are the
 * rows an old Omni writes (versions 9 and 11 change no other table's rows), so the tests link
 * through the API at the latest version, then undo what the later versions added and forget them in
 * the history. Version 7: no counts at all (on PostgreSQL and MariaDB with the foreign keys version 9
 * drops). Version 10: the counts in version 9's {@code omni_type_count}, as version 10 kept them
 * (rows of 0 after a forget), no column. An upgrade must backfill the counts, give every answer it
 * gave before, and link on exactly as a database that never left the latest version.
 */
final class SchemaUpgradeTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final java.time.Clock CLOCK = java.time.Clock.fixed(T0.plusSeconds(86_400), java.time.ZoneOffset.UTC);

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
      assertThat(new Migrator(upgraded.pool(2), SqlDialect.of(dialect)).migrate()).containsExactly(9, 11);
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

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_populated_version_10_database_upgrades_with_its_counts_in_the_profile_rows(Dialect dialect) throws Exception {
    try (TestDatabase upgraded = TestDatabase.create(dialect); TestDatabase reference = TestDatabase.create(dialect)) {
      List<Identifier> pool = withCustomTypes(Graph.identifiers("ten", 140));
      List<Link> links = links(new Random(23), pool, 360);
      for (TestDatabase db : List.of(upgraded, reference)) {
        // a fixed clock: a rebuild dates the profiles it makes by it
        Identities ids = Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).clock(CLOCK).build().identities();
        ingest(ids, links.subList(0, 240));
        mix(ids, pool, new Random(29), 30);
      }
      assertCountsExact(upgraded);

      backToVersion10(upgraded, dialect);
      try (Connection c = upgraded.connect(); Statement s = c.createStatement()) {
        assertThat(columnsOf(c, "omni_profile")).contains("alias_of").doesNotContain("type_counts");
        assertThat(counts(s, "SELECT profile, id_type, n FROM omni_type_count WHERE n = 0")).as("rows of 0").isNotEmpty();
      }
      assertThat(new Migrator(upgraded.pool(2), SqlDialect.of(dialect)).migrate()).containsExactly(11);
      assertThat(new Migrator(upgraded.pool(2), SqlDialect.of(dialect)).migrate()).isEmpty();
      try (Connection c = upgraded.connect()) {
        assertThat(JdbcStoreContract.tables(c)).contains("omni_profile").doesNotContain("omni_type_count");
      }
      assertCountsExact(upgraded);
      // run again as it is (a migration cut off before its history row, or Flyway after the
      // migrator), it changes nothing: no counts table to backfill from, the column and index there
      Map<String, Long> backfilled = profileCounts(upgraded);
      runAgain(upgraded, dialect, 11);
      assertThat(profileCounts(upgraded)).isEqualTo(backfilled);
      assertCountsExact(upgraded);
      assertLocksReadTheCounts(JdbcStore.builder(upgraded.pool(2)).build(), upgraded);
      if (dialect == Dialect.POSTGRESQL) {
        assertThat(aliasIndexes(upgraded)).containsExactly(
            "CREATE INDEX omni_profile_aliases ON omni_profile USING btree (alias_of) WHERE (alias_of IS NOT NULL)");
      }

      // the guards read the counts: every answer, and every later link under the default limits, as
      // on a database that never left version 11
      JdbcStore after = JdbcStore.builder(upgraded.pool(3)).schemaMode(SchemaMode.VALIDATE).build();
      Identities ids = Omni.builder().store(after).clock(CLOCK).build().identities();
      JdbcStore refStore = JdbcStore.builder(reference.pool(2)).schemaMode(SchemaMode.VALIDATE).build();
      Identities refIds = Omni.builder().store(refStore).clock(CLOCK).build().identities();
      assertThat(answers(ids, after, pool)).isEqualTo(answers(refIds, refStore, pool));
      ingest(ids, links.subList(240, 360));
      ingest(refIds, links.subList(240, 360));
      assertThat(answers(ids, after, pool)).isEqualTo(answers(refIds, refStore, pool));
      assertCountsExact(upgraded);
    }
  }

  /**
   * Version 13 ({@code V013__owed_carries.sql}) on a populated version-12 database: the upgrade adds
   * the table of owed merge carries and changes no answer; the merges made before it owe nothing
   * (they were carried, as version 12 did); a merge made after it, whose carrying fails and is never
   * retried, is noted and carried by {@code advance}; and the script run again changes nothing.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_populated_version_12_database_upgrades_and_owes_the_carries_of_later_merges(Dialect dialect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Identifier> pool = Graph.identifiers("twelve", 100);
      JdbcStore before = JdbcStore.builder(db.pool(3)).build();
      Omni old = Omni.builder().store(before).clock(CLOCK).build();
      ingest(old.identities(), links(new Random(31), pool, 200));
      io.omni.cart.LineKey sku = io.omni.cart.LineKey.of("SKU-12");
      Identifier ann = Identifier.email("twelve-ann@example.com");
      Identifier cookie = Identifier.cookie("twelve-cookie");
      old.carts().add(ann, "web", sku, 1);
      old.carts().add(cookie, "web", sku, 2);
      List<Object> answered = answers(old.identities(), before, pool);

      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE omni_owed_carry");
        s.execute("DELETE FROM omni_schema_history WHERE version = 13");
        assertThat(JdbcStoreContract.tables(c)).contains("omni_profile").doesNotContain("omni_owed_carry");
      }
      assertThat(new Migrator(db.pool(2), SqlDialect.of(dialect)).migrate()).containsExactly(13);
      assertThat(new Migrator(db.pool(2), SqlDialect.of(dialect)).migrate()).isEmpty();
      runAgain(db, dialect, 13);
      JdbcStore after = JdbcStore.builder(db.pool(3)).schemaMode(SchemaMode.VALIDATE).build();
      Omni upgraded = Omni.builder().store(after).clock(CLOCK).build();
      assertThat(answers(upgraded.identities(), after, pool)).isEqualTo(answered);
      assertThat(after.identities().owedCarries(CLOCK.instant().plusSeconds(3_600), 10)).isEmpty();

      // a login whose carrying fails at its first question, never retried
      Omni login = Omni.builder().store(JdbcStore.builder(CountingDataSource.droppingEveryCarrying(db.pool(2)))
          .schemaMode(SchemaMode.VALIDATE).build()).clock(CLOCK).build();
      try {
        login.identities().link("twelve-login", "web", CLOCK.instant().plusSeconds(1), List.of(cookie, ann));
      } catch (RuntimeException e) {
        assertThat(e).hasMessageContaining("injected");
      }
      ProfileId p = upgraded.identities().resolve(ann).orElseThrow();
      assertThat(upgraded.identities().resolve(cookie)).contains(p);
      assertThat(upgraded.carts().get(p).quantity(sku)).as("before the sweep").isEqualTo(1);
      assertThat(after.identities().owedCarries(CLOCK.instant().plusSeconds(3_600), 10)).hasSize(1);
      upgraded.campaigns().advance(CLOCK.instant().plusSeconds(120));
      assertThat(upgraded.carts().get(p).quantity(sku)).as("after the sweep").isEqualTo(2);
      assertThat(after.identities().owedCarries(CLOCK.instant().plusSeconds(3_600), 10)).isEmpty();
    }
  }

  /**
   * A random mix of every write that changes type counts — links one at a time and in batches,
   * merges, forgets, separations, joins, withdrawals, rebuilds — checked against a recount of the
   * identifiers after each step: a writer that forgets the column fails it.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void type_counts_stay_exact_through_a_random_mix_of_every_write(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Identifier> pool = withCustomTypes(Graph.identifiers("mx", 90));
      JdbcStore store = JdbcStore.builder(db.pool(3)).build();
      Identities ids = Omni.builder().store(store).build().identities();
      ingest(ids, links(new Random(3), pool, 120));
      assertCountsExact(db);
      Random random = new Random(41);
      for (int round = 0; round < 4; round++) {
        mix(ids, pool, random, 10, () -> assertCountsExact(db));
        assertLocksReadTheCounts(store, db);
      }
    }
  }

  /** The pool with identifiers of two custom types, whose names hold '-' and '_'. */
  static List<Identifier> withCustomTypes(List<Identifier> pool) {
    List<Identifier> all = new ArrayList<>(pool);
    io.omni.identity.IdentifierType handle = io.omni.identity.IdentifierType.of("tg-handle");
    io.omni.identity.IdentifierType member = io.omni.identity.IdentifierType.of("tg_member-2");
    for (int i = 0; i < pool.size() / 4; i++) {
      all.add(Identifier.of(i % 2 == 0 ? handle : member, "@h" + i));
    }
    return all;
  }

  /** A check that may throw. */
  interface Check {
    void run() throws Exception;
  }

  static void mix(Identities ids, List<Identifier> pool, Random random, int steps) throws Exception {
    mix(ids, pool, random, steps, () -> { });
  }

  /** Random writes of every kind that changes type counts, {@code check} after each. */
  static void mix(Identities ids, List<Identifier> pool, Random random, int steps, Check check) throws Exception {
    List<Long> corrections = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      Identifier a = pool.get(random.nextInt(pool.size()));
      Identifier b = pool.get(random.nextInt(pool.size()));
      switch (random.nextInt(8)) {
        case 0 -> ids.link("mix-" + random.nextLong(), "web", T0.plusSeconds(step), List.of(a, b));
        case 1 -> ids.linkAll(List.of(
            new Link("mix-" + random.nextLong(), "app", T0.plusSeconds(step), List.of(a, b)),
            new Link("mix-" + random.nextLong(), "app", T0.plusSeconds(step), Graph.link(random, pool)),
            new Link("mix-" + random.nextLong(), "app", T0.plusSeconds(step), Graph.link(random, pool))));
        case 2 -> ids.forget(a);
        case 3, 4 -> {
          if (!a.equals(b) && ids.resolve(a).isPresent() && ids.resolve(b).isPresent()) {
            try {
              corrections.add((step % 2 == 0 ? ids.separate(a, b, "ops", "two people")
                  : ids.join(a, b, "ops", "one person")).id());
            } catch (io.omni.CorrectionConflictException blocked) {
              // an active correction of the other kind holds them: nothing is stored
            }
          }
        }
        case 5 -> {
          if (!corrections.isEmpty()) {
            try {
              ids.withdraw(corrections.remove(random.nextInt(corrections.size())), "ops");
            } catch (io.omni.UnknownCorrectionException dropped) {
              // a forget dropped it
            }
          }
        }
        case 6 -> ids.rebuild(random.nextBoolean() ? io.omni.identity.IdentityRules.relaxed()
            : io.omni.identity.IdentityRules.defaults());
        default -> ids.link("mix-" + random.nextLong(), "store", T0.plusSeconds(step), Graph.link(random, pool));
      }
      check.run();
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

  /**
   * The profile rows hold exactly what counting the identifiers gives, in the text version 11
   * defines (read here apart from the store's own reader); a profile merged away holds none.
   */
  static void assertCountsExact(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      Map<String, Long> kept = new HashMap<>();
      List<String> texts = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT id, type_counts FROM omni_profile WHERE alias_of IS NULL")) {
        while (rs.next()) {
          String text = rs.getString(2);
          if (text != null) {
            texts.add(text);
            for (String pair : text.split(",", -1)) {
              String[] typeAndCount = pair.split("=", -1);
              assertThat(typeAndCount).as("a pair of %s", text).hasSize(2);
              assertThat(kept.put(rs.getLong(1) + "/" + typeAndCount[0], Long.parseLong(typeAndCount[1])))
                  .as("a type named twice in %s", text).isNull();
            }
          }
        }
      }
      assertThat(kept.values()).as("counts of 0 are left out").doesNotContain(0L);
      assertThat(texts).as("types in name order").allSatisfy(text ->
          assertThat(java.util.Arrays.stream(text.split(",")).map(p -> p.substring(0, p.indexOf('='))).toList())
              .isSorted());
      Map<String, Long> counted = counts(s, "SELECT profile, id_type, COUNT(*) FROM omni_identifier GROUP BY profile, id_type");
      assertThat(kept).isEqualTo(counted);
      try (ResultSet rs = s.executeQuery(
          "SELECT COUNT(*) FROM omni_profile WHERE alias_of IS NOT NULL AND type_counts IS NOT NULL")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("aliases holding type counts").isZero();
      }
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

  /**
   * What a writer's lock reads and {@code typeCounts} answers, for every live profile, is what
   * counting its identifiers gives.
   */
  static void assertLocksReadTheCounts(JdbcStore store, TestDatabase db) throws SQLException {
    Map<Long, Map<String, Long>> counted = new HashMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      counts(s, "SELECT profile, id_type, COUNT(*) FROM omni_identifier GROUP BY profile, id_type").forEach((key, n) -> {
        String[] profileAndType = key.split("/");
        counted.computeIfAbsent(Long.parseLong(profileAndType[0]), k -> new HashMap<>()).put(profileAndType[1], n);
      });
    }
    counted.forEach((profile, byType) -> {
      int[] answered = store.identities().write(tx -> {
        tx.lock(new long[] {profile}, 1);
        return tx.typeCounts(profile);
      });
      Map<String, Long> read = new HashMap<>();
      for (int o = 0; o < answered.length; o++) {
        if (answered[o] != 0) {
          read.put(io.omni.identity.IdentifierType.ofOrdinal(o).name(), (long) answered[o]);
        }
      }
      assertThat(read).as("the counts of profile %s", profile).isEqualTo(byType);
    });
  }

  /**
   * Undoes version 11 as a version-10 database had it: the counts in {@code omni_type_count} as
   * version 10 kept them (a row of 0 is left after a forget: one for each profile that holds no
   * phone here), no column, and on PostgreSQL the full index on {@code alias_of}.
   */
  static void backToVersion10(TestDatabase db, Dialect dialect) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(Migrator.statements(Migrator.script(SqlDialect.of(dialect), Migrator.MIGRATIONS.get(8))).get(0));
      s.execute("INSERT INTO omni_type_count (profile, id_type, n) SELECT profile, id_type, COUNT(*) FROM omni_identifier"
          + " GROUP BY profile, id_type");
      s.execute("INSERT INTO omni_type_count (profile, id_type, n) SELECT DISTINCT profile, 'phone', 0 FROM omni_identifier"
          + " WHERE profile NOT IN (SELECT profile FROM omni_identifier WHERE id_type = 'phone')");
      dropVersion11(s, dialect);
    }
  }

  private static void dropVersion11(Statement s, Dialect dialect) throws SQLException {
    s.execute("ALTER TABLE omni_profile DROP COLUMN type_counts");
    if (dialect == Dialect.POSTGRESQL) {
      s.execute("DROP INDEX omni_profile_aliases");
      s.execute("CREATE INDEX omni_profile_alias_of ON omni_profile (alias_of)");
    }
    s.execute("DELETE FROM omni_schema_history WHERE version = 11");
  }

  /** Every profile's type_counts column as it is, NULL as "null". */
  private static Map<String, Long> profileCounts(TestDatabase db) throws SQLException {
    Map<String, Long> texts = new HashMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, type_counts FROM omni_profile")) {
      while (rs.next()) {
        texts.merge(rs.getLong(1) + "/" + rs.getString(2), 1L, Long::sum);
      }
    }
    return texts;
  }

  private static List<String> columnsOf(Connection c, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
          columns.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    return columns;
  }

  /** The definitions of the indexes on omni_profile.alias_of (PostgreSQL). */
  private static List<String> aliasIndexes(TestDatabase db) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'omni_profile'"
        + " AND indexdef LIKE '%alias_of%'")) {
      while (rs.next()) {
        found.add(rs.getString(1).replaceFirst(" ON \\S+\\.omni_profile ", " ON omni_profile "));
      }
    }
    return found;
  }

  /**
   * Runs the script of one version again by hand, as a migration cut off before its history row
   * or Flyway after the migrator would: each statement succeeds or meets what exists already.
   */
  private static void runAgain(TestDatabase db, Dialect dialect, int version) throws SQLException {
    SqlDialect sql = SqlDialect.of(dialect);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String statement : Migrator.statements(Migrator.script(sql, Migrator.MIGRATIONS.get(version - 1)))) {
        try {
          s.execute(statement);
        } catch (SQLException e) {
          assertThat(sql.existsAlready(e)).as("%s: %s", statement, e.getMessage()).isTrue();
        }
      }
    }
  }

  /** Undoes versions 11 and 9 as a version-7 database had it. */
  static void backToVersion7(TestDatabase db, Dialect dialect) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      dropVersion11(s, dialect);
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
