package io.omni.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form another replica reads back to an equal value, and the errors for what it cannot read. */
final class OmniModuleTest {
  private final ObjectMapper json = new ObjectMapper().registerModule(new OmniModule());

  private static final LineKey SHIRT = LineKey.of("TSHIRT-9", "red-M").with("giftWrap", "yes");
  private static final CartState CART = CartState.empty()
      .set(LineKey.of("SKU-1"), 2, "web", Stamp.of(1_732_320_000_000L, 0, "web-1"))
      .set(SHIRT, 1, "app", Stamp.of(1_732_320_000_500L, 3, "app-2"))
      .set(LineKey.of("SKU-2"), 1, "web", Stamp.of(1_732_320_000_001L, 0, "web-1"))
      .removed(LineKey.of("SKU-2"), "pos", Stamp.of(1_732_320_000_900L, 0, "pos-7"))
      .cleared(Stamp.of(1_732_319_000_000L, 1, "eu-1"));

  @Test
  void a_cart_round_trips_to_an_equal_state_tombstones_and_clear_stamp_included() throws Exception {
    String text = json.writeValueAsString(CART);
    CartState back = json.readValue(text, CartState.class);
    assertThat(back).isEqualTo(CART);
    assertThat(back.quantity(SHIRT)).isEqualTo(1);
    assertThat(back.line(LineKey.of("SKU-2")).orElseThrow().removed()).isTrue();
    assertThat(json.writeValueAsString(back)).isEqualTo(text);
  }

  @Test
  void a_cart_with_additions_round_trips_them_and_writes_them_under_added() throws Exception {
    CartState cart = CART.added(SHIRT, 2, "pos", Stamp.of(1_732_320_001_000L, 0, "ev-1"))
        .added(LineKey.of("SKU-9"), 1, "app", Stamp.of(1_732_320_001_001L, 0, "ev-2"));
    String text = json.writeValueAsString(cart);
    assertThat(text).contains("\"added\":[{\"sku\":\"SKU-9\"");
    CartState back = json.readValue(text, CartState.class);
    assertThat(back).isEqualTo(cart);
    assertThat(back.quantity(SHIRT)).isEqualTo(3);
    assertThat(back.quantity(LineKey.of("SKU-9"))).isEqualTo(1);
    assertThat(json.writeValueAsString(back)).isEqualTo(text);
  }

  @Test
  void the_cart_form_is_the_documented_one() throws Exception {
    CartState cart = CartState.empty().set(LineKey.of("SKU-1"), 2, "web", Stamp.of(1000, 1, "web-1"));
    assertThat(json.writeValueAsString(cart)).isEqualTo(
        "{\"lines\":[{\"sku\":\"SKU-1\",\"variant\":\"\",\"attributes\":{},\"quantity\":2,\"channel\":\"web\","
            + "\"stamp\":{\"time\":1000,\"logical\":1,\"replica\":\"web-1\"}}],\"clear\":null}");
  }

  @Test
  void optional_fields_may_be_left_out() throws Exception {
    CartState read = json.readValue(
        "{\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"channel\":\"web\",\"stamp\":{\"time\":1000,\"replica\":\"web-1\"}}],"
            + "\"futureField\":true}",
        CartState.class);
    assertThat(read).isEqualTo(CartState.empty().set(LineKey.of("SKU-1"), 2, "web", Stamp.of(1000, 0, "web-1")));
  }

  @Test
  void value_types_round_trip() throws Exception {
    for (Object value : List.of(
        Stamp.of(1_732_320_000_000L, 7, "eu-1"), SHIRT, LineKey.of("SKU-1"), ProfileId.of("p-17"),
        Identifier.email("ann@example.com"), Identifier.of(IdentifierType.of("telegram"), "@ann"))) {
      String text = json.writeValueAsString(value);
      Object back = json.readValue(text, value.getClass());
      assertThat(back).isEqualTo(value);
    }
    assertThat(json.writeValueAsString(ProfileId.of("p-17"))).isEqualTo("\"p-17\"");
    assertThat(json.writeValueAsString(Identifier.email("Ann@Example.com")))
        .isEqualTo("{\"type\":\"email\",\"value\":\"ann@example.com\"}");
    Map<String, Identifier> nested = json.readValue("{\"p\":{\"type\":\"email\",\"value\":\"ann@example.com\"}}",
        json.getTypeFactory().constructMapType(Map.class, String.class, Identifier.class));
    assertThat(nested).isEqualTo(Map.of("p", Identifier.email("ann@example.com")));
  }

