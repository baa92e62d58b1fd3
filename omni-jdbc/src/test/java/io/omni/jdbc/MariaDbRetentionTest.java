package io.omni.jdbc;

/** The retention contract on MariaDb, on the shipped schema. */
final class MariaDbRetentionTest extends JdbcRetentionContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
