package io.omni.jdbc.internal;

import static io.omni.jdbc.internal.EventSql.*;

import io.omni.cart.LineKey;
import io.omni.channel.Consent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import io.omni.journey.Order;
import io.omni.journey.OrderLine;
import io.omni.journey.Touchpoint;
import io.omni.spi.EventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Processed event ids, journeys, orders and consent in the {@code omni_processed_event}, {@code
 * omni_touchpoint}, {@code omni_order}/{@code omni_order_line} and {@code omni_consent} tables.
 *
 * <p>Appends number rows per profile ({@code seq}): two instances appending to one profile at once
 * collide on the primary key and the loser runs again with the next number. A processed mark is a
 * plain insert whose unique violation means "already processed", so exactly one instance wins an
 * event.
 *
 * <p>About 450 lines because one class answers the whole {@code EventStore} SPI over four tables
 * that move together on a merge and an erasure; the statement text is in {@link EventSql}. Split
 * the journey trimming out next if it grows.
 */
public final class JdbcEventStore implements EventStore {
  /** Rows one prune transaction deletes at most. */
  private static final int PRUNE_CHUNK = 10_000;
  /** The earliest instant a BIGINT of epoch milliseconds holds: nothing stored is older. */
  static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);

  private final Transactions transactions;

  /** The store over these transactions. */
  public JdbcEventStore(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public boolean markProcessed(String eventId, Instant at) {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(at, "at");
    // false: another delivery, here or on another instance, marked it first
    String what = "marking event " + eventId + " processed";
    return transactions.single(what, connection -> Sql.doing(connection, what)
        .insertIfNew(MARK, insert -> {
          insert.setString(1, eventId);
          insert.setLong(2, at.toEpochMilli());
        }));
  }

  @Override
  public boolean processed(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    String what = "reading whether event " + eventId + " was processed";
    return transactions.read(what, lazy -> !Sql.doing(lazy::get, what)
        .query(PROCESSED, select -> select.setString(1, eventId), rs -> true).isEmpty());
  }

  @Override
  public void appendTouchpoint(ProfileId profile, Touchpoint touchpoint) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(touchpoint, "touchpoint");
    String attributes = Json.map(touchpoint.attributes());
    // A check, then the insert: two instances racing past the check collide on the unique event id
    // (v005), and the loser runs again and finds the row.
    transactions.write("appending touchpoint " + touchpoint.eventId() + " to " + profile, connection -> {
      Sql sql = Sql.doing(connection, "appending touchpoint " + touchpoint.eventId() + " to " + profile);
      if (!sql.query(HAS_TOUCHPOINT, select -> select.setString(1, touchpoint.eventId()), rs -> true).isEmpty()) {
        return null;
      }
      int seq = last(sql, LAST_TOUCHPOINT, profile) + 1;
      sql.update(INSERT_TOUCHPOINT, insert -> {
        insert.setString(1, profile.value());
        insert.setInt(2, seq);
        insert.setString(3, touchpoint.eventId());
        insert.setString(4, touchpoint.channel());
        insert.setString(5, touchpoint.type().name());
        setInstant(insert, 6, touchpoint.at());
        insert.setString(8, attributes);
      });
      return null;
    });
  }

  @Override
  public List<Touchpoint> touchpoints(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    String what = "reading the touchpoints of " + profile;
    return transactions.read(what, lazy -> Sql.doing(lazy::get, what).query(
        TOUCHPOINTS, select -> select.setString(1, profile.value()), rs -> Touchpoint.of(rs.getString(1),
            rs.getString(2), EventType.valueOf(rs.getString(3)), instant(rs, 4), Json.map(rs.getString(6)))));
  }

  @Override
  public Order appendOrder(ProfileId profile, Order order) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(order, "order");
    // as for touchpoints: a check, then the insert; racers collide on the unique order id (v005)
    return transactions.write("appending order " + order.id() + " to " + profile, connection -> {
      Order stored = orderById(connection, order.id());
      if (stored != null) {
        return stored;
      }
      Sql sql = Sql.doing(connection, "appending order " + order.id() + " to " + profile);
      int seq = last(sql, LAST_ORDER, profile) + 1;
      sql.update(INSERT_ORDER, insert -> {
        insert.setString(1, profile.value());
        insert.setInt(2, seq);
        insert.setString(3, order.id());
        insert.setString(4, order.profile().value());
        insert.setString(5, order.channel());
        setInstant(insert, 6, order.at());
      });
      List<Long> refs = sql.query(ORDER_REF, select -> {
        select.setString(1, profile.value());
        select.setInt(2, seq);
      }, rs -> rs.getLong(1));
      if (refs.isEmpty()) {
        throw new OmniStorageException("order " + order.id() + " vanished right after its insert", null, null);
      }
      long ref = refs.get(0);
      List<OrderLine> lines = order.lines();
      List<Integer> positions = new ArrayList<>(lines.size());
      for (int pos = 0; pos < lines.size(); pos++) {
        positions.add(pos);
      }
      sql.batch(INSERT_ORDER_LINE, "inserting the lines of order " + order.id(), positions, (insert, pos) -> {
        OrderLine line = lines.get(pos);
        insert.setLong(1, ref);
        insert.setInt(2, pos);
        insert.setString(3, line.key().sku());
        insert.setString(4, line.key().variant());
        insert.setString(5, Json.map(line.key().attributes()));
        insert.setInt(6, line.quantity());
      });
      return order;
    });
  }

  @Override
  public Optional<Order> order(String orderId) {
    Objects.requireNonNull(orderId, "orderId");
    return transactions.read("reading order " + orderId, lazy -> Optional.ofNullable(orderById(lazy.get(), orderId)));
  }

  private static Order orderById(Connection connection, String orderId) {
    List<Order> found = orders(Sql.doing(connection, "reading order " + orderId), ORDER_BY_ID, orderId);
    return found.isEmpty() ? null : found.get(0);
  }

  @Override
  public List<Order> orders(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    return transactions.read("reading the orders of " + profile,
        lazy -> orders(Sql.doing(lazy::get, "reading the orders of " + profile), ORDERS, profile.value()));
  }

  /** The orders a select of {@link EventSql#ORDERS}' columns finds for one key, in its order. */
  private static List<Order> orders(Sql sql, String select, String key) {
    Map<Long, OrderRow> rows = new LinkedHashMap<>();
    sql.query(select, s -> s.setString(1, key), rs -> {
      OrderRow row = rows.get(rs.getLong(1));
      if (row == null) {
        row = new OrderRow(rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5));
        rows.put(rs.getLong(1), row);
      }
      String sku = rs.getString(8);
      if (sku != null) {
        row.lines.add(new OrderLine(new LineKey(sku, rs.getString(9), Json.map(rs.getString(10))), rs.getInt(11)));
      }
      return null;
    });
    List<Order> result = new ArrayList<>(rows.size());
    for (OrderRow row : rows.values()) {
      result.add(new Order(row.id, ProfileId.of(row.placedBy), row.channel, row.at, row.lines));
    }
    return result;
  }

  private static final class OrderRow {
    final String id;
    final String placedBy;
    final String channel;
    final Instant at;
    final List<OrderLine> lines = new ArrayList<>();

    OrderRow(String id, String placedBy, String channel, Instant at) {
      this.id = id;
      this.placedBy = placedBy;
      this.channel = channel;
      this.at = at;
    }
  }

  @Override
  public void putConsent(ProfileId profile, Consent consent) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(consent, "consent");
    // delete-then-insert rather than an update: two writers racing on a new row collide on the key
    // and the loser runs again, whatever the driver reports as "rows changed"
    transactions.write("storing the " + consent.channel() + " consent of " + profile, connection -> {
      Sql sql = Sql.doing(connection, "storing the " + consent.channel() + " consent of " + profile);
      sql.update(DELETE_CONSENT, delete -> {
        delete.setString(1, profile.value());
        delete.setString(2, consent.channel());
      });
      return sql.update(INSERT_CONSENT, insert -> bindConsent(insert, profile, consent));
    });
  }

  /**
   * Locks the channel's row (or, when there is none, inserts; a concurrent insert collides on the
   * key and the work runs again, then finds the row), compares it with {@code expected} and
   * updates it only when they are equal.
   */
  @Override
  public boolean replaceConsent(ProfileId profile, Consent expected, Consent next) {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(next, "next");
    String what = "storing the " + next.channel() + " consent of " + profile;
    return transactions.write(what, connection -> {
      Sql sql = Sql.doing(connection, what);
      List<Consent> stored = sql.query(CONSENT_OF_CHANNEL + transactions.forUpdate(), select -> {
        select.setString(1, profile.value());
        select.setString(2, next.channel());
      }, rs -> Consent.of(rs.getString(1), rs.getBoolean(2), instant(rs, 3), rs.getString(5)));
      Consent current = stored.isEmpty() ? null : stored.get(0);
      if (!Objects.equals(current, expected)) {
        return false;
      }
      if (current == null) {
        sql.update(INSERT_CONSENT, insert -> bindConsent(insert, profile, next));
      } else {
        sql.update(UPDATE_CONSENT, update -> {
          update.setBoolean(1, next.granted());
          setInstant(update, 2, next.at());
          update.setString(4, next.source());
          update.setString(5, profile.value());
          update.setString(6, next.channel());
        });
      }
      return true;
    });
  }

  @Override
  public List<Consent> consents(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    String what = "reading the consent of " + profile;
    return transactions.read(what, lazy -> Sql.doing(lazy::get, what).query(
        CONSENTS, select -> select.setString(1, profile.value()),
        rs -> Consent.of(rs.getString(1), rs.getBoolean(2), instant(rs, 3), rs.getString(5))));
  }

  @Override
  public Set<ProfileId> holding(Collection<ProfileId> profiles) {
    return transactions.profilesIn(profiles, "omni_touchpoint", "omni_order", "omni_consent");
  }

  @Override
  public void rekey(ProfileId merged, ProfileId survivor) {
    Objects.requireNonNull(merged, "merged");
    Objects.requireNonNull(survivor, "survivor");
    if (merged.equals(survivor)) {
      return;
    }
    transactions.write("moving the journey of " + merged + " to " + survivor, connection -> {
      Sql sql = Sql.doing(connection, "moving the journey of " + merged + " to " + survivor);
      move(sql, LAST_TOUCHPOINT, REKEY_TOUCHPOINTS, merged, survivor);
      move(sql, LAST_ORDER, REKEY_ORDERS, merged, survivor);
      return sql.update(DROP_CONSENTS, delete -> delete.setString(1, merged.value()));
    });
  }

  /** Renumbers the merged profile's rows after the survivor's, keeping their order. */
  private static void move(Sql sql, String last, String rekey, ProfileId merged, ProfileId survivor) {
    int offset = last(sql, last, survivor);
    sql.update(rekey, update -> {
      update.setString(1, survivor.value());
      update.setInt(2, offset);
      update.setString(3, merged.value());
    });
  }

  @Override
  public void forget(Identifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    String pattern = "%" + likeEscaped(Json.escaped(identifier.value()).toLowerCase(Locale.ROOT)) + "%";
    transactions.write("erasing a " + identifier.type() + " identifier from the touchpoints", connection -> {
      Sql sql = Sql.doing(connection, "erasing a " + identifier.type() + " identifier from the touchpoints");
      List<Rewrite> changed = new ArrayList<>();
      sql.query(TOUCHPOINTS_HOLDING, select -> select.setString(1, pattern), rs -> {
        Touchpoint stored = Touchpoint.of(rs.getString(3), rs.getString(4), EventType.valueOf(rs.getString(5)),
            instant(rs, 6), Json.map(rs.getString(8)));
        Touchpoint kept = EventStore.withoutIdentifier(stored, identifier);
        if (kept != stored) {
          changed.add(new Rewrite(rs.getString(1), rs.getInt(2), Json.map(kept.attributes())));
        }
        return null;
      });
      sql.batch(UPDATE_ATTRIBUTES, "erasing an identifier from " + changed.size() + " touchpoints", changed,
          (update, row) -> {
            update.setString(1, row.attributes());
            update.setString(2, row.profile());
            update.setInt(3, row.seq());
          });
      return null;
    });
  }

  /**
   * Deletes the marks whose {@code at_ms} is before {@code before}'s millisecond, in chunks of
   * 10,000 rows, each its own transaction. Marks are kept to the millisecond: one made in the
   * same millisecond as {@code before} stays.
   */
  @Override
  public long pruneProcessed(Instant before) {
    Objects.requireNonNull(before, "before");
    if (!before.isAfter(EARLIEST)) {
      return 0;
    }
    return transactions.deleteInChunks("pruning processed event ids", "omni_processed_event", "event_id",
        MARKED_BEFORE, PRUNE_CHUNK, delete -> delete.setLong(1, before.toEpochMilli()));
  }

  /** Deletes in chunks of 10,000 rows, each its own transaction, found by the {@code at_ms} index. */
  @Override
  public long pruneTouchpoints(Instant before) {
    Objects.requireNonNull(before, "before");
    if (!before.isAfter(EARLIEST)) {
      return 0;
    }
    return transactions.deleteInChunks("pruning touchpoints", "omni_touchpoint", "profile, seq", HAPPENED_BEFORE,
        PRUNE_CHUNK, delete -> {
          delete.setLong(1, before.toEpochMilli());
          setInstant(delete, 2, before);
        });
  }

  /**
   * One grouping scan of {@code omni_touchpoint} finds the journeys that are too long; each is then
   * trimmed in a transaction of its own that locks its rows, so that a trim racing another on a
   * second instance cannot delete a row appended meanwhile under a freed number.
   */
  @Override
  public long keepLatestTouchpoints(int perProfile) {
    if (perProfile < 0) {
      throw new IllegalArgumentException("perProfile must not be negative, was " + perProfile);
    }
    List<String> longer = transactions.read("finding journeys longer than " + perProfile, lazy -> {
      List<String> profiles = new ArrayList<>();
      try (PreparedStatement select = lazy.get().prepareStatement(JOURNEYS_LONGER_THAN)) {
        select.setInt(1, perProfile);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            profiles.add(rs.getString(1));
          }
        }
      }
      return profiles;
    });
    long removed = 0;
    for (String profile : longer) {
      removed += transactions.write("trimming the journey of " + profile, connection -> {
        List<Integer> beyond = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(TOUCHPOINTS_LATEST_FIRST + transactions.forUpdate())) {
          select.setString(1, profile);
          try (ResultSet rs = select.executeQuery()) {
            for (int k = 0; rs.next(); k++) {
              if (k >= perProfile) {
                beyond.add(rs.getInt(1));
              }
            }
          }
        }
        if (!beyond.isEmpty()) {
          try (PreparedStatement delete = connection.prepareStatement(DELETE_TOUCHPOINT)) {
            for (int seq : beyond) {
              delete.setString(1, profile);
              delete.setInt(2, seq);
              delete.addBatch();
            }
            delete.executeBatch();
          }
        }
        return beyond.size();
      });
    }
    return removed;
  }

  /** New attributes for the touchpoint at (profile, seq). */
  private record Rewrite(String profile, int seq, String attributes) {}

  /** A text for LIKE … ESCAPE '!' that matches itself only. */
  static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** The highest {@code seq} a {@code SELECT MAX(seq) … WHERE profile = ?} finds; 0 for no rows yet. */
  private static int last(Sql sql, String select, ProfileId profile) {
    return sql.query(select, s -> s.setString(1, profile.value()), rs -> rs.getInt(1)).get(0);
  }

  /** Sets an instant as epoch milliseconds at {@code index} and nanoseconds within it at {@code index + 1}. */
  /** Binds the six parameters of {@code INSERT_CONSENT}. */
  private static void bindConsent(PreparedStatement insert, ProfileId profile, Consent consent) throws SQLException {
    insert.setString(1, profile.value());
    insert.setString(2, consent.channel());
    insert.setBoolean(3, consent.granted());
    setInstant(insert, 4, consent.at());
    insert.setString(6, consent.source());
  }

  static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
    long millis = at.getEpochSecond() * 1000 + at.getNano() / 1_000_000;
    statement.setLong(index, millis);
    statement.setInt(index + 1, at.getNano() % 1_000_000);
  }

  static Instant instant(ResultSet rs, int index) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(index)).plusNanos(rs.getInt(index + 1));
  }

  @Override
  public String toString() {
    return "JdbcEventStore";
  }
}
