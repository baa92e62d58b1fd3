package io.omni.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChangeRelay} against the real broker: every change reaches a durable queue, the cursor
 * moves only once the broker confirmed, and a broker restart in the middle loses nothing. The
 * broker is {@code OMNI_TEST_AMQP_URI} (default {@code amqp://guest:guest@127.0.0.1:5672}); when it
 * cannot be reached the tests are skipped, or fail under {@code CI=true}. The restart test stops and
 * starts the local broker's application with {@code rabbitmqctl}.
 */
final class ChangeRelayIT {
  private static final String URI = env("OMNI_TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672");
  private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

  private final String exchange = "omni.test.changes." + UUID.randomUUID();
  private final String queue = "omni.test.consumer." + UUID.randomUUID();
  @TempDir
  Path dir;

  @BeforeAll
  static void brokerIsUp() {
    try (Connection c = factory().newConnection()) {
      assertThat(c.isOpen()).isTrue();
    } catch (IOException | TimeoutException e) {
      unavailable("RabbitMQ at " + URI + " cannot be reached: " + e);
    }
  }

  private static void unavailable(String message) {
    if (CI) {
      throw new AssertionError(message + " (CI=true: the broker tests must run; start it with rabbitmq-server -detached)");
    }
    Assumptions.abort(message);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(URI);
    } catch (Exception e) {
      throw new AssertionError("OMNI_TEST_AMQP_URI is not an AMQP URI: " + URI, e);
    }
    factory.setConnectionTimeout(5_000);
    return factory;
  }

  /** The consumer's side: a durable queue that takes every change of the test's exchange. */
  @BeforeEach
  void bindConsumerQueue() throws Exception {
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
      ch.queueDeclare(queue, true, false, false, null);
      ch.queueBind(queue, exchange, "profile.#");
    }
  }

  @AfterEach
  void dropExchangeAndQueue() throws Exception {
    awaitBroker();
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      ch.queueDelete(queue);
      ch.exchangeDelete(exchange);
    }
  }

  /** Merges for {@code n} customers from {@code first} on: each an anonymous visit, then a login. */
  private static void logins(Identities ids, int first, int n) {
    for (int i = first; i < first + n; i++) {
      ids.link("web", Identifier.cookie("c-" + i));
      ids.link("app", Identifier.email(i + "@example.com"), Identifier.phone(String.format("+7916%07d", i)));
      ids.link("login-" + i, "web", null, List.of(Identifier.cookie("c-" + i), Identifier.email(i + "@example.com")));
    }
  }

  /** Everything the consumer's queue holds, acknowledged: message id and body. */
  private List<String[]> drain() throws Exception {
    List<String[]> messages = new ArrayList<>();
    try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
      for (GetResponse r = ch.basicGet(queue, true); r != null; r = ch.basicGet(queue, true)) {
        messages.add(new String[] {r.getProps().getMessageId(), new String(r.getBody(), StandardCharsets.UTF_8),
            r.getEnvelope().getRoutingKey()});
      }
    }
    return messages;
  }

  private ChangeRelay relay(Identities ids, ChangeRelay.CursorStore cursor, int pageSize) {
    return new ChangeRelay(ids, factory(), exchange, cursor, pageSize, Duration.ofSeconds(10));
  }

  @Test
  void every_change_reaches_the_queue_in_order_and_the_cursor_follows_the_confirms() throws Exception {
    Identities ids = Omni.inMemory().identities();
    logins(ids, 1, 10);
    ids.forget(Identifier.email("3@example.com")); // a forget and the split it causes
    List<ProfileChange> feed = ids.changes(0, 100);
    assertThat(feed).hasSize(12);
    ChangeRelay.FileCursor cursor = new ChangeRelay.FileCursor(dir.resolve("cursor"));
    try (ChangeRelay relay = relay(ids, cursor, 5)) {
      assertThat(relay.relayOnce()).isEqualTo(5);
      assertThat(cursor.load()).isEqualTo(5);
      assertThat(relay.relayAll()).isEqualTo(7);
      assertThat(cursor.load()).isEqualTo(12);
      assertThat(relay.relayOnce()).as("nothing new").isZero();
    }
    List<String[]> got = drain();
    assertThat(got).extracting(m -> m[0])
        .containsExactlyElementsOf(feed.stream().map(ChangeRelay::messageId).toList());
    assertThat(got).extracting(m -> m[2])
        .containsExactlyElementsOf(feed.stream().map(ChangeRelay::routingKey).toList());
    assertThat(got.get(10)[1]).contains("\"kind\":\"FORGOTTEN\"").contains("\"cause\":\"forget\"");
    assertThat(got).allSatisfy(m -> assertThat(m[1]).doesNotContain("3@example.com", "79160000003"));
  }

  @Test
  void nothing_routed_nowhere_counts_as_delivered() throws Exception {
    Identities ids = Omni.inMemory().identities();
    logins(ids, 1, 2);
    ChangeRelay.FileCursor cursor = new ChangeRelay.FileCursor(dir.resolve("cursor"));
    try (ChangeRelay relay = new ChangeRelay(ids, factory(), exchange + ".unbound", cursor, 10, Duration.ofSeconds(10))) {
      assertThatThrownBy(relay::relayOnce).isInstanceOf(IOException.class).hasMessageContaining("no queue");
      assertThat(cursor.load()).as("not confirmed as delivered: the cursor stays").isZero();
    } finally {
      try (Connection c = factory().newConnection(); Channel ch = c.createChannel()) {
        ch.exchangeDelete(exchange + ".unbound");
      }
    }
  }

  @Test
  void a_broker_restart_between_relays_loses_no_change() throws Exception {
    if (!rabbitmqctl("status")) {
      unavailable("rabbitmqctl cannot reach the local broker, so it cannot be restarted");
    }
    Identities ids = Omni.inMemory().identities();
    ChangeRelay.FileCursor cursor = new ChangeRelay.FileCursor(dir.resolve("cursor"));
    try (ChangeRelay relay = relay(ids, cursor, 4)) {
      logins(ids, 1, 6);
      assertThat(relay.relayAll()).isEqualTo(6);
      logins(ids, 7, 6);

      assertThat(rabbitmqctl("stop_app")).as("rabbitmqctl stop_app").isTrue();
      try {
        assertThatThrownBy(relay::relayOnce).as("the broker is down").isInstanceOf(IOException.class);
        assertThat(cursor.load()).as("nothing confirmed while it was down").isEqualTo(6);
      } finally {
        assertThat(rabbitmqctl("start_app")).as("rabbitmqctl start_app").isTrue();
        awaitBroker();
      }

      assertThat(relay.relayAll()).as("the relay reconnects and catches up").isEqualTo(6);
      assertThat(cursor.load()).isEqualTo(12);
    }
    // what was confirmed before the restart was on disk: the durable queue still holds it
    List<String[]> got = drain();
    assertThat(new TreeSet<>(got.stream().map(m -> m[0]).toList())).containsExactlyInAnyOrderElementsOf(
        LongStream.rangeClosed(1, 12).mapToObj(p -> "omni-change-" + p).toList());
  }

  private static boolean rabbitmqctl(String command) {
    try {
      Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until the broker accepts connections again (up to a minute). */
  private static void awaitBroker() throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      try (Connection c = factory().newConnection()) {
        return;
      } catch (IOException | TimeoutException e) {
        Thread.sleep(500);
      }
    }
    throw new AssertionError("RabbitMQ at " + URI + " did not come back within a minute");
  }
}
