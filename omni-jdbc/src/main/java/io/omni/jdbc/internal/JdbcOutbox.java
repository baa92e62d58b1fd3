package io.omni.jdbc.internal;

import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import io.omni.spi.CampaignStore;
import io.omni.spi.OutboxMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The campaign outbox in {@code omni_outbox}, one row per (run, step) message: the part of {@link
 * JdbcCampaignStore} that lets instances deliver each message once.
 *
 * <ul>
 *   <li>{@link #enqueue} looks for the row and inserts it if there is none, in one transaction; two
 *       instances inserting one step at once collide on the unique key on (run, step), and the
 *       loser runs again and finds the row.
 *   <li>{@link #claim} runs one transaction: the dialect's select of due, unleased rows ({@code FOR
 *       UPDATE SKIP LOCKED} on PostgreSQL and MariaDB), then, per row, {@code UPDATE … SET lease_us
 *       = ?, claims = claims + 1 WHERE … AND status = 'PENDING' AND (lease_us IS NULL OR lease_us
 *       <= ?)}. Only a row whose update counts 1 is claimed: the update waits for a concurrent
 *       claim of the row to commit and then no longer matches, so two instances never both win a
 *       live lease, whatever the select saw. The transaction commits before the rows are returned.
 *   <li>{@link #settle} is one conditional update: {@code … WHERE run_id = ? AND step = ? AND
 *       status = 'PENDING' AND claims = ?}, run again on a deadlock (MariaDB reports them between a
 *       settle, which moves the row in the {@code (status, due_us)} index, and a claim scanning
 *       that index with locks).
 * </ul>
 *
 * <p>Due times and leases are epoch microseconds, so that a claim compares one indexed column.
 */
final class JdbcOutbox {
  private static final String COLUMNS = """
      channel, to_type, to_value, body, run_id, promo_code, profile, step, at_ms, at_ns, status, attempts, due_us,
      lease_us, claims, last_failure""";
  private static final String INSERT = """
      INSERT INTO omni_outbox (channel, to_type, to_value, body, run_id, promo_code, profile, step, at_ms, at_ns,
        status, attempts, due_us, lease_us, claims, last_failure)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, 0, NULL)""";
  private static final String EXISTS = "SELECT ord FROM omni_outbox WHERE run_id = ? AND step = ?";
  private static final String BY_KEY = "SELECT " + COLUMNS + " FROM omni_outbox WHERE run_id = ? AND step = ?";
  private static final String CANDIDATES = """
      SELECT ord FROM omni_outbox WHERE status = ? AND due_us <= ? AND (lease_us IS NULL OR lease_us <= ?)
      ORDER BY due_us, ord""";
  private static final String TAKE = """
      UPDATE omni_outbox SET lease_us = ?, claims = claims + 1
      WHERE ord = ? AND status = ? AND due_us <= ? AND (lease_us IS NULL OR lease_us <= ?)""";
  private static final String SETTLE = """
      UPDATE omni_outbox SET status = ?, attempts = ?, due_us = ?, lease_us = NULL, at_ms = ?, at_ns = ?,
        last_failure = ?
      WHERE run_id = ? AND step = ? AND status = ? AND claims = ?""";
  private static final String DROP_FORGOTTEN = """
      UPDATE omni_outbox SET status = ?, lease_us = NULL, last_failure = ?
      WHERE to_value = ? AND to_type = ? AND status = ?""";
  private static final String READDRESS = """
      UPDATE omni_outbox SET to_type = ?, to_value = ? WHERE to_value = ? AND to_type = ?""";
  private static final String SCRUB_FAILURES = """
      UPDATE omni_outbox SET last_failure = REPLACE(last_failure, ?, ?) WHERE last_failure LIKE ? ESCAPE '!'""";

  private static final String PENDING = OutboxMessage.Status.PENDING.name();

  private final Transactions transactions;
  private final String candidates;

  JdbcOutbox(Transactions transactions, SqlDialect dialect) {
    this.transactions = transactions;
    this.candidates = dialect.claimable(CANDIDATES);
  }

