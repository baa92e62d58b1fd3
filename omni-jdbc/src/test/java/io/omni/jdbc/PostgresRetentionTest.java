package io.omni.jdbc;

/** The retention contract on Postgres, on the shipped schema. */
final class PostgresRetentionTest extends JdbcRetentionContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
