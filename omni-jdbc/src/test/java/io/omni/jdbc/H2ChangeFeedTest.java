package io.omni.jdbc;

/** The change feed contract on H2, on the shipped schema. */
final class H2ChangeFeedTest extends JdbcChangeFeedContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
