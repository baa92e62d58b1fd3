package io.omni.jdbc;

/** The seed story through two Omni instances on MariaDb. */
final class MariaDbOmniTest extends OmniOnJdbcContract {
  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }
}
