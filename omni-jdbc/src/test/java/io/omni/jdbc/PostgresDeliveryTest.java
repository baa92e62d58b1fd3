package io.omni.jdbc;

/** Campaign delivery from several instances on one PostgreSQL database. */
final class PostgresDeliveryTest extends JdbcDeliveryContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
