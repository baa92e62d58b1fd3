package io.omni.jdbc;

/** Owed merge carries, repaired by advance, on Postgres: see {@link OwedCarryContract}. */
final class PostgresOwedCarryTest extends OwedCarryContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
