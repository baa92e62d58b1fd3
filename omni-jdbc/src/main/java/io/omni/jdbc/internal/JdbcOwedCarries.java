package io.omni.jdbc.internal;

import io.omni.identity.ProfileId;
import io.omni.spi.OwedCarry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Owed merge carries in SQL ({@code V013__owed_carries.sql}): one row of {@code omni_owed_carry}
 * per merge whose carrying to the other stores is owed, keyed by the merged profile's number.
 *
 * <p>A writer holds its merges' rows back and inserts them in one statement ({@link
 * SqlDialect#insertOwedCarries}: a batch, or one {@code unnest} on PostgreSQL) as it finishes,
 * before the change feed's entries, so that they commit with the merges; a write that merges
 * nothing sends nothing. Omni deletes a write's rows after carrying its merges, in auto-commit, one
 * statement per {@link SqlDialect#inChunk()} profiles. The sweep of {@code advance} reads the rows
 * noted before a time, oldest first, in auto-commit too: rows it reads may be carried at once by
 * another instance's sweep, which is harmless (every step of a carry is idempotent), so nothing is
 * claimed or locked. The rows whose carrying failed it postpones, setting their {@code noted_ms} to
 * its time in one statement per {@link SqlDialect#inChunk()} profiles, in auto-commit.
 */
final class JdbcOwedCarries {
  static final String TABLE = "omni_owed_carry";
  static final String[] COLUMNS = {"merged", "survivor", "cause", "channel", "at_ms", "noted_ms"};
  private static final String NOTED_BEFORE = """
      SELECT merged, survivor, cause, channel, at_ms, noted_ms FROM omni_owed_carry WHERE noted_ms < ?
      ORDER BY noted_ms, merged LIMIT ?""";
  private static final String DELETE = "DELETE FROM omni_owed_carry WHERE ";
  private static final String POSTPONE = "UPDATE omni_owed_carry SET noted_ms = ? WHERE ";

  private final Transactions transactions;
  private final SqlDialect dialect;

  JdbcOwedCarries(Transactions transactions, SqlDialect dialect) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /** Binds one row in the order of {@link #COLUMNS}. */
  static void bind(PreparedStatement insert, OwedCarry owed) throws SQLException {
    insert.setLong(1, owed.merged().number());
    insert.setLong(2, owed.survivor().number());
    insert.setString(3, owed.cause());
    insert.setString(4, owed.channel());
    insert.setLong(5, owed.at().toEpochMilli());
    insert.setLong(6, owed.noted().toEpochMilli());
  }

  /** The rows noted before {@code before}, oldest first, at most {@code max}; one statement. */
  List<OwedCarry> notedBefore(Instant before, int max) {
    Objects.requireNonNull(before, "before");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, was " + max);
    }
    long ms = before.isAfter(JdbcEventStore.EARLIEST) ? toMillis(before) : 0;
    String what = "reading owed merge carries";
    return transactions.single(what, connection -> Sql.doing(connection, what).query(NOTED_BEFORE, select -> {
      select.setLong(1, ms);
      select.setInt(2, max);
    }, rs -> new OwedCarry(ProfileId.ofNumber(rs.getLong(1)), ProfileId.ofNumber(rs.getLong(2)), rs.getString(3),
        rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)))));
  }

  private static long toMillis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // far in the future: every row
    }
  }

  /** Deletes the rows of these merged profiles: one statement per chunk, in auto-commit. */
  void carried(Collection<ProfileId> merged) {
    byMerged("removing", DELETE, null, merged);
  }

  /**
   * Sets the noted time of the rows of these merged profiles to {@code noted}: one statement per
   * chunk, in auto-commit. Rows that are gone (carried meanwhile) are passed over.
   */
  void postpone(Collection<ProfileId> merged, Instant noted) {
    Objects.requireNonNull(noted, "noted");
    byMerged("postponing", POSTPONE, toMillis(noted), merged);
  }

  /**
   * Runs {@code statement} (ending in {@code WHERE }) over the rows of these merged profiles, one
   * statement per chunk of them, in auto-commit; {@code leading}, when not {@code null}, is bound
   * first.
   */
  private void byMerged(String doing, String statement, Long leading, Collection<ProfileId> merged) {
    List<Long> numbers = numbers(merged);
    if (numbers.isEmpty()) {
      return;
    }
    String what = doing + " " + numbers.size() + " owed merge carries";
    transactions.single(what, connection -> {
      Sql sql = Sql.doing(connection, what);
      for (List<Long> chunk : dialect.chunks(numbers)) {
        sql.update(statement + dialect.in("merged", chunk.size()), update -> {
          int index = 1;
          if (leading != null) {
            update.setLong(index++, leading);
          }
          dialect.bindIn(update, index, chunk, "bigint");
        });
      }
      return null;
    });
  }

  /** The numbers of canonical profiles (a profile named by an alias has none, and no row). */
  private static List<Long> numbers(Collection<ProfileId> merged) {
    List<Long> numbers = new ArrayList<>(merged.size());
    for (ProfileId p : merged) {
      if (p.number() != 0) {
        numbers.add(p.number());
      }
    }
    return numbers;
  }
}
