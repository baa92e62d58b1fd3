/**
 * Omni's storage on JDBC: PostgreSQL, MariaDB/MySQL and H2, shared by many application instances.
 * Start at {@link io.omni.jdbc.JdbcStore}.
 */
module io.omni.jdbc {
  requires transitive io.omni;   // JdbcStore is an OmniStore; OmniStorageException an OmniException
  requires transitive java.sql;  // JdbcStore.builder(DataSource); OmniStorageException wraps SQLException
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  requires com.fasterxml.jackson.databind;

  exports io.omni.jdbc;
}
