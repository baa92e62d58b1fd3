package io.omni.jdbc;

/** The corrections contract on Postgres, on the shipped schema. */
final class PostgresCorrectionsTest extends JdbcCorrectionsContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
