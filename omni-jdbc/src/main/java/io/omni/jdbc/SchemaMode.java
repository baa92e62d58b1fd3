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
   * Changes nothing; checks that every table Omni needs exists and fails with {@link
   * OmniStorageException} naming the missing ones. For schemas managed with your own Flyway or
   * Liquibase from the shipped scripts.
   */
  VALIDATE,
  /** Neither creates nor checks anything. */
  NONE
}
