package io.omni.jdbc;

/** An event lands whole on MariaDb: see {@link IngestFaultContract}. */
final class MariaDbIngestFaultTest extends IngestFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
