package io.omni.jdbc;

/** Owed merge carries, repaired by advance, on MariaDb: see {@link OwedCarryContract}. */
final class MariaDbOwedCarryTest extends OwedCarryContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
