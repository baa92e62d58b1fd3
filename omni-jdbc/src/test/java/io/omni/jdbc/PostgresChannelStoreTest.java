package io.omni.jdbc;

/** The event and campaign contract on Postgres, on the shipped schema. */
final class PostgresChannelStoreTest extends JdbcChannelStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
