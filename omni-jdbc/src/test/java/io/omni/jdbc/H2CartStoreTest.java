package io.omni.jdbc;

/** Core's cart store contract, and the races of a shared database, on H2. */
final class H2CartStoreTest extends JdbcCartStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
