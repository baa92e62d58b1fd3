package io.omni.jdbc;

/** Every write other than ingest lands whole on Postgres: see {@link WriteFaultContract}. */
final class PostgresWriteFaultTest extends WriteFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
