package io.omni.jdbc;

/** The store contract on Postgres, on the shipped schema. */
final class PostgresStoreTest extends JdbcStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
