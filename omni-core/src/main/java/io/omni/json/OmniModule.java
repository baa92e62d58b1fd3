package io.omni.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.omni.cart.CartLine;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Jackson module for Omni's value types, in a stable JSON form that another replica — another
 * JVM, another version of Omni — reads back to an equal value.
 *
 * <pre>{@code
 * ObjectMapper json = new ObjectMapper().registerModule(new OmniModule());
 * String text = json.writeValueAsString(carts.get(who));
 * CartState back = json.readValue(text, CartState.class);   // equals the original
 * }</pre>
 *
 * <p>The forms (fields are always written; on reading, those marked optional may be left out and
 * unknown fields are ignored, so that newer writers stay readable):
 *
 * <ul>
 *   <li>{@link ProfileId}: a string, {@code "p-17"}.
 *   <li>{@link IdentifierType}: its name, {@code "email"}, {@code "telegram"}.
 *   <li>{@link Identifier}: {@code {"type":"email","value":"ann@example.com"}}; the value is
 *       normalized again on reading. A national phone number ({@code "8 (916) 123-45-67"}) is read
 *       in the module's default region, if it has one ({@link #withDefaultRegion(String)}, or
 *       {@code omni.jsonModule()} for the region of an {@code Omni}), and refused otherwise.
 *   <li>{@link LineKey}: {@code {"sku":"SKU-1","variant":"red-M","attributes":{"giftWrap":"yes"}}};
 *       {@code variant} (default {@code ""}) and {@code attributes} (default {@code {}}) are optional.
 *   <li>{@link Stamp}: {@code {"time":1732320000000,"logical":0,"replica":"web-1"}} — {@code time}
 *       is the hybrid clock's physical part in epoch milliseconds, {@code logical} its counter
 *       (optional, default 0), {@code replica} the writing replica's id.
 *   <li>{@link CartState}: {@code {"lines":[LINE,…],"added":[LINE,…],"clear":STAMP}} where each line is a line key's
 *       fields plus {@code "quantity"} (0 for a removed line — a tombstone), {@code "channel"} and
 *       {@code "stamp"}: {@code {"sku":"SKU-1","variant":"","attributes":{},"quantity":2,
 *       "channel":"web","stamp":{…}}}. Lines are written in line key order, tombstones included;
 *       {@code "clear"} is {@code null} (or absent) for a cart never checked out. {@code "added"}
 *       (absent when there are none) holds the cart's {@link CartState#additions() additions}, in
 *       the same form, each with a quantity of at least 1.
 * </ul>
 *
 * <p>Malformed input fails with a {@link JsonMappingException} whose message names the field by its
 * path, e.g. {@code "CartState field 'lines[1].stamp.time' must be a whole number, was \"soon\""}.
 */
