package io.omni.jdbc;

/** The retention contract on H2, on the shipped schema. */
final class H2RetentionTest extends JdbcRetentionContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
