package io.omni.jdbc;

/** Core's cart store contract, and the races of a shared database, on MariaDb. */
final class MariaDbCartStoreTest extends JdbcCartStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
