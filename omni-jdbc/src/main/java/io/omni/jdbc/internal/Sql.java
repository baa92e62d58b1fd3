package io.omni.jdbc.internal;

import io.omni.jdbc.OmniStorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement helper every JDBC store shares: a query, an update, an insert that reads its
 * generated key, a JDBC batch (with or without generated keys), a statement over whole columns
 * bound as arrays, and an insert that answers {@code false} on a unique violation. Each runs one
 * {@link PreparedStatement} on the connection it is bound to and turns a {@link SQLException} into
 * an {@link OmniStorageException} that keeps the SQLState (so that {@link Transactions} can still
 * tell a transient failure and run the work again) and names what failed.
 */
final class Sql {

  /** Where the connection comes from: fixed, or borrowed when first needed. */
  @FunctionalInterface
  interface Source {
    Connection get() throws SQLException;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  interface Binder {
    Binder NONE = statement -> { };

    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Binds the parameters for one row of a batch. */
  @FunctionalInterface
  interface BatchBinder<T> {
    void bind(PreparedStatement statement, T row) throws SQLException;
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Source source;
  private final String subject;
  /** What the statements do, for messages, or {@code null} to name the statement and {@link #subject}. */
  private final String work;

  /**
   * A helper over a connection source.
   *
   * @param subject what the statements touch, for messages: {@code "the identity tables"}
   */
  Sql(Source source, String subject) {
    this(source, subject, null);
  }

  private Sql(Source source, String subject, String work) {
    this.source = source;
    this.subject = subject;
    this.work = work;
  }

  /**
   * A helper over one connection whose failures read "{@code work} failed: …", naming the input
   * as the store's own message would: {@code "saving the cart of p-1"}.
   */
  static Sql doing(Connection connection, String work) {
    return new Sql(() -> connection, null, work);
  }

  /** The same, over a connection borrowed when first needed. */
  static Sql doing(Source source, String work) {
    return new Sql(source, null, work);
  }

  private String failed(String statement) {
    return (work != null ? work : statement + subject) + " failed: ";
  }

  Connection connection() throws SQLException {
    return source.get();
  }

  /** Runs a query and reads every row. */
  <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      binder.bind(statement);
      return readAll(statement, reader);
    } catch (SQLException e) {
      throw OmniStorageException.of(failed("query on ") + e.getMessage(), e);
    }
  }

  /** Runs an update; answers the number of rows it changed. */
  int update(String sql, Binder binder) {
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw OmniStorageException.of(failed("update of ") + e.getMessage(), e);
    }
  }

  /**
   * Runs an insert; {@code false} when a unique or foreign-key constraint refused it (another
   * writer got there first), which on PostgreSQL leaves the transaction aborted: use it in
   * auto-commit or as a transaction's last statement.
   */
  boolean insertIfNew(String sql, Binder binder) {
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      binder.bind(statement);
      statement.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (Transactions.isConstraintViolation(e)) {
        return false;
      }
      throw OmniStorageException.of(failed("insert into ") + e.getMessage(), e);
    }
  }

  /** Runs an insert and answers the generated {@code key}. */
  long insert(String sql, String key, Binder binder) {
    try (PreparedStatement statement = connection().prepareStatement(sql, new String[] {key})) {
      binder.bind(statement);
      statement.executeUpdate();
      try (ResultSet rs = statement.getGeneratedKeys()) {
        if (!rs.next()) {
          throw new OmniStorageException("the database returned no generated " + key, null, null);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw OmniStorageException.of(failed("insert into ") + e.getMessage(), e);
    }
  }

  /** Runs one statement for each of {@code rows} in a JDBC batch. */
  <T> void batch(String sql, String what, List<T> rows, BatchBinder<T> binder) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      for (T row : rows) {
        binder.bind(statement, row);
        statement.addBatch();
      }
      statement.executeBatch();
    } catch (SQLException e) {
      throw OmniStorageException.of(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Like {@link #batch}, for inserts: returns the generated keys, one per row, in the rows' order. */
  <T> long[] insertBatch(String sql, String key, String what, List<T> rows, BatchBinder<T> binder) {
    long[] keys = new long[rows.size()];
    if (rows.isEmpty()) {
      return keys;
    }
    try (PreparedStatement statement = connection().prepareStatement(sql, new String[] {key})) {
      for (T row : rows) {
        binder.bind(statement, row);
        statement.addBatch();
      }
      statement.executeBatch();
      int k = 0;
      try (ResultSet rs = statement.getGeneratedKeys()) {
        while (rs.next() && k < keys.length) {
          keys[k++] = rs.getLong(1);
        }
      }
      if (k != keys.length) {
        throw new OmniStorageException("the driver returned " + k + " generated " + key + " values for a batch of "
            + keys.length + " rows", null, null);
      }
      return keys;
    } catch (SQLException e) {
      throw OmniStorageException.of(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a statement whose parameters are whole columns, each bound as one array ({@code
   * String[]} as varchar, {@code Long[]} as bigint, {@code Integer[]} as integer); reads what it
   * returns, or with a {@code null} reader runs it as an update.
   */
  <T> List<T> arrays(String sql, String what, RowReader<T> reader, Object[]... columns) {
    try (PreparedStatement statement = connection().prepareStatement(sql)) {
      for (int k = 0; k < columns.length; k++) {
        Object[] column = columns[k];
        String type = column instanceof String[] ? "varchar" : column instanceof Long[] ? "bigint" : "integer";
        statement.setArray(k + 1, statement.getConnection().createArrayOf(type, column));
      }
      if (reader == null) {
        statement.executeUpdate();
        return new ArrayList<>();
      }
      return readAll(statement, reader);
    } catch (SQLException e) {
      throw OmniStorageException.of(what + " failed: " + e.getMessage(), e);
    }
  }

  private static <T> List<T> readAll(PreparedStatement statement, RowReader<T> reader) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
    }
    return rows;
  }
}