public final class OmniModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** The region national phone numbers are read in; null: none, international numbers only. */
  private final String defaultRegion;

  /** The module, ready to register on an {@code ObjectMapper}; national phone numbers are refused. */
  public OmniModule() {
    this(null);
  }

  private OmniModule(String defaultRegion) {
    // a name of its own per region, so that Jackson, which keeps one module per name, never
    // drops a region-bound module registered after a plain one
    super(defaultRegion == null ? "OmniModule" : "OmniModule/" + defaultRegion, Version.unknownVersion());
    this.defaultRegion = defaultRegion;
    addSerializer(ProfileId.class, new ProfileIdSerializer());
    addDeserializer(ProfileId.class, new ProfileIdDeserializer());
    addSerializer(IdentifierType.class, new IdentifierTypeSerializer());
    addDeserializer(IdentifierType.class, new IdentifierTypeDeserializer());
    addSerializer(Identifier.class, new IdentifierSerializer());
    addDeserializer(Identifier.class, new IdentifierDeserializer(defaultRegion));
    addSerializer(LineKey.class, new LineKeySerializer());
    addDeserializer(LineKey.class, new LineKeyDeserializer());
    addSerializer(Stamp.class, new StampSerializer());
    addDeserializer(Stamp.class, new StampDeserializer());
    addSerializer(CartState.class, new CartStateSerializer());
    addDeserializer(CartState.class, new CartStateDeserializer());
  }

  /**
   * The module reading national phone numbers in {@code region}, as {@code
   * identities().phone(raw)} of an {@code Omni} built with {@code defaultRegion(region)} does.
   * {@code omni.jsonModule()} gives the one for an {@code Omni}'s own region.
   *
   * <pre>{@code
   * ObjectMapper json = new ObjectMapper().registerModule(OmniModule.withDefaultRegion("RU"));
   * json.readValue("{\"type\":\"phone\",\"value\":\"8 (916) 123-45-67\"}", Identifier.class); // phone:+79161234567
   * }</pre>
   *
   * @param region an ISO 3166 alpha-2 code libphonenumber supports, such as {@code "RU"}
   * @throws IllegalArgumentException naming the region if libphonenumber does not know it
   */
  public static OmniModule withDefaultRegion(String region) {
    Objects.requireNonNull(region, "region");
    String code = region.trim().toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
      throw new IllegalArgumentException(
          "region must be an ISO 3166 alpha-2 region libphonenumber supports, was '" + region + "'");
    }
    return new OmniModule(code);
  }

  /** The region national phone numbers are read in, if the module has one. */
  public Optional<String> defaultRegion() {
    return Optional.ofNullable(defaultRegion);
  }

  // ---- writing ----

  private static final class IdentifierTypeSerializer extends JsonSerializer<IdentifierType> {
    @Override
    public void serialize(IdentifierType value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(value.name());
    }
  }

  private static final class ProfileIdSerializer extends JsonSerializer<ProfileId> {
    @Override
    public void serialize(ProfileId value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(value.value());
    }
  }

  private static final class IdentifierSerializer extends JsonSerializer<Identifier> {
    @Override
    public void serialize(Identifier value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("type", value.type().name());
      gen.writeStringField("value", value.value());
      gen.writeEndObject();
    }
  }

  private static final class LineKeySerializer extends JsonSerializer<LineKey> {
    @Override
    public void serialize(LineKey value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      writeKeyFields(value, gen);
      gen.writeEndObject();
    }
  }

  private static final class StampSerializer extends JsonSerializer<Stamp> {
    @Override
    public void serialize(Stamp value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      writeStamp(value, gen);
    }
  }

  private static final class CartStateSerializer extends JsonSerializer<CartState> {
    @Override
    public void serialize(CartState value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      writeLines("lines", value.entries(), gen);
      List<CartLine> additions = value.additions();
      if (!additions.isEmpty()) {
        writeLines("added", additions, gen);
      }
      gen.writeFieldName("clear");
      if (value.clearStamp().isPresent()) {
        writeStamp(value.clearStamp().get(), gen);
      } else {
        gen.writeNull();
      }
      gen.writeEndObject();
    }
  }

  private static void writeLines(String field, List<CartLine> lines, JsonGenerator gen) throws IOException {
    gen.writeArrayFieldStart(field);
    for (CartLine line : lines) {
      gen.writeStartObject();
      writeKeyFields(line.key(), gen);
      gen.writeNumberField("quantity", line.quantity());
      gen.writeStringField("channel", line.channel());
      gen.writeFieldName("stamp");
      writeStamp(line.stamp(), gen);
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private static void writeKeyFields(LineKey key, JsonGenerator gen) throws IOException {
    gen.writeStringField("sku", key.sku());
    gen.writeStringField("variant", key.variant());
    gen.writeObjectFieldStart("attributes");
    for (Map.Entry<String, String> attribute : key.attributes().entrySet()) {
      gen.writeStringField(attribute.getKey(), attribute.getValue());
    }
    gen.writeEndObject();
  }

  private static void writeStamp(Stamp stamp, JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("time", stamp.millis());
    gen.writeNumberField("logical", stamp.logical());
    gen.writeStringField("replica", stamp.replica());
    gen.writeEndObject();
  }

  // ---- reading ----

  private static final class ProfileIdDeserializer extends JsonDeserializer<ProfileId> {
    @Override
    public ProfileId deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "ProfileId");
      JsonNode node = ctxt.readTree(p);
      if (!node.isTextual()) {
        throw r.fail("", "must be a string, was " + node);
      }
      try {
        return ProfileId.of(node.textValue());
      } catch (IllegalArgumentException e) {
        throw r.fail("", e.getMessage(), e);
      }
    }
  }

  private static final class IdentifierTypeDeserializer extends JsonDeserializer<IdentifierType> {
    @Override
    public IdentifierType deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "IdentifierType");
      JsonNode node = ctxt.readTree(p);
      if (!node.isTextual()) {
        throw r.fail("", "must be a string, was " + node);
      }
      try {
        return IdentifierType.of(node.textValue());
      } catch (RuntimeException e) {
        throw r.fail("", e.getMessage(), e);
      }
    }
  }

  private static final class IdentifierDeserializer extends JsonDeserializer<Identifier> {
    private final String defaultRegion;

    IdentifierDeserializer(String defaultRegion) {
      this.defaultRegion = defaultRegion;
    }

    @Override
    public Identifier deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "Identifier");
      JsonNode node = r.object(ctxt.readTree(p), "");
      String type = r.text(node, "", "type", null);
      String value = r.text(node, "", "value", null);
      IdentifierType identifierType;
      try {
        identifierType = IdentifierType.of(type);
      } catch (RuntimeException e) {
        throw r.fail("type", e.getMessage(), e);
      }
      try {
        return defaultRegion != null && identifierType.equals(IdentifierType.PHONE)
            ? Identifier.phone(value, defaultRegion) : Identifier.of(identifierType, value);
      } catch (RuntimeException e) {
        throw r.fail("value", e.getMessage(), e);
      }
    }
  }

  private static final class LineKeyDeserializer extends JsonDeserializer<LineKey> {
    @Override
    public LineKey deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "LineKey");
      return r.lineKey(r.object(ctxt.readTree(p), ""), "");
    }
  }

  private static final class StampDeserializer extends JsonDeserializer<Stamp> {
    @Override
    public Stamp deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "Stamp");
      return r.stamp(ctxt.readTree(p), "");
    }
  }

  private static final class CartStateDeserializer extends JsonDeserializer<CartState> {
    @Override
    public CartState deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      Reader r = new Reader(p, "CartState");
      JsonNode node = r.object(ctxt.readTree(p), "");
      JsonNode lines = node.get("lines");
      if (lines == null || !lines.isArray()) {
        throw r.fail("lines", lines == null ? "is missing" : "must be an array, was " + lines);
      }
      List<CartLine> entries = readLines(r, "lines", lines, 0);
      JsonNode added = node.get("added");
      if (added != null && !added.isNull() && !added.isArray()) {
        throw r.fail("added", "must be an array, was " + added);
      }
      List<CartLine> additions = added == null || added.isNull() ? List.of() : readLines(r, "added", added, 1);
      JsonNode clear = node.get("clear");
      Stamp clearStamp = clear == null || clear.isNull() ? null : r.stamp(clear, "clear");
      return CartState.of(entries, additions, clearStamp);
    }

    /** Reads an array of lines whose quantities are at least {@code least}. */
    private static List<CartLine> readLines(Reader r, String field, JsonNode lines, int least) throws IOException {
      List<CartLine> out = new ArrayList<>(lines.size());
      for (int i = 0; i < lines.size(); i++) {
        String at = field + "[" + i + "]";
        JsonNode line = r.object(lines.get(i), at);
        LineKey key = r.lineKey(line, at);
        int quantity = r.integer(line, at, "quantity");
        String channel = r.text(line, at, "channel", null);
        Stamp stamp = r.stamp(line.get("stamp"), r.path(at, "stamp"));
        try {
          out.add(CartLine.of(key, quantity, channel, stamp));
        } catch (IllegalArgumentException e) {
          throw r.fail(at, e.getMessage(), e);
        }
        if (quantity < least) {
          throw r.fail(r.path(at, "quantity"), "must be at least " + least + ", was " + quantity);
        }
      }
      return out;
    }
  }

  /** Reads fields off a tree and fails naming the field's path within the value being read. */
  private static final class Reader {
    private final JsonParser parser;
    private final String type;

    Reader(JsonParser parser, String type) {
      this.parser = parser;
      this.type = type;
    }

    String path(String at, String field) {
      return at.isEmpty() ? field : at + "." + field;
    }

    JsonMappingException fail(String path, String problem) {
      return fail(path, problem, null);
    }

    JsonMappingException fail(String path, String problem, Throwable cause) {
      String where = path.isEmpty() ? type + " value" : type + " field '" + path + "'";
      return JsonMappingException.from(parser, where + " " + problem, cause);
    }

    JsonNode object(JsonNode node, String at) throws JsonMappingException {
      if (node == null || !node.isObject()) {
        throw fail(at, node == null ? "is missing" : "must be an object, was " + node);
      }
      return node;
    }

    String text(JsonNode object, String at, String field, String absent) throws JsonMappingException {
      JsonNode node = object.get(field);
      if (node == null || node.isNull()) {
        if (absent != null) {
          return absent;
        }
        throw fail(path(at, field), "is missing");
      }
      if (!node.isTextual()) {
        throw fail(path(at, field), "must be a string, was " + node);
      }
      return node.textValue();
    }

    int integer(JsonNode object, String at, String field) throws JsonMappingException {
      JsonNode node = object.get(field);
      if (node == null || node.isNull()) {
        throw fail(path(at, field), "is missing");
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw fail(path(at, field), "must be a whole number that fits an int, was " + node);
      }
      return node.intValue();
    }

    LineKey lineKey(JsonNode object, String at) throws JsonMappingException {
      String sku = text(object, at, "sku", null);
      String variant = text(object, at, "variant", "");
      JsonNode attributes = object.get("attributes");
      Map<String, String> map = new TreeMap<>();
      if (attributes != null && !attributes.isNull()) {
        if (!attributes.isObject()) {
          throw fail(path(at, "attributes"), "must be an object of strings, was " + attributes);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> attribute = fields.next();
          if (!attribute.getValue().isTextual()) {
            throw fail(path(at, "attributes." + attribute.getKey()), "must be a string, was " + attribute.getValue());
          }
          map.put(attribute.getKey(), attribute.getValue().textValue());
        }
      }
      try {
        return new LineKey(sku, variant, map);
      } catch (IllegalArgumentException e) {
        throw fail(at, e.getMessage(), e);
      }
    }

    Stamp stamp(JsonNode node, String at) throws JsonMappingException {
      JsonNode object = object(node, at);
      JsonNode time = object.get("time");
      if (time == null || time.isNull()) {
        throw fail(path(at, "time"), "is missing");
      }
      if (!time.isIntegralNumber() || !time.canConvertToLong()) {
        throw fail(path(at, "time"), "must be a whole number of epoch milliseconds, was " + time);
      }
      int logical = object.hasNonNull("logical") ? integer(object, at, "logical") : 0;
      String replica = text(object, at, "replica", null);
      try {
        return Stamp.of(time.longValue(), logical, replica);
      } catch (IllegalArgumentException e) {
        throw fail(at, e.getMessage(), e);
      }
    }
  }
}
