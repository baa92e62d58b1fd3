package io.omni.jdbc;

/** The seed story through two Omni instances on Postgres. */
final class PostgresOmniTest extends OmniOnJdbcContract {
  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }
}
