package io.omni.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shop started on a schema Flyway had already migrated (a second instance, a restart): Flyway
 * applies nothing, the Omni bean validates, and the shop serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "shop.campaigns.advance-every=PT1H")
@DirtiesContext
class ShopOnMigratedDatabaseTest {
  static ShopDatabase db;

  @Autowired TestRestTemplate http;
  @Autowired JdbcClient jdbc;

  @BeforeAll
  static void migratedSchema() {
    db = ShopDatabase.create();
    Flyway.configure().dataSource(db.url(), null, null)
        .locations("classpath:db/migration", "classpath:io/omni/jdbc/schema/postgresql")
        .load().migrate();
  }

  @DynamicPropertySource
  static void dataSource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> db.url());
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    db.drop();
  }

  @Test
  void flyway_applies_nothing_twice_and_the_shop_serves() {
    assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history").query(Integer.class).single())
        .isEqualTo(OmniScripts.versions().size() + 1); // Omni's scripts and the shop's V100

    JsonNode answer = http.postForObject("/events/app", Map.of("id", "evt-1", "type", "CART_ADD",
        "identifiers", List.of(Map.of("type", "phone", "value", "8 (916) 123-45-67")),
        "lines", List.of(Map.of("key", Map.of("sku", "SKU-1"), "quantity", 1))), JsonNode.class);
    String ann = answer.get("profile").asText();
    JsonNode cart = http.getForObject("/profiles/" + ann + "/cart", JsonNode.class);

    assertThat(cart.get("lines").get(0).get("quantity").asInt()).isEqualTo(1);
    assertThat(cart.has("empty")).as("OmniModule's form, not a bean's getters").isFalse();
  }
}
