package io.omni.jdbc.internal;

import io.omni.campaign.CampaignRun;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
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
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Campaign runs in {@code omni_campaign_run}, one row per run: the run as JSON plus the columns it
 * is looked up by (id, profile, promo code, state); {@code ord} keeps the order runs were first
 * saved. The abandoned-cart watch list is {@code omni_cart_watch}; the outbox is {@code
 * omni_outbox} ({@link JdbcOutbox}).
 *
 * <p>A save locks the run's row, then updates it or inserts it; two instances inserting the same
 * new run collide on its unique id and the loser runs again as an update. A {@link #replace} locks
 * the row, compares the stored run with the expected one (parsed, so that JSON written by an older
 * version compares by value) and updates only when they are equal; an {@link #insert} locks the
 * row's id and inserts only when there is none (a concurrent insert of the same id loses on the
 * unique key, runs again and finds it).
 *
 * <p>{@code ended_ms} (version 10) is when an ended run ended, {@code NULL} while it runs: what
 * {@link #pruneEnded} finds runs by. A run saved as ended by a version before 10 has none until the
 * first prune reads it from the run's JSON.
 */
public final class JdbcCampaignStore implements CampaignStore {
  private static final String LOCK_RUN = """
      SELECT ord FROM omni_campaign_run WHERE id = ?""";
  private static final String UPDATE_RUN = """
      UPDATE omni_campaign_run SET profile = ?, promo_code = ?, state = ?, run = ?, ended_ms = ? WHERE id = ?""";
  private static final String INSERT_RUN = """
      INSERT INTO omni_campaign_run (profile, promo_code, state, run, ended_ms, id) VALUES (?, ?, ?, ?, ?, ?)""";
  private static final String BY_ID = """
      SELECT run FROM omni_campaign_run WHERE id = ?""";
  private static final String BY_PROMO_CODE = """
      SELECT run FROM omni_campaign_run WHERE promo_code = ?""";
  private static final String BY_STATE = """
      SELECT run FROM omni_campaign_run WHERE state = ? ORDER BY ord""";
  private static final String BY_PROFILE = """
      SELECT run FROM omni_campaign_run WHERE profile = ? ORDER BY ord""";
  private static final String HOLDING = """
      SELECT run FROM omni_campaign_run WHERE run LIKE ? ESCAPE '!'""";
  private static final String UNDATED = """
      SELECT id, run FROM omni_campaign_run WHERE state <> ? AND ended_ms IS NULL""";
  private static final String DATE = """
      UPDATE omni_campaign_run SET ended_ms = ? WHERE id = ? AND ended_ms IS NULL""";
  private static final String ENDED_BEFORE = """
      SELECT id FROM omni_campaign_run WHERE ended_ms < ? AND state <> ? ORDER BY ended_ms""";
  private static final String DELETE_OUTBOX = """
      DELETE FROM omni_outbox WHERE run_id = ?""";
  private static final String DELETE_RUN = """
      DELETE FROM omni_campaign_run WHERE id = ? AND ended_ms < ? AND state <> ?""";
  /** Runs one prune transaction removes at most. */
  private static final int PRUNE_CHUNK = 1_000;
  /** What {@code ended_ms} holds for a run stored as ended without an end time: never pruned. */
  private static final long NEVER = Long.MAX_VALUE;
  private static final String RUNNING = CampaignRun.State.RUNNING.name();
  private static final String UNWATCH = """
      DELETE FROM omni_cart_watch WHERE profile = ?""";
  private static final String WATCHED = """
      SELECT profile FROM omni_cart_watch ORDER BY ord""";

  private final Transactions transactions;
  private final String watch;
  private final JdbcOutbox outbox;

  /** The store over these transactions. */
  public JdbcCampaignStore(Transactions transactions, SqlDialect dialect) {
    this.transactions = transactions;
    this.watch = dialect.insertIfAbsent("omni_cart_watch", "profile");
    this.outbox = new JdbcOutbox(transactions, dialect);
  }

  @Override
  public boolean insert(CampaignRun run) {
    Objects.requireNonNull(run, "run");
    String json = Json.run(run);
    // the run's id is drawn here: a row of that id holding this run is this insert, committed
    return transactions.write("inserting campaign run " + run.id(), connection -> {
      if (stored(connection, run.id()) != null) {
        return false;
      }
      write(connection, INSERT_RUN, run, json);
      return true;
    }, other -> {
      String stored = stored(other, run.id());
      return stored != null && Json.run(stored).equals(run);
    });
  }

  @Override
  public boolean replace(CampaignRun expected, CampaignRun next) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(next, "next");
    if (!expected.id().equals(next.id())) {
      throw new IllegalArgumentException("replacing run " + expected.id() + " with run " + next.id());
    }
    String json = Json.run(next);
    return transactions.write("writing campaign run " + next.id(), connection -> {
      String stored = stored(connection, expected.id());
      if (stored == null || !Json.run(stored).equals(expected)) {
        return false;
      }
      write(connection, UPDATE_RUN, next, json);
      return true;
    });
  }

  /** The run's JSON, its row locked; {@code null} when there is none. */
  private String stored(Connection connection, String id) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(BY_ID + transactions.forUpdate())) {
      lock.setString(1, id);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void write(Connection connection, String sql, CampaignRun run, String json) throws SQLException {
    try (PreparedStatement write = connection.prepareStatement(sql)) {
      write.setString(1, run.profile().value());
      write.setString(2, run.promoCode());
      write.setString(3, run.state().name());
      write.setString(4, json);
      if (run.state() == CampaignRun.State.RUNNING) {
        write.setNull(5, Types.BIGINT);
      } else {
        write.setLong(5, run.endedAt().map(Instant::toEpochMilli).orElse(NEVER));
      }
      write.setString(6, run.id());
      write.executeUpdate();
    }
  }

  /**
   * Dates the ended runs written before version 10 from their JSON, then removes ended runs and
   * their outbox rows, {@value #PRUNE_CHUNK} runs a transaction, oldest ended first. A run is
   * removed only if it is still ended, and still ended before {@code endedBefore}, when its row is
   * deleted; its outbox rows go in the same transaction.
   */
  @Override
  public long pruneEnded(Instant endedBefore) {
    Objects.requireNonNull(endedBefore, "endedBefore");
    if (!endedBefore.isAfter(JdbcEventStore.EARLIEST)) {
      return 0; // a retention of ages: no end time stored is that old
    }
    for (int dated = -1; dated != 0; ) {
      dated = transactions.write("dating ended campaign runs", connection -> {
        List<CampaignRun> undated = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(UNDATED)) {
          select.setString(1, RUNNING);
          select.setMaxRows(PRUNE_CHUNK);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              undated.add(Json.run(rs.getString(2)));
            }
          }
        }
        try (PreparedStatement date = connection.prepareStatement(DATE)) {
          for (CampaignRun run : undated) {
            date.setLong(1, run.endedAt().map(Instant::toEpochMilli).orElse(NEVER));
            date.setString(2, run.id());
            date.addBatch();
          }
          if (!undated.isEmpty()) {
            date.executeBatch();
          }
        }
        return undated.size();
      });
    }
    long before = endedBefore.toEpochMilli();
    long pruned = 0;
    for (int found = PRUNE_CHUNK; found == PRUNE_CHUNK; ) {
      int[] counts = transactions.write("pruning ended campaign runs", connection -> {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(ENDED_BEFORE)) {
          select.setLong(1, before);
          select.setString(2, RUNNING);
          select.setMaxRows(PRUNE_CHUNK);
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
        }
        int removed = 0;
        if (!ids.isEmpty()) {
          try (PreparedStatement runs = connection.prepareStatement(DELETE_RUN);
              PreparedStatement entries = connection.prepareStatement(DELETE_OUTBOX)) {
            for (String id : ids) {
              runs.setString(1, id);
              runs.setLong(2, before);
              runs.setString(3, RUNNING);
              if (runs.executeUpdate() == 1) {
                removed++;
                entries.setString(1, id);
                entries.executeUpdate();
              }
            }
          }
        }
        return new int[] {ids.size(), removed};
      });
      found = counts[0];
      pruned += counts[1];
    }
    return pruned;
  }

  @Override
  public boolean enqueue(Message message) {
    return outbox.enqueue(message);
  }

  @Override
  public Optional<OutboxMessage> outbox(String runId, int step) {
    return outbox.find(runId, step);
  }

  @Override
  public List<OutboxMessage> claim(Instant now, Instant leaseUntil, int max) {
    return outbox.claim(now, leaseUntil, max);
  }

  @Override
  public boolean settle(OutboxMessage claimed, OutboxMessage next) {
    return outbox.settle(claimed, next);
  }

  @Override
  public void save(CampaignRun run) {
    Objects.requireNonNull(run, "run");
    String json = Json.run(run);
    transactions.write("saving campaign run " + run.id(), connection -> {
      boolean exists;
      try (PreparedStatement lock = connection.prepareStatement(LOCK_RUN + transactions.forUpdate())) {
        lock.setString(1, run.id());
        try (ResultSet rs = lock.executeQuery()) {
          exists = rs.next();
        }
      }
      write(connection, exists ? UPDATE_RUN : INSERT_RUN, run, json);
      return null;
    });
  }

  @Override
  public Optional<CampaignRun> find(String id) {
    Objects.requireNonNull(id, "id");
    return runs("reading campaign run " + id, BY_ID, id).stream().findFirst();
  }

  @Override
  public Optional<CampaignRun> byPromoCode(String promoCode) {
    Objects.requireNonNull(promoCode, "promoCode");
    return runs("reading the campaign run of a promo code", BY_PROMO_CODE, promoCode).stream().findFirst();
  }

  @Override
  public List<CampaignRun> running() {
    return runs("reading the running campaign runs", BY_STATE, CampaignRun.State.RUNNING.name());
  }

  @Override
  public List<CampaignRun> byProfile(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    return runs("reading the campaign runs of " + profile, BY_PROFILE, profile.value());
  }

  private List<CampaignRun> runs(String what, String sql, String parameter) {
    return transactions.read(what, lazy -> {
      List<CampaignRun> result = new ArrayList<>();
      try (PreparedStatement select = lazy.get().prepareStatement(sql)) {
        select.setString(1, parameter);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            result.add(Json.run(rs.getString(1)));
          }
        }
      }
      return result;
    });
  }

  @Override
  public Set<ProfileId> holding(Collection<ProfileId> profiles) {
    return transactions.profilesIn(profiles, "omni_campaign_run", "omni_cart_watch");
  }

  @Override
  public void watchCart(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    transactions.write("watching the cart of " + profile, connection -> update(connection, watch, profile));
  }

  @Override
  public void unwatchCart(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    transactions.write("unwatching the cart of " + profile, connection -> update(connection, UNWATCH, profile));
  }

  private static Integer update(Connection connection, String sql, ProfileId profile) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, profile.value());
      return statement.executeUpdate();
    }
  }

  @Override
  public List<ProfileId> watchedCarts() {
    return transactions.read("reading the watched carts", lazy -> {
      List<ProfileId> result = new ArrayList<>();
      try (PreparedStatement select = lazy.get().prepareStatement(WATCHED); ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          result.add(ProfileId.of(rs.getString(1)));
        }
      }
      return result;
    });
  }

  @Override
  public void forget(Identifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    // a message's recipient is stored exactly as the identifier's value, JSON-escaped
    String pattern = "%" + JdbcEventStore.likeEscaped(Json.escaped(identifier.value())) + "%";
    List<CampaignRun> changed = transactions.read("finding campaign runs that messaged a " + identifier.type(),
        lazy -> {
          List<CampaignRun> result = new ArrayList<>();
          try (PreparedStatement select = lazy.get().prepareStatement(HOLDING)) {
            select.setString(1, pattern);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                CampaignRun run = Json.run(rs.getString(1));
                if (CampaignStore.withoutIdentifier(run, identifier) != run) {
                  result.add(run);
                }
              }
            }
          }
          return result;
        });
    for (CampaignRun run : changed) {
      forgetIn(run.id(), identifier);
    }
    outbox.forget(identifier);
  }

  /** Re-reads the run under its row lock, so that a save in between is not undone. */
  private void forgetIn(String id, Identifier identifier) {
    transactions.write("erasing a " + identifier.type() + " identifier from campaign run " + id, connection -> {
      String json = stored(connection, id);
      if (json != null) {
        CampaignRun stored = Json.run(json);
        CampaignRun kept = CampaignStore.withoutIdentifier(stored, identifier);
        if (kept != stored) {
          write(connection, UPDATE_RUN, kept, Json.run(kept));
        }
      }
      return null;
    });
  }

  @Override
  public String toString() {
    return "JdbcCampaignStore";
  }
}
