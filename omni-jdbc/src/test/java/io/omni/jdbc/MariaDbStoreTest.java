package io.omni.jdbc;

/** The store contract on MariaDb, on the shipped schema. */
final class MariaDbStoreTest extends JdbcStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
