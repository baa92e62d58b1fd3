package io.omni.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shop started on an empty PostgreSQL schema: Flyway applies Omni's scripts and the shop's
 * migration, then the Omni bean validates them; the seed story runs end to end over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "shop.campaigns.advance-every=PT1H")
@DirtiesContext
class ShopOnEmptyDatabaseTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static ShopDatabase db;

  @Autowired TestRestTemplate http;
  @Autowired MovableClock clock;
  @Autowired CampaignScheduler scheduler;
  @Autowired JdbcClient jdbc;

  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock(START);
    }
  }

  @BeforeAll
  static void freshSchema() {
    db = ShopDatabase.create();
  }

  @DynamicPropertySource
  static void dataSource(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> db.url());
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    db.drop();
  }

  private JsonNode post(String path, Object body) {
    ResponseEntity<JsonNode> response = http.postForEntity(path, body, JsonNode.class);
    assertThat(response.getStatusCode()).as("POST %s: %s", path, response.getBody()).isEqualTo(HttpStatus.OK);
    return response.getBody();
  }

  private JsonNode get(String path) {
    ResponseEntity<JsonNode> response = http.getForEntity(path, JsonNode.class);
    assertThat(response.getStatusCode()).as("GET %s: %s", path, response.getBody()).isEqualTo(HttpStatus.OK);
    return response.getBody();
  }

  private static Map<String, Object> event(String id, String type, List<Map<String, String>> identifiers) {
    return Map.of("id", id, "type", type, "identifiers", identifiers);
  }

  private static Map<String, String> id(String type, String value) {
    return Map.of("type", type, "value", value);
  }

  @Test
  void flyway_applied_omnis_scripts_and_the_shops_migration() {
    List<String> versions = jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
        .query(String.class).list();
    List<String> expected = new java.util.ArrayList<>(OmniScripts.versions());
    expected.add("100");
    assertThat(OmniScripts.versions()).startsWith("001", "002", "003");
    assertThat(versions).isEqualTo(expected);
    assertThat(jdbc.sql("SELECT name FROM shop_product WHERE sku = 'SKU-1'").query(String.class).single())
        .isEqualTo("Espresso machine");
  }

  @Test
  void the_seed_story_over_http() {
    // an anonymous web cart, the app login, a call with a phone typed the Russian way
    String ann = post("/events/web", Map.of("id", "evt-1", "type", "CART_ADD",
        "identifiers", List.of(id("cookie", "c-81")),
        "lines", List.of(Map.of("key", Map.of("sku", "SKU-1"), "quantity", 2)))).get("profile").asText();
    assertThat(post("/events/app", event("evt-2", "LOGIN", List.of(id("cookie", "c-81"), id("email", "Ann@Example.com"))))
        .get("profile").asText()).isEqualTo(ann);
    assertThat(post("/events/call-center", event("evt-3", "CALL",
        List.of(id("phone", "8 (916) 123-45-67"), id("email", "ann@example.com")))).get("profile").asText()).isEqualTo(ann);
    assertThat(post("/profiles/resolve", id("phone", "+79161234567")).get("profile").asText()).isEqualTo(ann);

    JsonNode profile = get("/profiles/" + ann);
    assertThat(profile.get("identifiers").toString()).contains("{\"type\":\"phone\",\"value\":\"+79161234567\"}",
        "{\"type\":\"email\",\"value\":\"ann@example.com\"}");

    // the cart as the customer sees it, the same from every channel; to the till by QR code
    JsonNode cart = get("/profiles/" + ann + "/cart");
    assertThat(cart.get("lines").get(0).get("sku").asText()).isEqualTo("SKU-1");
    assertThat(cart.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
    // and in OmniModule's form, for a replica: the ingested add is an addition, stamped at the event
    assertThat(get("/profiles/" + ann + "/cart/state").get("added").get(0).get("quantity").asInt()).isEqualTo(2);
    post("/profiles/" + ann + "/cart", Map.of("channel", "app", "key", Map.of("sku", "SKU-2"), "quantity", 1));
    String token = post("/profiles/" + ann + "/cart/handoff", Map.of()).get("token").asText();
    assertThat(post("/cart/redeem", Map.of("token", token, "channel", "pos")).get("lines")).hasSize(2);
    ResponseEntity<JsonNode> again = http.postForEntity("/cart/redeem", Map.of("token", token, "channel", "pos"), JsonNode.class);
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(again.getBody().get("error").asText()).isEqualTo("InvalidTokenException");

    // email, then SMS a day later, moved on by the scheduler; an order by phone stops the cascade
    JsonNode run = post("/campaigns", Map.of("profile", ann, "text", "SKU-1 is 30% off",
        "channels", List.of("email", "sms", "viber"), "window", "PT24H"));
    scheduler.advance();
    clock.advance(Duration.ofHours(24));
    scheduler.advance();
    clock.advance(Duration.ofHours(2));
    post("/events/call-center", Map.of("id", "evt-4", "type", "ORDER", "identifiers", List.of(id("phone", "+79161234567")),
        "attributes", Map.of("order", "o-17"), "lines", List.of(Map.of("key", Map.of("sku", "SKU-1"), "quantity", 2))));
    clock.advance(Duration.ofHours(48));
    scheduler.advance();

    JsonNode done = get("/campaigns/" + run.get("id").asText());
    assertThat(done.get("state").asText()).isEqualTo("CONVERTED");
    JsonNode sent = get("/messages");
    assertThat(sent).extracting(m -> m.get("channel").asText()).containsExactly("email", "sms");
    assertThat(sent.get(1).get("to").toString()).isEqualTo("{\"type\":\"phone\",\"value\":\"+79161234567\"}");

    // orders from every channel, favourites named from the shop's own table, one journey
    assertThat(get("/profiles/" + ann + "/cart").get("lines").toString()).doesNotContain("\"quantity\":2");
    JsonNode order = post("/profiles/" + ann + "/checkout", Map.of("channel", "pos", "orderId", "o-18"));
    assertThat(order.get("lines").get(0).get("key").get("sku").asText()).isEqualTo("SKU-2");
    assertThat(get("/profiles/" + ann + "/cart").get("lines").toString()).doesNotContain("\"quantity\":1");
    assertThat(get("/profiles/" + ann + "/orders")).extracting(o -> o.get("id").asText() + "@" + o.get("channel").asText())
        .contains("o-17@call-center");
    assertThat(get("/profiles/" + ann + "/favourites").get(0).get("name").asText()).isEqualTo("Espresso machine");
    assertThat(get("/profiles/" + ann + "/journey")).extracting(t -> t.get("type").asText())
        .contains("CART_ADD", "LOGIN", "CALL", "MESSAGE_SENT", "ORDER");

    // Omni's meters through Boot's actuator
    JsonNode links = get("/actuator/metrics/omni.identity.links");
    assertThat(links.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(4);
    assertThat(get("/actuator/metrics/omni.messages.sent").get("measurements").get(0).get("value").asDouble())
        .isEqualTo(2);
  }

  @Test
  void a_bad_event_is_refused_with_omnis_message() {
    ResponseEntity<JsonNode> refused = http.postForEntity("/events/web",
        event("evt-bad", "LOGIN", List.of(id("email", "not an email"))), JsonNode.class);
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }
}
