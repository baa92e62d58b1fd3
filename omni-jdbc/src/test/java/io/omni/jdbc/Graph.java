package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileId;
import io.omni.spi.Evidence;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Random link workloads and the checks that a stored graph is whole. */
final class Graph {
  private Graph() {}

  /** A pool of identifiers of every built-in type. */
  static List<Identifier> identifiers(String prefix, int size) {
    List<Identifier> pool = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      switch (i % 4) {
        case 0 -> pool.add(Identifier.email(prefix + i + "@shopmail.com"));
        case 1 -> pool.add(Identifier.cookie(prefix + "-c-" + i));
        case 2 -> pool.add(Identifier.account(prefix + "-a-" + i));
        default -> pool.add(Identifier.device(prefix + "-d-" + i));
      }
    }
    return pool;
  }

  /** A random link: one to three identifiers of the pool. */
  static List<Identifier> link(Random random, List<Identifier> pool) {
    int size = 1 + random.nextInt(3);
    List<Identifier> link = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      link.add(pool.get(random.nextInt(pool.size())));
    }
    return link;
  }

  /** The clusters of these identifiers as the engine resolves them (unknown ones left out). */
  static Set<Set<Identifier>> partition(Identities ids, Collection<Identifier> pool) {
    Map<ProfileId, Set<Identifier>> clusters = new HashMap<>();
    for (Identifier id : new HashSet<>(pool)) {
      ids.resolve(id).ifPresent(p -> clusters.computeIfAbsent(p, k -> new HashSet<>()).add(id));
    }
    return new HashSet<>(clusters.values());
  }

  /** Plain union-find over the links, single-threaded, on the in-memory store: the reference. */
  static Identities reference(List<List<Identifier>> links) {
    Identities ids = Omni.builder().identityRules(IdentityRules.relaxed()).build().identities();
    for (List<Identifier> link : links) {
      ids.link("ref", link.toArray(Identifier[]::new));
    }
    return ids;
  }

  /**
   * Checks, in SQL, that no merge was left half done under relaxed rules: every identifier sits in
   * a live profile, aliases name live survivors, every piece of evidence lies in one cluster, and
   * every live profile's type counts are what counting its identifiers gives.
   */
  static void assertWhole(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      assertThat(count(s, """
          SELECT COUNT(*) FROM omni_identifier i JOIN omni_profile p ON p.id = i.profile
          WHERE p.alias_of IS NOT NULL""")).as("identifiers in alias profiles").isZero();
      assertThat(count(s, """
          SELECT COUNT(*) FROM omni_profile a JOIN omni_profile b ON b.id = a.alias_of
          WHERE b.alias_of IS NOT NULL""")).as("aliases of aliases").isZero();
      assertThat(count(s, """
          SELECT COUNT(*) FROM (SELECT it.seq FROM omni_evidence_item it
            JOIN omni_identifier i ON i.id = it.identifier
            GROUP BY it.seq HAVING COUNT(DISTINCT i.profile) > 1) split""")).as("evidence across clusters").isZero();
      assertThat(count(s, """
          SELECT COUNT(*) FROM omni_evidence e
          WHERE NOT EXISTS (SELECT 1 FROM omni_evidence_item it WHERE it.seq = e.seq)""")).as("evidence without items").isZero();
    }
    SchemaUpgradeTest.assertCountsExact(db);
  }

  /** Replays every stored piece of evidence into the reference and compares the partitions. */
  static void assertMatchesItsEvidence(Identities stored, JdbcStore store, Collection<Identifier> pool) {
    List<List<Identifier>> links = new ArrayList<>();
    store.identities().read(r -> {
      r.forEachEvidence((Evidence e) -> links.add(e.identifiers()));
      return null;
    });
    Set<Set<Identifier>> actual = partition(stored, pool);
    Set<Set<Identifier>> expected = partition(reference(links), pool);
    // forget removes the evidence holding the forgotten identifier; an identifier no other evidence
    // names stays stored, alone
    Set<Identifier> named = new HashSet<>();
    links.forEach(named::addAll);
    for (Identifier id : pool) {
      if (!named.contains(id) && stored.resolve(id).isPresent()) {
        expected.add(Set.of(id));
      }
    }
    Set<Set<Identifier>> onlyStored = new HashSet<>(actual);
    onlyStored.removeAll(expected);
    Set<Set<Identifier>> onlyExpected = new HashSet<>(expected);
    onlyExpected.removeAll(actual);
    assertThat(onlyStored).as("clusters stored that the evidence does not join (evidence joins %s)", onlyExpected)
        .isEmpty();
    assertThat(onlyExpected).isEmpty();
  }

  static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
