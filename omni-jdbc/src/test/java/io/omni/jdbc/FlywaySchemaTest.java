package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.jdbc.internal.Migrator;
import io.omni.jdbc.internal.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped scripts as a shop runs them with its own Flyway: each database's folder is a Flyway
 * location as it is, Flyway applies every version, and {@link SchemaMode#VALIDATE} accepts the
 * result — and refuses one that lacks a column or a version, saying what to run and where.
 */
final class FlywaySchemaTest {

  private static Flyway flyway(DataSource dataSource, Dialect dialect, String target) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(Migrator.location(SqlDialect.of(dialect)))
        .target(target)
        .load();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void flyway_applies_the_shipped_scripts_and_validate_accepts_them(Dialect dialect) throws SQLException {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      DataSource dataSource = db.pool(2);
      MigrateResult result = flyway(dataSource, dialect, "latest").migrate();

      assertThat(result.migrationsExecuted).isEqualTo(Migrator.MIGRATIONS.size());
      assertThat(result.targetSchemaVersion)
          .isEqualTo(String.format("%03d", Migrator.MIGRATIONS.get(Migrator.MIGRATIONS.size() - 1).version()));
      Omni omni = Omni.builder()
          .store(JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build())
          .build();
      ProfileId ann = omni.identities().link("web", Identifier.email("ann@example.com"));
      omni.carts().add(ann, "web", LineKey.of("SKU-1"), 2);
      assertThat(omni.carts().get(ann).quantity(LineKey.of("SKU-1"))).isEqualTo(2);
      assertThat(flyway(dataSource, dialect, "latest").validateWithResult().validationSuccessful).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void validate_names_a_missing_column_and_the_location_of_its_script(Dialect dialect) throws SQLException {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      DataSource dataSource = db.pool(2);
      flyway(dataSource, dialect, "latest").migrate();
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE omni_cart DROP COLUMN applied_merges");
      }

      assertThatThrownBy(() -> JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build())
          .isInstanceOf(OmniStorageException.class)
          .hasMessageContaining("column omni_cart.applied_merges (V003__carts.sql) is missing")
          .hasMessageContaining("classpath:io/omni/jdbc/schema/" + SqlDialect.of(dialect).schemaFolder())
          .hasMessageNotContaining("V001__identity.sql");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void validate_names_the_versions_flyway_has_not_applied(Dialect dialect) throws SQLException {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      DataSource dataSource = db.pool(2);
      flyway(dataSource, dialect, "2").migrate();

      assertThatThrownBy(() -> JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build())
          .isInstanceOf(OmniStorageException.class)
          .hasMessageContaining("is not at version " + Migrator.MIGRATIONS.get(Migrator.MIGRATIONS.size() - 1).version())
          .hasMessageContaining("version 3 (V003__carts.sql) is not recorded as applied")
          .hasMessageContaining("table omni_cart (V003__carts.sql) is missing")
          .hasMessageContaining("Run [V003__carts.sql, ")
          .hasMessageContaining("] from classpath:io/omni/jdbc/schema/" + SqlDialect.of(dialect).schemaFolder());

      flyway(dataSource, dialect, "latest").migrate();
      assertThat(JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build().schemaMode())
          .isEqualTo(SchemaMode.VALIDATE);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void omni_creating_its_schema_after_flyway_applies_nothing_twice(Dialect dialect) throws SQLException {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      DataSource dataSource = db.pool(2);
      flyway(dataSource, dialect, "latest").migrate();
      // CREATE on a Flyway-made schema re-runs the idempotent scripts under its own history
      JdbcStore.builder(dataSource).build();
      JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build();
      assertThat(flyway(dataSource, dialect, "latest").validateWithResult().validationSuccessful).isTrue();
    }
  }
}
