package io.omni.jdbc;

/** An event lands whole on Postgres: see {@link IngestFaultContract}. */
final class PostgresIngestFaultTest extends IngestFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
