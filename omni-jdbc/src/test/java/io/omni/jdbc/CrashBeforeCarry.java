package io.omni.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import java.util.List;

/**
 * The process {@link CrashTest} lets die between a merge's commit and its carrying: an anonymous
 * visitor fills a cart, a known customer has her own, and the visitor logs in; the merge commits,
 * and the JVM halts (no shutdown hooks, as a kill) at the carrying's first statement. Arguments:
 * the JDBC URL.
 */
public final class CrashBeforeCarry {
  static final Identifier ANN = Identifier.email("crash-ann@example.com");
  static final Identifier COOKIE = Identifier.cookie("crash-visitor");
  static final LineKey SKU = LineKey.of("SKU-CRASH");

  private CrashBeforeCarry() {}

  public static void main(String[] args) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setMaximumPoolSize(2);
    CountingDataSource dying = new CountingDataSource(new HikariDataSource(config));
    boolean[] carrying = {false};
    dying.beforeStatement = sql -> {
      if (carrying[0] && sql.contains(CountingDataSource.CARRYING_STARTS)) {
        Runtime.getRuntime().halt(137); // the merge has committed; its carrying never starts
      }
    };
    Omni omni = Omni.builder().store(JdbcStore.builder(dying.dataSource).build()).build();
    omni.carts().add(ANN, "web", SKU, 1);
    omni.carts().add(COOKIE, "web", LineKey.of("SKU-VISITOR"), 2);
    carrying[0] = true;
    omni.identities().link("crash-login", "web", null, List.of(COOKIE, ANN));
    System.exit(3); // not reached: the carrying halts the JVM
  }
}
