package io.omni.jdbc;

/** Input no database stores is refused on PostgreSQL as in memory, and stores nothing. */
final class PostgresRefusedInputTest extends RefusedInputContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
