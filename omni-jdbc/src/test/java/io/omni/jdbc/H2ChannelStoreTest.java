package io.omni.jdbc;

/** The event and campaign contract on H2, on the shipped schema. */
final class H2ChannelStoreTest extends JdbcChannelStoreContract {
  @Override
  Dialect dialect() {
    return Dialect.H2;
  }
}
