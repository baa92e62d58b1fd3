package io.omni.jdbc;

/**
 * What {@link JdbcStore.Builder#build()} does with the database schema.
 *
 * <pre>{@code
 * JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build(); // your Flyway ran the scripts
 * }</pre>
 */
public enum SchemaMode {
  /**
   * Applies the shipped migrations that are missing, recording each in {@code omni_schema_history}
   * under the lock row of {@code omni_schema_lock}, so that instances starting together migrate
   * once. The default.
   */
  CREATE,
  /**
   * Changes nothing; checks that every table and column the shipped scripts create exists (read
   * from the database's metadata) and, where {@code omni_schema_history} or Flyway's {@code
   * flyway_schema_history} records Omni's scripts, that every version is recorded. Fails with
   * {@link OmniStorageException} naming what is missing, the scripts that make it and their
   * location ({@code classpath:io/omni/jdbc/schema/postgresql}, {@code …/mariadb}, {@code …/h2}).
   * For schemas managed with your own Flyway or Liquibase from the shipped scripts.
   */
  VALIDATE,
  /** Neither creates nor checks anything. */
  NONE
}
