package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With the guards on, concurrent links on several instances never take a profile past a type's
 * limit: the counts the guards decide on are read under the clusters' locks.
 */
final class ConcurrentGuardsTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void concurrent_links_never_take_a_profile_past_a_limit(Dialect dialect) throws Exception {
    IdentityRules rules = IdentityRules.defaults().limit(IdentifierType.EMAIL, 2);
    try (TestDatabase db = TestDatabase.create(dialect)) {
      List<Identities> instances = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        instances.add(Omni.builder().store(JdbcStore.builder(db.pool(3)).build()).identityRules(rules).build()
            .identities());
      }
      List<Identifier> pool = Graph.identifiers("cg", 120);
      AtomicInteger left = new AtomicInteger(240);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Identities ids = instances.get(t % 2);
        Random random = new Random(100 + t);
        threads.add(new Thread(() -> {
          try {
            while (left.decrementAndGet() >= 0) {
              ids.link("web", Graph.link(random, pool).toArray(Identifier[]::new));
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        assertThat(Graph.count(s, """
            SELECT COUNT(*) FROM (SELECT profile FROM omni_identifier WHERE id_type = 'email'
              GROUP BY profile HAVING COUNT(*) > 2) too_many""")).as("profiles with more than 2 emails").isZero();
        assertThat(Graph.count(s, """
            SELECT COUNT(*) FROM (SELECT profile FROM omni_identifier WHERE id_type = 'account'
              GROUP BY profile HAVING COUNT(*) > 1) too_many""")).as("profiles with more than 1 account").isZero();
        assertThat(Graph.count(s, """
            SELECT COUNT(*) FROM omni_identifier i JOIN omni_profile p ON p.id = i.profile
            WHERE p.alias_of IS NOT NULL""")).as("identifiers in alias profiles").isZero();
        assertThat(Graph.count(s, "SELECT COUNT(*) FROM omni_evidence")).isEqualTo(240);
      }
    }
  }
}