  @Test
  void malformed_json_names_the_field() {
    assertFails("{\"lines\":{}}", CartState.class, "CartState field 'lines' must be an array");
    assertFails("{}", CartState.class, "CartState field 'lines' is missing");
    assertFails(line("\"sku\":\"S\",\"quantity\":1,\"channel\":\"web\",\"stamp\":{\"time\":\"soon\",\"replica\":\"a\"}"),
        CartState.class, "field 'lines[0].stamp.time' must be a whole number");
    assertFails(line("\"sku\":\"S\",\"quantity\":-1,\"channel\":\"web\",\"stamp\":{\"time\":1,\"replica\":\"a\"}"),
        CartState.class, "field 'lines[0]' cart line S quantity must not be negative");
    assertFails(line("\"sku\":\"S\",\"quantity\":1.5,\"channel\":\"web\",\"stamp\":{\"time\":1,\"replica\":\"a\"}"),
        CartState.class, "field 'lines[0].quantity' must be a whole number");
    assertFails(line("\"quantity\":1,\"channel\":\"web\",\"stamp\":{\"time\":1,\"replica\":\"a\"}"),
        CartState.class, "field 'lines[0].sku' is missing");
    assertFails(line("\"sku\":\"S\",\"quantity\":1,\"channel\":\"web\""), CartState.class, "field 'lines[0].stamp' is missing");
    assertFails(line("\"sku\":\"S\",\"attributes\":{\"a\":1},\"quantity\":1,\"channel\":\"web\",\"stamp\":{\"time\":1,\"replica\":\"a\"}"),
        CartState.class, "field 'lines[0].attributes.a' must be a string");
    assertFails("{\"lines\":[],\"added\":{}}", CartState.class, "CartState field 'added' must be an array");
    assertFails("{\"lines\":[],\"added\":[{\"sku\":\"S\",\"quantity\":0,\"channel\":\"web\",\"stamp\":{\"time\":1,\"replica\":\"a\"}}]}",
        CartState.class, "CartState field 'added[0].quantity' must be at least 1, was 0");
    assertFails("{\"lines\":[],\"clear\":{\"time\":1,\"replica\":\"no spaces\"}}", CartState.class,
        "field 'clear' stamp replica must be");
    assertFails("{\"time\":1}", Stamp.class, "Stamp field 'replica' is missing");
    assertFails("{\"type\":\"email\",\"value\":\"not-an-email\"}", Identifier.class, "Identifier field 'value'");
    assertFails("{\"type\":\"email\"}", Identifier.class, "Identifier field 'value' is missing");
    assertFails("17", ProfileId.class, "ProfileId value must be a string");
    assertFails("{\"variant\":\"x\"}", LineKey.class, "LineKey field 'sku' is missing");
  }

  private static String line(String fields) {
    return "{\"lines\":[{" + fields + "}]}";
  }

  private void assertFails(String text, Class<?> type, String message) {
    assertThatThrownBy(() -> json.readValue(text, type))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(message);
  }

  private static final String NATIONAL_PHONE = "{\"type\":\"phone\",\"value\":\"8 (916) 123-45-67\"}";

  @Test
  void a_national_phone_is_read_in_the_module_region() throws Exception {
    ObjectMapper russian = new ObjectMapper().registerModule(OmniModule.withDefaultRegion("ru"));

    assertThat(russian.readValue(NATIONAL_PHONE, Identifier.class)).isEqualTo(Identifier.phone("+79161234567"));
    assertThat(russian.readValue("{\"type\":\"phone\",\"value\":\"+1 650 253 0000\"}", Identifier.class))
        .as("an international number keeps its own country").isEqualTo(Identifier.phone("+16502530000"));
    assertThat(OmniModule.withDefaultRegion("ru").defaultRegion()).contains("RU");
  }

  @Test
  void without_a_region_a_national_phone_is_refused_naming_the_field() {
    assertThatThrownBy(() -> json.readValue(NATIONAL_PHONE, Identifier.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("Identifier field 'value'");
    assertThat(new OmniModule().defaultRegion()).isEmpty();
  }

  @Test
  void an_omni_gives_the_module_of_its_own_region() throws Exception {
    io.omni.Omni omni = io.omni.Omni.builder().defaultRegion("RU").build();
    ObjectMapper boot = new ObjectMapper().registerModule(omni.jsonModule());

    Identifier read = boot.readValue(NATIONAL_PHONE, Identifier.class);
    assertThat(read).isEqualTo(omni.identities().phone("8 (916) 123-45-67"));
    assertThat(io.omni.Omni.inMemory().jsonModule().defaultRegion()).isEmpty();
  }

  @Test
  void a_region_bound_module_is_not_dropped_after_a_plain_one() throws Exception {
    ObjectMapper both = new ObjectMapper().registerModule(new OmniModule()).registerModule(OmniModule.withDefaultRegion("RU"));
    assertThat(both.readValue(NATIONAL_PHONE, Identifier.class)).isEqualTo(Identifier.phone("+79161234567"));
  }

  @Test
  void an_unknown_region_is_refused_by_name() {
    assertThatThrownBy(() -> OmniModule.withDefaultRegion("XX"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region must be an ISO 3166 alpha-2 region libphonenumber supports, was 'XX'");
  }

  @Test
  void an_identifier_type_is_its_name() throws Exception {
    assertThat(json.writeValueAsString(IdentifierType.EMAIL)).isEqualTo("\"email\"");
    assertThat(json.readValue("\"telegram\"", IdentifierType.class)).isEqualTo(IdentifierType.of("telegram"));
    assertThat(json.readValue("[\"phone\",\"cookie\"]", IdentifierType[].class))
        .containsExactly(IdentifierType.PHONE, IdentifierType.COOKIE);
  }
}
