package io.omni.jdbc;

/** Input no database stores is refused on MariaDB as in memory, and stores nothing. */
final class MariaDbRefusedInputTest extends RefusedInputContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
