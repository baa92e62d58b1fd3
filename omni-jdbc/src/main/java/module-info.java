/**
 * Omni's storage on JDBC: PostgreSQL, MariaDB/MySQL and H2, shared by many application instances.
 * Start at {@link io.omni.jdbc.JdbcStore}.
 */
module io.omni.jdbc {
  requires io.omni;
  requires java.sql;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  requires com.fasterxml.jackson.databind;

  exports io.omni.jdbc;
}
