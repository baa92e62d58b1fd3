package io.omni.jdbc;

/** Input no database stores is refused on H2 as in memory, and stores nothing. */
final class H2RefusedInputTest extends RefusedInputContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
