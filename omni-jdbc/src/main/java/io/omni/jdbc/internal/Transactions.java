package io.omni.jdbc.internal;

import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in one transaction on a borrowed connection, and runs it again — with a small,
 * jittered, growing pause — when the database says a retry may succeed (a concurrent writer won a
 * unique key, a serialization failure, a deadlock) or when the work found its reads stale.
 *
 * <p>A commit that fails on a lost connection (SQLState class {@code 08}) may have committed: the
 * database got it, the acknowledgement never came back. A retry of such a write, by the caller or
 * by Omni, would then repeat a write that stands. Work that can tell its own committed write from
 * the database ({@link #write(String, Work, Committed)}: a row it wrote, with what it wrote) is
 * asked, on a connection of its own, and answers as committed when it finds it.
 *
 * <p>About 430 lines on purpose: one room, how work meets the database (a write's transaction and
 * its retries, a commit whose acknowledgement was lost, auto-commit statements, read snapshots,
 * chunked deletes); split apart, each part would repeat the borrowing and restoring of connections.
 */
public final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
  private static final long MAX_PAUSE_MILLIS = 100;
  private static final int MAX_STALE_READS = 100;

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final int maxAttempts;
  private final java.util.concurrent.atomic.LongAdder retried = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder staleRuns = new java.util.concurrent.atomic.LongAdder();

  /** Creates the runner; {@code maxAttempts} counts the first run. */
  public Transactions(DataSource dataSource, SqlDialect dialect, int maxAttempts) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.maxAttempts = maxAttempts;
  }

  /** Work over one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<R> {
    /** Does the work; may throw {@link SQLException} or {@link OmniStorageException}. */
    R run(Connection connection) throws SQLException;
  }

  /** Raised by work that read something another transaction has since changed: run it again. */
  public static final class StaleRead extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Names what moved. */
    public StaleRead(String what) {
      super(what, null, false, false);
    }
  }

  /** Work run again on a transient failure the database reported, since this runner was made. */
  public long retries() {
    return retried.sum();
  }

  /** Work run again because its reads were stale, since this runner was made. */
  public long staleReads() {
    return staleRuns.sum();
  }

  /** Runs work that writes, at READ COMMITTED, retrying transient failures. */
  public <R> R write(String what, Work<R> work) {
    return run(what, Connection.TRANSACTION_READ_COMMITTED, maxAttempts, work, null);
  }

  /** Tells whether the last run of a write committed, reading on a connection of its own. */
  @FunctionalInterface
  public interface Committed {
    /** Whether the write the work made last is in the database, as it made it. */
    boolean in(Connection connection) throws SQLException;
  }

  /** How many times a commit whose acknowledgement was lost is looked for before the failure stands. */
  private static final int LOOKS_FOR_A_LOST_COMMIT = 3;

  /**
   * As {@link #write(String, Work)}; when the commit fails on a lost connection, so that it may
   * have committed, {@code committed} is asked (up to {@value #LOOKS_FOR_A_LOST_COMMIT} times, each
   * on a new connection) and, if it finds the write, the work's result is answered as if the
   * commit had been acknowledged. Without it, the caller's retry (or Omni's) would repeat a write
   * that stands: a second campaign run, a split whose cart lines are never moved.
   */
  public <R> R write(String what, Work<R> work, Committed committed) {
    return run(what, Connection.TRANSACTION_READ_COMMITTED, maxAttempts, work, committed);
  }

  /** Whether a failure lost the connection (SQLState class {@code 08}): what it was sending may have landed. */
  public static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08");
  }

  /** A commit that failed on a lost connection, with the result of the work it was to commit. */
  private static final class CommitUnacknowledged extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Object result;

    CommitUnacknowledged(SQLException cause, Object result) {
      super(cause.getMessage(), cause, false, false);
      this.result = result;
    }
  }

  /**
   * Looks for a write whose commit lost its acknowledgement: true when {@code committed} finds it;
   * false when it does not, or cannot look (the failure stands then, as it would have).
   */
  private boolean foundCommitted(String what, Committed committed, SQLException lost) {
    Boolean found = lookAgain(what, lost, committed::in);
    if (Boolean.TRUE.equals(found)) {
      LOG.warn("{}: the commit's acknowledgement was lost ({}), and the write is found committed", what,
          lost.getMessage());
    }
    return Boolean.TRUE.equals(found);
  }

  /**
   * Reads, after {@code lost} left a write's outcome unknown, what tells it: {@code look} runs in
   * auto-commit on a new connection, up to {@value #LOOKS_FOR_A_LOST_COMMIT} times while it fails.
   *
   * @return what {@code look} answered, or {@code null} when it could not (its failures are added
   *     to {@code lost} as suppressed)
   */
  public <T> T lookAgain(String what, SQLException lost, Work<T> look) {
    for (int attempt = 1; attempt <= LOOKS_FOR_A_LOST_COMMIT; attempt++) {
      try {
        return single(what, look);
      } catch (OmniStorageException e) {
        lost.addSuppressed(e);
        LOG.debug("{}: looking for a write whose acknowledgement was lost failed (look {} of {})", what, attempt,
            LOOKS_FOR_A_LOST_COMMIT, e);
      }
    }
    return null;
  }

  /**
   * Runs one statement's work in auto-commit, once: for an insert whose unique violation is an
   * answer ("someone was first"), which the work catches, rather than a reason to run again; or
   * for reads that need no snapshot beyond their own statement's ({@link #profilesIn}).
   */
  public <R> R single(String what, Work<R> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      if (!autoCommit) {
        connection.setAutoCommit(true);
      }
      try {
        return work.run(connection);
      } finally {
        if (!autoCommit) {
          connection.setAutoCommit(false);
        }
      }
    } catch (SQLException e) {
      throw OmniStorageException.of(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Which of these profiles have a row in any of these tables (each with a {@code profile}
   * column holding the profile id): one statement per chunk of ids, the tables' selects joined by
   * {@code UNION}, in auto-commit. No transaction is needed: one statement reads one snapshot,
   * chunks name different profiles, and the answer only lets a merge skip the profiles that hold
   * nothing to carry (each store is asked on its own, after the merge committed, so it never was
   * one snapshot with the identity write). A read transaction cost a commit and, to set and reset
   * its isolation level, two more round trips per store and batch of merges.
   */
  public Set<ProfileId> profilesIn(Collection<ProfileId> profiles, String... tables) {
    return profilesWhere(profiles, "", tables);
  }

  /**
   * {@link #profilesIn(Collection, String...)} of the rows that also meet {@code condition}, a
   * constant of SQL that ends in {@code AND} (it is put before the test of the profile column).
   */
  public Set<ProfileId> profilesWhere(Collection<ProfileId> profiles, String condition, String... tables) {
    Set<ProfileId> found = new HashSet<>();
    if (profiles.isEmpty()) {
      return found;
    }
    List<String> ids = new ArrayList<>(profiles.size());
    profiles.forEach(p -> ids.add(p.value()));
    return single("finding the profiles that hold rows in " + String.join(", ", tables), connection -> {
      for (List<String> part : dialect.chunks(ids)) {
        List<String> selects = new ArrayList<>(tables.length);
        for (String table : tables) {
          selects.add("SELECT profile FROM " + table + " WHERE " + condition + dialect.in("profile", part.size()));
        }
        try (PreparedStatement statement = connection.prepareStatement(String.join(" UNION ", selects))) {
          int index = 1;
          for (int t = 0; t < tables.length; t++) {
            index = dialect.bindIn(statement, index, part, "varchar");
          }
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              found.add(new ProfileId(rs.getString(1)));
            }
          }
        }
      }
      return found;
    });
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  public interface Parameters {
    /** Sets the parameters of {@code statement}. */
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Deletes the rows of {@code table} that meet {@code condition}, at most {@code chunk} at a time,
   * each chunk in a transaction of its own, until a chunk deletes nothing: a prune that holds no
   * lock for long and leaves no long transaction behind. Instances pruning at once share the rows.
   *
   * @param key the table's primary key columns, comma-separated
   * @return how many rows this call deleted
   */
  public long deleteInChunks(String what, String table, String key, String condition, int chunk,
      Parameters parameters) {
    String sql = dialect.deleteAtMost(table, key, condition, chunk);
    long deleted = 0;
    for (int last = -1; last != 0; ) {
      last = write(what, connection -> {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
          parameters.bind(delete);
          return delete.executeUpdate();
        }
      });
      deleted += last;
    }
    return deleted;
  }

  /** The clause that makes a select lock its rows for update, in this database's SQL. */
  public String forUpdate() {
    return dialect.forUpdate();
  }

  /** Whether the database refused a write on a constraint (SQLState class {@code 23}). */
  public static boolean isConstraintViolation(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  /** Work that borrows its connection only if it needs one. */
  @FunctionalInterface
  public interface LazyWork<R> {
    /** Does the work; {@code connection.get()} borrows and begins the transaction on first use. */
    R run(Lazy connection) throws SQLException;
  }

  /**
   * A connection borrowed on first use, so that a read the cache answers costs no round trip. Its
   * transaction reads one snapshot (REPEATABLE READ).
   */
  public final class Lazy implements AutoCloseable {
    private Connection connection;
    private boolean autoCommit;
    private int previousIsolation;
    private boolean done;

    private Lazy() {}

    /** The connection, borrowed and set up on the first call. */
    public Connection get() throws SQLException {
      if (connection == null) {
        Connection borrowed = dataSource.getConnection();
        try {
          autoCommit = borrowed.getAutoCommit();
          previousIsolation = borrowed.getTransactionIsolation();
          if (previousIsolation != Connection.TRANSACTION_REPEATABLE_READ) {
            borrowed.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          }
          if (autoCommit) {
            borrowed.setAutoCommit(false);
          }
        } catch (SQLException e) {
          borrowed.close();
          throw e;
        }
        connection = borrowed;
      }
      return connection;
    }

    private void commit() throws SQLException {
      if (connection != null) {
        connection.commit();
      }
      done = true;
    }

    @Override
    public void close() throws SQLException {
      if (connection == null) {
        return;
      }
      try {
        if (!done) {
          connection.rollback();
        }
        if (autoCommit) {
          connection.setAutoCommit(true);
        }
        if (previousIsolation != Connection.TRANSACTION_REPEATABLE_READ) {
          connection.setTransactionIsolation(previousIsolation);
        }
      } finally {
        connection.close();
      }
    }
  }

  /** Runs work that only reads, on one consistent snapshot (REPEATABLE READ). */
  public <R> R read(String what, LazyWork<R> work) {
    try (Lazy lazy = new Lazy()) {
      R result = work.run(lazy);
      lazy.commit();
      return result;
    } catch (SQLException e) {
      throw OmniStorageException.of(what + " failed: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private <R> R run(String what, int isolation, int attempts, Work<R> work, Committed committed) {
    int stale = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        try {
          return once(isolation, work, committed != null);
        } catch (CommitUnacknowledged lost) {
          SQLException cause = (SQLException) lost.getCause();
          if (foundCommitted(what, committed, cause)) {
            return (R) lost.result;
          }
          throw cause;
        }
      } catch (SQLException | OmniStorageException | StaleRead e) {
        SQLException sql = sqlCause(e);
        boolean retry = e instanceof StaleRead || (sql != null && dialect.isTransient(sql));
        if (e instanceof StaleRead && ++stale <= MAX_STALE_READS) {
          // a stale read means another writer committed: progress, so it does not use up an attempt
          attempt--;
        }
        if (!retry || attempt >= attempts) {
          if (e instanceof OmniStorageException && !retry) {
            throw (OmniStorageException) e;
          }
          String state = sql != null ? sql.getSQLState() : null;
          String message = retry
              ? what + " failed " + attempt + " times on concurrent writers; last: " + e.getMessage()
              : what + " failed: " + e.getMessage();
          throw new OmniStorageException(message, state, e);
        }
        (e instanceof StaleRead ? staleRuns : retried).increment();
        LOG.debug("{} hit {} (attempt {} of {}); running it again", what, e.getMessage(), attempt, attempts);
        pause(attempt);
      }
    }
  }

  private <R> R once(int isolation, Work<R> work, boolean unacknowledged) throws SQLException, CommitUnacknowledged {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      int previousIsolation = connection.getTransactionIsolation();
      if (previousIsolation != isolation) {
        connection.setTransactionIsolation(isolation);
      }
      if (autoCommit) {
        connection.setAutoCommit(false);
      }
      R result = null;
      boolean committing = false;
      try {
        result = work.run(connection);
        committing = true;
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        if (committing && unacknowledged && e instanceof SQLException sql && connectionLost(sql)) {
          throw new CommitUnacknowledged(sql, result); // looked for once this connection is back in the pool
        }
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        try {
          if (autoCommit) {
            connection.setAutoCommit(true);
          }
          if (previousIsolation != isolation) {
            connection.setTransactionIsolation(previousIsolation);
          }
        } catch (SQLException ignored) {
          LOG.debug("could not restore a connection's settings", ignored);
        }
      }
    }
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  private static void pause(int attempt) {
    long bound = Math.min(MAX_PAUSE_MILLIS, 2L << Math.min(attempt, 10));
    try {
      TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OmniStorageException("interrupted while waiting to retry a transaction", null, e);
    }
  }
}
