package io.omni.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database for each test of a contract, dropped after it: register it as an instance field
 * with {@code @RegisterExtension}. It is created before the test class's {@code @BeforeEach}
 * methods run, so they may use it. When the server cannot be reached the test is skipped, or fails
 * under {@code CI=true} (see {@link TestDatabase}).
 */
final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {
  private final Supplier<Dialect> dialect;
  private TestDatabase db;

  /** @param dialect which database, asked before each test (a subclass's {@code dialect()}) */
  FreshDatabase(Supplier<Dialect> dialect) {
    this.dialect = dialect;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    db = TestDatabase.create(dialect.get());
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    if (db != null) { // null when the server could not be reached and the test was skipped
      db.close();
      db = null;
    }
  }

  /** A new connection pool on this test's database. */
  HikariDataSource pool(int size) {
    return db.pool(size);
  }

  /** A plain connection to this test's database. */
  Connection connect() throws SQLException {
    return db.connect();
  }
}
