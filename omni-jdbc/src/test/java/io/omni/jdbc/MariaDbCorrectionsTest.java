package io.omni.jdbc;

/** The corrections contract on MariaDb, on the shipped schema. */
final class MariaDbCorrectionsTest extends JdbcCorrectionsContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
