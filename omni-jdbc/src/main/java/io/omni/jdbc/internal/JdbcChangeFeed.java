package io.omni.jdbc.internal;

import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The change feed in SQL ({@code V007__change_feed.sql}): {@code omni_change} holds the entries,
 * {@code omni_change_head} the last position given out.
 *
 * <p>Why a counter row and not a sequence or an identity column: a sequence hands out numbers in
 * the order writers ask, not the order they commit, so a reader could see entry 11 committed while
 * entry 10 is still in flight, move its cursor past 10 and never see it. Here a write that
 * recorded entries adds their number to the counter ({@link SqlDialect#takeChangePositions}, one
 * round trip where the database allows) just before its commit (see {@link #write}), and the row
 * lock it takes there is held to the commit: the next writer reads the counter only once this one
 * has committed (or rolled back, giving its positions back), so positions are given in commit
 * order, without gaps. The price is that writes recording entries — merges, splits, forgets; not
 * plain links — commit one at a time for the length of that update, an insert batch and the
 * commit.
 *
 * <p>The lock is taken after every profile lock of the write and before the epoch row of {@code
 * omni_identity_epoch} (which a forget or a split moves last): every writer takes the two rows in
 * that order, so they cannot deadlock.
 */
final class JdbcChangeFeed {
  private static final String INSERT = """
      INSERT INTO omni_change (seq, kind, profile, other_profile, cause, at_ms) VALUES (?, ?, ?, ?, ?, ?)""";
  private static final String AFTER = """
      SELECT seq, kind, profile, other_profile, cause, at_ms FROM omni_change WHERE seq > ? ORDER BY seq LIMIT ?""";
  /** The merges of some profiles; the caller appends the condition on other_profile (no index: a scan). */
  private static final String MERGES_OF =
      "SELECT seq, kind, profile, other_profile, cause, at_ms FROM omni_change WHERE kind = 'MERGED' AND ";
  private static final String RECORDED_BEFORE = "at_ms < ?";
  /** Rows one prune transaction deletes at most. */
  private static final int PRUNE_CHUNK = 10_000;

  private final Transactions transactions;
  private final SqlDialect dialect;

  JdbcChangeFeed(Transactions transactions, SqlDialect dialect) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /**
   * Writes a transaction's entries at the next positions: call it last before the commit (the
   * counter's row stays locked until then). Does nothing, and locks nothing, for no entries.
   *
   * @return the position of the last entry written, or 0 for none
   */
  long write(Connection connection, List<ProfileChange> changes) {
    if (changes.isEmpty()) {
      return 0;
    }
    try {
      long last = dialect.takeChangePositions(connection, changes.size());
      if (last == 0) {
        // failing the write beats a change that downstream systems never hear of
        throw new OmniStorageException("the row of omni_change_head is missing, so this change could not enter the "
            + "change feed; apply V007__change_feed.sql", null, null);
      }
      int size = changes.size();
      List<Integer> positions = new ArrayList<>(size);
      for (int k = 0; k < size; k++) {
        positions.add(k);
      }
      String what = "writing " + size + " entries of the change feed";
      Sql.doing(connection, what).batch(INSERT, what, positions, (insert, k) -> {
        ProfileChange change = changes.get(k);
        insert.setLong(1, last - (size - 1 - k)); // the last entry takes the counter's new value
        insert.setString(2, change.kind().name());
        insert.setString(3, change.profile().value());
        if (change.other() == null) {
          insert.setNull(4, Types.VARCHAR);
        } else {
          insert.setString(4, change.other().value());
        }
        insert.setString(5, change.cause());
        insert.setLong(6, change.at().toEpochMilli());
      });
      return last;
    } catch (SQLException e) {
      throw OmniStorageException.of("writing " + changes.size() + " entries of the change feed failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Whether the entry at {@code position} is {@code change}: how a write whose commit lost its
   * acknowledgement finds that it committed. Positions are given in commit order, so a write that
   * rolled back leaves its positions to the next writer; the entry's content (a profile id is never
   * issued twice) tells the two apart.
   */
  boolean holds(Connection connection, long position, ProfileChange change) {
    return after(connection, position - 1, 1).stream().anyMatch(found -> found.position() == position
        && found.kind() == change.kind() && found.profile().equals(change.profile())
        && Objects.equals(found.other(), change.other()) && found.cause().equals(change.cause())
        && found.at().toEpochMilli() == change.at().toEpochMilli());
  }

  /** The entries after a position, at most {@code max}, on the reader's connection. */
  List<ProfileChange> after(Connection connection, long after, int max) {
    return Sql.doing(connection, "reading the change feed after position " + after).query(AFTER, select -> {
      select.setLong(1, after);
      select.setInt(2, max);
    }, JdbcChangeFeed::entry);
  }

  /**
   * The {@code MERGED} entries whose other profile is one of these, in position order. {@code
   * other_profile} has no index: this scans the feed, which only a retry that finds something left
   * behind by a failed carrying asks (see {@link io.omni.spi.IdentityReader#mergesOf}).
   */
  List<ProfileChange> mergesOf(Connection connection, Collection<ProfileId> merged) {
    List<String> ids = new ArrayList<>(merged.size());
    merged.forEach(p -> ids.add(p.value()));
    List<ProfileChange> found = new ArrayList<>();
    Sql sql = Sql.doing(connection, "reading the merges of " + merged.size() + " profiles from the change feed");
    for (List<String> chunk : dialect.chunks(ids)) {
      found.addAll(sql.query(MERGES_OF + dialect.in("other_profile", chunk.size()),
          select -> dialect.bindIn(select, 1, chunk, "varchar"), JdbcChangeFeed::entry));
    }
    found.sort(java.util.Comparator.comparingLong(ProfileChange::position));
    return found;
  }

  private static ProfileChange entry(java.sql.ResultSet rs) throws SQLException {
    String other = rs.getString(4);
    return new ProfileChange(rs.getLong(1), ProfileChange.Kind.valueOf(rs.getString(2)),
        ProfileId.of(rs.getString(3)), other == null ? null : ProfileId.of(other), rs.getString(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }

  /** Deletes the entries recorded before {@code before}, in chunks of 10,000, each its own transaction. */
  long prune(Instant before) {
    Objects.requireNonNull(before, "before");
    if (!before.isAfter(JdbcEventStore.EARLIEST)) {
      return 0;
    }
    return transactions.deleteInChunks("pruning the change feed", "omni_change", "seq", RECORDED_BEFORE,
        PRUNE_CHUNK, delete -> delete.setLong(1, before.toEpochMilli()));
  }
}
