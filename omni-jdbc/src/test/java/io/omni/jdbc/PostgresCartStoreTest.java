package io.omni.jdbc;

/** Core's cart store contract, and the races of a shared database, on Postgres. */
final class PostgresCartStoreTest extends JdbcCartStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
