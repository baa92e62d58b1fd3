package io.omni.jdbc;

/** The change feed contract on MariaDb, on the shipped schema. */
final class MariaDbChangeFeedTest extends JdbcChangeFeedContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
