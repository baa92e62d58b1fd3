package io.omni.jdbc;

/** The event and campaign contract on MariaDb, on the shipped schema. */
final class MariaDbChannelStoreTest extends JdbcChannelStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
