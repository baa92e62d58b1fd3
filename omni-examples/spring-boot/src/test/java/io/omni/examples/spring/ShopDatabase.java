package io.omni.examples.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty PostgreSQL schema for one test class, on the server {@code OMNI_TEST_POSTGRES_URL}
 * names (as omni-jdbc's tests). When the server cannot be reached the class is skipped, or fails
 * under {@code CI=true}.
 */
final class ShopDatabase {
  private static final String BASE = env("OMNI_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  final String schema = "omni_shop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private ShopDatabase() {}

  static ShopDatabase create() {
    ShopDatabase db = new ShopDatabase();
    try (Connection c = DriverManager.getConnection(BASE); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + db.schema);
    } catch (SQLException e) {
      String message = "PostgreSQL at " + BASE + " cannot be reached: " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + " (CI=true: database tests must run)", e);
      }
      Assumptions.abort(message);
    }
    return db;
  }

  /** The JDBC URL whose connections work in the fresh schema. */
  String url() {
    return BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  void drop() throws SQLException {
    try (Connection c = DriverManager.getConnection(BASE); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
