package io.omni.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.CascadeStep;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON text of the JSON columns: string maps (touchpoint and line attributes) and campaign
 * runs. Written field by field through Jackson's tree model, so that the stored form is explicit
 * and does not change with a record's accessors. Times are ISO-8601 instants (exact to the
 * nanosecond), windows ISO-8601 durations.
 */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A map as a JSON object, keeping its order. */
  static String map(Map<String, String> map) {
    ObjectNode node = MAPPER.createObjectNode();
    map.forEach(node::put);
    return write(node);
  }

  /** A JSON object of strings back as an ordered map. */
  static Map<String, String> map(String json) {
    JsonNode node = read(json);
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      map.put(field.getKey(), field.getValue().asText());
    }
    return map;
  }

  /** A text as it appears inside a JSON string (quotes, backslashes and controls escaped). */
  static String escaped(String text) {
    String quoted = write(MAPPER.getNodeFactory().textNode(text));
    return quoted.substring(1, quoted.length() - 1);
  }

  /** A campaign run as JSON. */
  static String run(CampaignRun run) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", run.id());
    node.put("profile", run.profile().value());
    ArrayNode steps = node.putArray("steps");
    for (CascadeStep step : run.steps()) {
      steps.addObject().put("channel", step.channel()).put("window", step.window().toString());
    }
    node.put("text", run.text());
    node.put("promoCode", run.promoCode());
    node.put("startedAt", run.startedAt().toString());
    node.put("state", run.state().name());
    node.put("step", run.step());
    node.put("stepStartedAt", run.stepStartedAt().toString());
    node.put("stepSent", run.stepSent());
    ArrayNode messages = node.putArray("messages");
    for (Message m : run.messages()) {
      messages.addObject()
          .put("channel", m.channel())
          .put("toType", m.to().type().name())
          .put("to", m.to().value())
          .put("text", m.text())
          .put("runId", m.runId())
          .put("promoCode", m.promoCode())
          .put("profile", m.profile().value())
          .put("step", m.step())
          .put("at", m.at().toString());
    }
    run.cartChange().ifPresent(at -> node.put("cartChange", at.toString()));
    run.conversion().ifPresent(c -> {
      ObjectNode conversion = node.putObject("conversion")
          .put("eventId", c.eventId())
          .put("channel", c.channel())
          .put("at", c.at().toString());
      c.step().ifPresent(step -> conversion.put("step", step));
    });
    run.endedAt().ifPresent(at -> node.put("endedAt", at.toString()));
    if (!run.failures().isEmpty()) {
      ArrayNode failures = node.putArray("failures");
      for (CampaignRun.Failure f : run.failures()) {
        failures.addObject()
            .put("step", f.step())
            .put("channel", f.channel())
            .put("attempts", f.attempts())
            .put("reason", f.reason())
            .put("at", f.at().toString());
      }
    }
    return write(node);
  }

  /** A campaign run back from its JSON. */
  static CampaignRun run(String json) {
    JsonNode node = read(json);
    List<CascadeStep> steps = new ArrayList<>();
    for (JsonNode step : node.get("steps")) {
      steps.add(CascadeStep.step(step.get("channel").asText(), Duration.parse(step.get("window").asText())));
    }
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : node.get("messages")) {
      messages.add(new Message(m.get("channel").asText(),
          Identifier.of(IdentifierType.of(m.get("toType").asText()), m.get("to").asText()),
          m.get("text").asText(), m.get("runId").asText(), m.get("promoCode").asText(),
          ProfileId.of(m.get("profile").asText()), m.get("step").asInt(), instant(m.get("at"))));
    }
    List<CampaignRun.Failure> failures = new ArrayList<>();
    // absent in runs written before version 4 of the schema, and in runs without failures
    for (JsonNode f : Optional.ofNullable(node.get("failures")).orElse(MAPPER.createArrayNode())) {
      failures.add(new CampaignRun.Failure(f.get("step").asInt(), f.get("channel").asText(), f.get("attempts").asInt(),
          f.get("reason").asText(), instant(f.get("at"))));
    }
    Optional<CampaignRun.Conversion> conversion = Optional.ofNullable(node.get("conversion")).map(c ->
        new CampaignRun.Conversion(c.get("eventId").asText(), c.get("channel").asText(),
            Optional.ofNullable(c.get("step")).map(JsonNode::asInt), instant(c.get("at"))));
    return new CampaignRun(node.get("id").asText(), ProfileId.of(node.get("profile").asText()), steps,
        node.get("text").asText(), node.get("promoCode").asText(), instant(node.get("startedAt")),
        CampaignRun.State.valueOf(node.get("state").asText()), node.get("step").asInt(),
        instant(node.get("stepStartedAt")), node.get("stepSent").asBoolean(), messages,
        Optional.ofNullable(node.get("cartChange")).map(Json::instant), conversion,
        Optional.ofNullable(node.get("endedAt")).map(Json::instant), failures);
  }

  private static Instant instant(JsonNode node) {
    return Instant.parse(node.asText());
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new OmniStorageException("could not write JSON: " + e.getOriginalMessage(), null, e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new OmniStorageException("a stored JSON column does not parse: " + e.getOriginalMessage(), null, e);
    }
  }
}
