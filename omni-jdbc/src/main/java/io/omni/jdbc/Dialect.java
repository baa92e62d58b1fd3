package io.omni.jdbc;

/**
 * The databases {@link JdbcStore} speaks. It is detected from the connection's metadata unless set
 * with {@link JdbcStore.Builder#dialect(Dialect)}. Each one has its own schema scripts, and its own
 * SQL where the databases differ: insert-if-absent, finding a batch of identifiers, reserving
 * profile numbers, bulk inserts (arrays bound as {@code unnest} on PostgreSQL, JDBC batches
 * elsewhere), claiming outbox rows, moving the change feed's counter, and the SQLStates it retries.
 */
public enum Dialect {
  /** PostgreSQL 12 or newer, and databases that speak its protocol. */
  POSTGRESQL,
  /** MariaDB 10.5 or newer, or MySQL 8 (InnoDB). */
  MARIADB,
  /** H2 2.x, for tests and small single-host setups. */
  H2;

  /**
   * The dialect for a database product name as JDBC reports it ({@code
   * DatabaseMetaData.getDatabaseProductName()}).
   *
   * @throws OmniStorageException if Omni has no dialect for it
   */
  public static Dialect forProductName(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(java.util.Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new OmniStorageException("no dialect for database '" + productName
        + "'; Omni supports PostgreSQL, MariaDB/MySQL and H2", null, null);
  }
}
