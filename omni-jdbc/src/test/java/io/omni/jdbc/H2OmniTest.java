package io.omni.jdbc;

/** The seed story through two Omni instances on H2. */
final class H2OmniTest extends OmniOnJdbcContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
