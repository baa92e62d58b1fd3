package io.omni.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database (a PostgreSQL schema, a MariaDB database, an H2 in-memory database) for
 * one test, dropped by {@link #close()}. Where PostgreSQL and MariaDB live comes from {@code
 * OMNI_TEST_POSTGRES_URL} and {@code OMNI_TEST_MARIADB_URL}; when one cannot be reached the test is
 * skipped, or fails under {@code CI=true}.
 */
abstract class TestDatabase implements AutoCloseable {
  static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB_DEFAULT = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";

  final String name = "omni_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final List<HikariDataSource> pools = new ArrayList<>();

  /** The JDBC URL of the fresh database. */
  abstract String url();

  abstract Dialect dialect();

  abstract void drop() throws SQLException;

  /** A new connection pool on the fresh database. */
  HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName(name + "-" + pools.size());
    config.setConnectionTimeout(20_000);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  @Override
  public void close() throws SQLException {
    for (HikariDataSource pool : pools) {
      pool.close();
    }
    drop();
  }

  @Override
  public String toString() {
    return dialect() + " " + name;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Skips the test when the server is down, or fails it under CI=true. */
  static Connection admin(String url, String what) {
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      String message = what + " at " + url + " cannot be reached: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + " (CI=true: database tests must run)", e);
      }
      Assumptions.abort(message);
      throw new AssertionError(message);
    }
  }

  static void execute(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static TestDatabase create(Dialect dialect) {
    switch (dialect) {
      case POSTGRESQL:
        return new Postgres();
      case MARIADB:
        return new MariaDb();
      default:
        return new H2();
    }
  }

  static final class Postgres extends TestDatabase {
    private final String base = env("OMNI_TEST_POSTGRES_URL", POSTGRES_DEFAULT);

    Postgres() {
      try (Connection c = admin(base, "PostgreSQL"); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + name);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    String url() {
      return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    Dialect dialect() {
      return Dialect.POSTGRESQL;
    }

    @Override
    void drop() throws SQLException {
      execute(base, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  static final class MariaDb extends TestDatabase {
    private final String base = env("OMNI_TEST_MARIADB_URL", MARIADB_DEFAULT);

    MariaDb() {
      try (Connection c = admin(base, "MariaDB"); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    String url() {
      int slash = base.indexOf('/', base.indexOf("//") + 2);
      int query = base.indexOf('?', slash);
      return base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    }

    @Override
    Dialect dialect() {
      return Dialect.MARIADB;
    }

    @Override
    void drop() throws SQLException {
      execute(base, "DROP DATABASE IF EXISTS " + name);
    }
  }

  static final class H2 extends TestDatabase {
    @Override
    String url() {
      return "jdbc:h2:mem:" + name.toLowerCase(Locale.ROOT) + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=5000";
    }

    @Override
    Dialect dialect() {
      return Dialect.H2;
    }

    @Override
    void drop() throws SQLException {
      execute(url(), "SHUTDOWN");
    }
  }
}
