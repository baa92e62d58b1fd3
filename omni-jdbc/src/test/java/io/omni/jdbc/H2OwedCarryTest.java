package io.omni.jdbc;

/** Owed merge carries, repaired by advance, on H2: see {@link OwedCarryContract}. */
final class H2OwedCarryTest extends OwedCarryContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
