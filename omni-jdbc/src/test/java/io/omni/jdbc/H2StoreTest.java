package io.omni.jdbc;

/** The store contract on H2, on the shipped schema. */
final class H2StoreTest extends JdbcStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
