package io.omni.jdbc;

/** Campaign delivery from several instances on one MariaDB database. */
final class MariaDbDeliveryTest extends JdbcDeliveryContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
