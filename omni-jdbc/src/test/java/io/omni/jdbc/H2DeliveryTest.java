package io.omni.jdbc;

/** Campaign delivery from several instances on one H2 database. */
final class H2DeliveryTest extends JdbcDeliveryContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
