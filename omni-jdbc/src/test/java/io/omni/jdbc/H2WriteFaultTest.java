package io.omni.jdbc;

/** Every write other than ingest lands whole on H2: see {@link WriteFaultContract}. */
final class H2WriteFaultTest extends WriteFaultContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
