package io.omni.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Relays Omni's change feed ({@link Identities#changes}) to a RabbitMQ exchange, at least once: a
 * CRM or a warehouse that subscribes hears that profiles merged, split or had an identifier
 * forgotten.
 *
 * <p>How it keeps "at least once": each call reads a page of entries after the relay's cursor,
 * publishes them as persistent messages on a channel in confirm mode, with {@code mandatory} set,
 * and waits for the broker to confirm every one; only then does it save the cursor. A broker that
 * refuses a message, cannot route it to any queue, or goes away before confirming makes the call
 * fail with the cursor where it was, so the next call publishes the same entries again. A consumer
 * therefore deduplicates by the message id ({@code omni-change-<position>}), or simply applies
 * an entry twice (merges and splits are facts about profile ids; applying one again changes
 * nothing). Messages carry no identifier value, only profile ids, event ids and times.
 *
 * <p>The relay opens its connection on the first call and again on the first call after it broke
 * (a broker restart, a network cut): it runs the client without automatic recovery, so that what
 * happened to a batch is decided by this code alone. Call {@link #relayOnce()} from the shop's
 * scheduler, or {@link #relayAll()} to catch up. Run one relay per cursor, from one thread (an
 * instance is not thread-safe): two relays sharing a cursor would publish entries twice, which the
 * deduplicating consumer absorbs, but gain nothing. Each downstream system that reads the feed
 * directly instead keeps a cursor of its own.
 *
 * <p>Run the demo from the repository root against a broker on 127.0.0.1:5672 (guest/guest): {@code
 * mvn -B -q -pl omni-examples -am -DskipTests package exec:java
 * -Dexec.mainClass=io.omni.examples.ChangeRelay}
 */
public final class ChangeRelay implements AutoCloseable {
  /** The exchange the demo publishes to. */
  public static final String EXCHANGE = "omni.profile-changes";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the relay keeps its cursor: the position of the last entry the broker confirmed. */
  public interface CursorStore {
    /** The saved cursor, 0 before the first save. */
    long load() throws IOException;

    /** Saves the cursor durably. */
    void save(long cursor) throws IOException;
  }

  /** A cursor in a file, replaced atomically on each save. */
  public static final class FileCursor implements CursorStore {
    private final Path file;

    /** The cursor kept in this file (created on the first save). */
    public FileCursor(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public long load() throws IOException {
      return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()) : 0;
    }

    @Override
    public void save(long cursor) throws IOException {
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.writeString(next, Long.toString(cursor), StandardCharsets.UTF_8);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private final Identities ids;
  private final ConnectionFactory factory;
  private final String exchange;
  private final CursorStore cursor;
  private final int pageSize;
  private final Duration confirmTimeout;
  private Connection connection;
  private Channel channel;
  private final AtomicBoolean returned = new AtomicBoolean();

  /**
   * A relay of these identities' changes to an exchange (declared durable, of type topic, with
   * routing keys {@code profile.merged}, {@code profile.split}, {@code profile.forgotten}).
   *
   * @param pageSize how many entries one call publishes at most, 1 to 10,000
   * @param confirmTimeout how long one call waits for the broker's confirms
   */
  public ChangeRelay(Identities ids, ConnectionFactory factory, String exchange, CursorStore cursor, int pageSize,
      Duration confirmTimeout) {
    this.ids = Objects.requireNonNull(ids, "ids");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.cursor = Objects.requireNonNull(cursor, "cursor");
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("pageSize must be 1 to 10000, was " + pageSize);
    }
    this.pageSize = pageSize;
    this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    // this code decides what happens to a batch on a broken connection: no recovery behind its back
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
  }

  /**
   * Publishes the next page of changes and saves the cursor once the broker confirmed them all.
   *
   * @return how many changes were published and confirmed; 0 when the feed had none after the cursor
   * @throws IOException if the broker cannot be reached, refused a message or could not route it;
   *     the cursor is unchanged and the next call publishes the same changes again
   * @throws TimeoutException if the confirms did not come within the timeout; the cursor is unchanged
   */
  public int relayOnce() throws IOException, TimeoutException, InterruptedException {
    long from = cursor.load();
    List<ProfileChange> page = ids.changes(from, pageSize);
    if (page.isEmpty()) {
      return 0;
    }
    try {
      Channel ch = channel();
      returned.set(false);
      for (ProfileChange change : page) {
        ch.basicPublish(exchange, routingKey(change), true, properties(change), body(change));
      }
      // the broker confirms a persistent message routed to durable queues once it is on disk there
      ch.waitForConfirmsOrDie(confirmTimeout.toMillis());
      if (returned.get()) {
        // an unroutable message is confirmed too, after being returned: it reached nobody
        throw new IOException("the exchange " + exchange + " routed some of positions " + page.get(0).position()
            + " to " + last(page) + " to no queue; bind a queue and relay again");
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      disconnect();
      throw e;
    }
    cursor.save(last(page));
    return page.size();
  }

  /** Calls {@link #relayOnce()} until the feed has nothing after the cursor; returns how many were relayed. */
  public long relayAll() throws IOException, TimeoutException, InterruptedException {
    long total = 0;
    for (int relayed = relayOnce(); relayed > 0; relayed = relayOnce()) {
      total += relayed;
    }
    return total;
  }

  /** The routing key of an entry: {@code profile.} and its kind in lower case. */
  public static String routingKey(ProfileChange change) {
    return "profile." + change.kind().name().toLowerCase(Locale.ROOT);
  }

  /** The message id of an entry, the same on every relay of it: for consumers that deduplicate. */
  public static String messageId(ProfileChange change) {
    return "omni-change-" + change.position();
  }

  private static long last(List<ProfileChange> page) {
    return page.get(page.size() - 1).position();
  }

  private static AMQP.BasicProperties properties(ProfileChange change) {
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2) // persistent: survives a broker restart in a durable queue
        .messageId(messageId(change))
        .type(change.kind().name())
        .timestamp(Date.from(change.at()))
        .headers(Map.of("omni-position", change.position()))
        .build();
  }

  private static byte[] body(ProfileChange change) throws IOException {
    ObjectNode node = JSON.createObjectNode()
        .put("position", change.position())
        .put("kind", change.kind().name())
        .put("profile", change.profile().value())
        .put("other", change.other() == null ? null : change.other().value())
        .put("cause", change.cause())
        .put("at", change.at().toString());
    return JSON.writeValueAsBytes(node);
  }

  private Channel channel() throws IOException, TimeoutException {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    disconnect();
    connection = factory.newConnection("omni-change-relay");
    Channel ch = connection.createChannel();
    ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
    ch.confirmSelect();
    ch.addReturnListener(r -> returned.set(true));
    channel = ch;
    return ch;
  }

  private void disconnect() {
    Connection open = connection;
    connection = null;
    channel = null;
    if (open != null) {
      try {
        open.abort(1_000); // closes quietly whatever state it is in
      } catch (RuntimeException ignored) {
        // nothing left to release
      }
    }
  }

  /** Closes the connection to the broker. */
  @Override
  public void close() {
    disconnect();
  }

  /** The demo: a few merges, a split and a forget, relayed to the broker. */
  public static void main(String[] args) throws Exception {
    Omni omni = Omni.inMemory();
    Identities ids = omni.identities();
    ids.link("web", Identifier.cookie("c-81"));
    ids.link("app", Identifier.email("ann@example.com"), Identifier.phone("+79161234567"));
    ids.link("web", Identifier.cookie("c-81"), Identifier.email("ann@example.com"));
    ids.forget(Identifier.email("ann@example.com"));
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(args.length > 0 ? args[0] : "amqp://guest:guest@127.0.0.1:5672");
    Path cursorFile = Files.createTempFile("omni-change-relay", ".cursor");
    Files.delete(cursorFile);
    try (ChangeRelay relay = new ChangeRelay(ids, factory, EXCHANGE, new FileCursor(cursorFile), 100,
        Duration.ofSeconds(10))) {
      // an exchange without a queue routes nowhere: the demo binds one to read back
      try (Connection c = factory.newConnection(); Channel ch = c.createChannel()) {
        ch.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
        ch.queueDeclare("omni.profile-changes.demo", true, false, false, null);
        ch.queueBind("omni.profile-changes.demo", EXCHANGE, "profile.#");
      }
      long relayed = relay.relayAll();
      say("relayed " + relayed + " changes to " + EXCHANGE + "; the cursor is at " + new FileCursor(cursorFile).load());
      for (ProfileChange change : ids.changes(0, 100)) {
        say("  " + routingKey(change) + " " + new String(body(change), StandardCharsets.UTF_8));
      }
    }
  }

  @SuppressWarnings("java:S106") // a demo prints
  private static void say(String line) {
    System.out.println(line);
  }
}