  boolean enqueue(Message message) {
    Objects.requireNonNull(message, "message");
    return transactions.write("putting " + message.idempotencyKey() + " in the outbox", connection -> {
      if (exists(connection, message.runId(), message.step())) {
        return false; // put there before, here or by another instance
      }
      // a concurrent insert of the same step fails this one on the unique key; the transaction
      // then runs again and finds the row
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        int i = bindMessage(insert, 1, message);
        insert.setString(i++, PENDING);
        insert.setLong(i, micros(message.at()));
        insert.executeUpdate();
      }
      return true;
    });
  }

  private static boolean exists(Connection connection, String runId, int step) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(EXISTS)) {
      select.setString(1, runId);
      select.setInt(2, step);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  Optional<OutboxMessage> find(String runId, int step) {
    Objects.requireNonNull(runId, "runId");
    return transactions.single("reading outbox entry " + runId + ":" + step, connection -> {
      try (PreparedStatement select = connection.prepareStatement(BY_KEY)) {
        select.setString(1, runId);
        select.setInt(2, step);
        try (ResultSet rs = select.executeQuery()) {
          return rs.next() ? Optional.of(entry(rs)) : Optional.<OutboxMessage>empty();
        }
      }
    });
  }

  List<OutboxMessage> claim(Instant now, Instant leaseUntil, int max) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    if (max < 1) {
      throw new IllegalArgumentException("claim max must be at least 1, was " + max);
    }
    long at = micros(now);
    long until = micros(leaseUntil);
    return transactions.write("claiming due outbox entries", connection -> {
      List<Long> candidates = candidates(connection, at, max);
      List<Long> won = new ArrayList<>(candidates.size());
      try (PreparedStatement take = connection.prepareStatement(TAKE)) {
        for (long ord : candidates) {
          take.setLong(1, until);
          take.setLong(2, ord);
          take.setString(3, PENDING);
          take.setLong(4, at);
          take.setLong(5, at);
          if (take.executeUpdate() == 1) {
            won.add(ord);
          }
        }
      }
      return won.isEmpty() ? List.<OutboxMessage>of() : read(connection, won);
    });
  }

  private List<Long> candidates(Connection connection, long now, int max) throws SQLException {
    List<Long> ords = new ArrayList<>(max);
    try (PreparedStatement select = connection.prepareStatement(candidates)) {
      select.setString(1, PENDING);
      select.setLong(2, now);
      select.setLong(3, now);
      select.setInt(4, max);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ords.add(rs.getLong(1));
        }
      }
    }
    return ords;
  }

  private static List<OutboxMessage> read(Connection connection, List<Long> ords) throws SQLException {
    // a claim is at most a few rows: an IN list of bound values
    String sql = "SELECT " + COLUMNS + " FROM omni_outbox WHERE ord IN (" + SqlDialect.placeholders(ords.size())
        + ") ORDER BY due_us, ord";
    List<OutboxMessage> claimed = new ArrayList<>(ords.size());
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < ords.size(); i++) {
        select.setLong(i + 1, ords.get(i));
      }
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          claimed.add(entry(rs));
        }
      }
    }
    return claimed;
  }

  boolean settle(OutboxMessage claimed, OutboxMessage next) {
    Objects.requireNonNull(claimed, "claimed");
    Objects.requireNonNull(next, "next");
    if (!claimed.key().equals(next.key())) {
      throw new IllegalArgumentException("settling outbox entry " + claimed.key() + " as " + next.key());
    }
    // a transaction, not auto-commit, so that it runs again when InnoDB picks it as a deadlock's
    // victim: it changes the (status, due_us) index a concurrent claim is scanning with locks
    return transactions.write("settling outbox entry " + claimed.key() + " as " + next.status(), connection -> {
      try (PreparedStatement update = connection.prepareStatement(SETTLE)) {
        update.setString(1, next.status().name());
        update.setInt(2, next.attempts());
        update.setLong(3, micros(next.due()));
        JdbcEventStore.setInstant(update, 4, next.message().at());
        if (next.lastFailure().isPresent()) {
          update.setString(6, next.lastFailure().get());
        } else {
          update.setNull(6, Types.VARCHAR);
        }
        update.setString(7, claimed.message().runId());
        update.setInt(8, claimed.message().step());
        update.setString(9, PENDING);
        update.setInt(10, claimed.claims());
        return update.executeUpdate() == 1;
      }
    });
  }

  /** The three rewrites of {@link CampaignStore#withoutIdentifier(OutboxMessage, Identifier)}, in one transaction. */
  void forget(Identifier identifier) {
    String type = identifier.type().name();
    String value = identifier.value();
    transactions.write("erasing a " + identifier.type() + " identifier from the outbox", connection -> {
      try (PreparedStatement drop = connection.prepareStatement(DROP_FORGOTTEN)) {
        drop.setString(1, OutboxMessage.Status.DROPPED.name());
        drop.setString(2, CampaignStore.RECIPIENT_FORGOTTEN);
        drop.setString(3, value);
        drop.setString(4, type);
        drop.setString(5, PENDING);
        drop.executeUpdate();
      }
      try (PreparedStatement readdress = connection.prepareStatement(READDRESS)) {
        readdress.setString(1, CampaignStore.FORGOTTEN.type().name());
        readdress.setString(2, CampaignStore.FORGOTTEN.value());
        readdress.setString(3, value);
        readdress.setString(4, type);
        readdress.executeUpdate();
      }
      try (PreparedStatement scrub = connection.prepareStatement(SCRUB_FAILURES)) {
        scrub.setString(1, value);
        scrub.setString(2, CampaignStore.withoutValue(value, value));
        scrub.setString(3, "%" + JdbcEventStore.likeEscaped(value) + "%");
        scrub.executeUpdate();
      }
      return null;
    });
  }

  private static int bindMessage(PreparedStatement statement, int index, Message m) throws SQLException {
    statement.setString(index++, m.channel());
    statement.setString(index++, m.to().type().name());
    statement.setString(index++, m.to().value());
    statement.setString(index++, m.text());
    statement.setString(index++, m.runId());
    statement.setString(index++, m.promoCode());
    statement.setString(index++, m.profile().value());
    statement.setInt(index++, m.step());
    JdbcEventStore.setInstant(statement, index, m.at());
    return index + 2;
  }

  private static OutboxMessage entry(ResultSet rs) throws SQLException {
    Message message = new Message(rs.getString(1), Identifier.of(IdentifierType.of(rs.getString(2)), rs.getString(3)),
        rs.getString(4), rs.getString(5), rs.getString(6), ProfileId.of(rs.getString(7)), rs.getInt(8),
        JdbcEventStore.instant(rs, 9));
    long lease = rs.getLong(14);
    Optional<Instant> leasedUntil = rs.wasNull() ? Optional.empty() : Optional.of(instantOfMicros(lease));
    return new OutboxMessage(message, OutboxMessage.Status.valueOf(rs.getString(11)), rs.getInt(12),
        instantOfMicros(rs.getLong(13)), leasedUntil, rs.getInt(15), Optional.ofNullable(rs.getString(16)));
  }

  /** Epoch microseconds, rounded down; saturated far outside the years a BIGINT of them spans. */
  static long micros(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
