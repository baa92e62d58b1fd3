package io.omni.jdbc;

/** The corrections contract on H2, on the shipped schema. */
final class H2CorrectionsTest extends JdbcCorrectionsContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
