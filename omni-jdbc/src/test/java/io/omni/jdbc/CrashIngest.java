package io.omni.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import java.util.List;
import java.util.Random;

/**
 * The process {@link CrashTest} kills: links random identifiers on two threads until it is killed.
 * Arguments: the JDBC URL, a seed.
 */
public final class CrashIngest {
  private CrashIngest() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setMaximumPoolSize(3);
    HikariDataSource pool = new HikariDataSource(config);
    Identities ids = Omni.builder().store(JdbcStore.builder(pool).build())
        .identityRules(IdentityRules.relaxed()).build().identities();
    List<Identifier> identifiers = Graph.identifiers("crash", CrashTest.POOL);
    long seed = Long.parseLong(args[1]);
    Thread[] threads = new Thread[2];
    for (int t = 0; t < threads.length; t++) {
      Random random = new Random(seed + t);
      threads[t] = new Thread(() -> {
        while (true) {
          ids.link("pos", Graph.link(random, identifiers).toArray(Identifier[]::new));
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
