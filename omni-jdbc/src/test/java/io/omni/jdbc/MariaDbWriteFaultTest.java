package io.omni.jdbc;

/** Every write other than ingest lands whole on MariaDb: see {@link WriteFaultContract}. */
final class MariaDbWriteFaultTest extends WriteFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
