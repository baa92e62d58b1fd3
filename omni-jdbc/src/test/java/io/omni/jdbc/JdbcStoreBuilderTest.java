package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.identity.Identifier;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The builder checks each setting when it is given, naming the setting and the value. */
final class JdbcStoreBuilderTest {
  private static final DataSource NEVER_USED = urlDataSource("jdbc:h2:mem:never");

  /** A data source that opens a plain connection to the URL each time. */
  static DataSource urlDataSource(String url) {
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (self, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return java.sql.DriverManager.getConnection(url);
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void nulls_are_refused_with_the_setting_named() {
    assertThatThrownBy(() -> JdbcStore.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("dataSource");
    JdbcStore.Builder builder = JdbcStore.builder(NEVER_USED);
    assertThatThrownBy(() -> builder.dialect(null)).isInstanceOf(NullPointerException.class).hasMessage("dialect");
    assertThatThrownBy(() -> builder.schemaMode(null)).isInstanceOf(NullPointerException.class).hasMessage("schemaMode");
    assertThatThrownBy(() -> builder.cacheExpiry(null)).isInstanceOf(NullPointerException.class).hasMessage("cacheExpiry");
    assertThatThrownBy(() -> builder.erasureCheckInterval(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("erasureCheckInterval");
  }

  @Test
  void out_of_range_values_are_refused_with_the_value_named() {
    JdbcStore.Builder builder = JdbcStore.builder(NEVER_USED);
    assertThatThrownBy(() -> builder.cacheSize(-1)).hasMessage("cacheSize must not be negative, was -1");
    assertThatThrownBy(() -> builder.cacheExpiry(Duration.ZERO)).hasMessage("cacheExpiry must be positive, was PT0S");
    assertThatThrownBy(() -> builder.maxAttempts(0)).hasMessage("maxAttempts must be 1 to 1000, was 0");
    assertThatThrownBy(() -> builder.erasureCheckInterval(Duration.ofMillis(-1)))
        .hasMessage("erasureCheckInterval must not be negative, was PT-0.001S");
  }

  @Test
  void a_setting_may_be_given_once() {
    JdbcStore.Builder builder = JdbcStore.builder(NEVER_USED).dialect(Dialect.H2).cacheSize(5);
    assertThatThrownBy(() -> builder.dialect(Dialect.POSTGRESQL)).isInstanceOf(IllegalStateException.class)
        .hasMessage("dialect was already set to H2");
    assertThatThrownBy(() -> builder.cacheSize(6)).hasMessage("cacheSize was already set to 5");
    builder.erasureCheckInterval(Duration.ZERO);
    assertThatThrownBy(() -> builder.erasureCheckInterval(Duration.ofSeconds(1)))
        .hasMessage("erasureCheckInterval was already set to PT0S");
  }

  @Test
  void product_names_pick_the_dialect() {
    assertThat(Dialect.forProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.forProductName("MariaDB")).isEqualTo(Dialect.MARIADB);
    assertThat(Dialect.forProductName("MySQL")).isEqualTo(Dialect.MARIADB);
    assertThat(Dialect.forProductName("H2")).isEqualTo(Dialect.H2);
    assertThatThrownBy(() -> Dialect.forProductName("Oracle")).isInstanceOf(OmniStorageException.class)
        .hasMessageContaining("'Oracle'");
  }

  @Test
  void an_unreachable_database_fails_the_build_with_its_sqlstate() {
    DataSource missing = urlDataSource("jdbc:h2:mem:nothing;IFEXISTS=TRUE");
    assertThatThrownBy(() -> JdbcStore.builder(missing).build()).isInstanceOfSatisfying(OmniStorageException.class,
        e -> assertThat(e.sqlState()).isNotBlank());
  }

  @Test
  void an_explicit_dialect_and_no_cache_work_end_to_end() throws SQLException {
    try (TestDatabase db = TestDatabase.create(Dialect.H2)) {
      JdbcStore store = JdbcStore.builder(db.pool(2)).dialect(Dialect.H2).cacheSize(0).maxAttempts(3).build();
      try (Omni omni = Omni.builder().store(store).build()) {
        assertThat(omni.identities().link("web", Identifier.email("ann@shopmail.com")).value()).isEqualTo("p-1");
        assertThat(omni.identities().resolve(Identifier.email("ann@shopmail.com"))).isPresent();
      }
      assertThat(store).hasToString("JdbcStore[H2, schema CREATE]");
    }
  }
}
