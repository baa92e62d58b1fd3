package io.omni.jdbc;

/** The change feed contract on Postgres, on the shipped schema. */
final class PostgresChangeFeedTest extends JdbcChangeFeedContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
