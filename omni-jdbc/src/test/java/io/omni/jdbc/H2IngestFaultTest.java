package io.omni.jdbc;

/** An event lands whole on H2: see {@link IngestFaultContract}. */
final class H2IngestFaultTest extends IngestFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
