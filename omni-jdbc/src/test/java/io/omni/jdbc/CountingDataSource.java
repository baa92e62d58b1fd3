package io.omni.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that counts the statements sent to the database (each execute is a round trip),
 * and tells {@link #afterCommit} of each commit that made writes once the database has it.
 */
final class CountingDataSource {
  final AtomicInteger executions = new AtomicInteger();
  /** Commits asked of a connection (a transaction's last round trip; auto-commit statements have none). */
  final AtomicInteger commits = new AtomicInteger();
  /** Executions by the statement's SQL (its first line), for messages that say where round trips went. */
  final java.util.Map<String, AtomicInteger> bySql = new java.util.concurrent.ConcurrentHashMap<>();
  final DataSource dataSource;
  /** Called before every round trip (an execute, or a commit), on the calling thread; may throw. */
  volatile RoundTrip beforeRoundTrip = what -> { };
  /** Called before each statement runs, with its SQL (the prepared text, or the executed one). */
  volatile RoundTrip beforeStatement = sql -> { };
  /**
   * Called after the database committed writes, on the calling thread, before the caller hears of
   * it: after a {@code commit} of a transaction that ran a statement other than a {@code SELECT},
   * and after such a statement run in auto-commit. It may throw, as a lost acknowledgement would:
   * the writes stand, the caller gets the exception.
   */
  volatile Committed afterCommit = writes -> { };

  /**
   * Text of the first statement of a merge's carrying to the other stores: which of the merged
   * profiles hold a cart not yet folded ({@code CartStore.holding}).
   */
  static final String CARRYING_STARTS = "FROM omni_cart WHERE merged_into IS NULL";

  /**
   * A data source over {@code target} whose connection drops (SQLState {@code 08006}) at the first
   * statement of every merge's carrying, after the merge committed: every merge is left owed.
   */
  static DataSource droppingEveryCarrying(DataSource target) {
    CountingDataSource failing = new CountingDataSource(target);
    failing.beforeStatement = sql -> {
      if (sql.contains(CARRYING_STARTS)) {
        throw new java.sql.SQLTransientConnectionException("injected: the connection dropped before the carrying",
            "08006");
      }
    };
    return failing.dataSource;
  }

  /** A hook before a round trip to the database. */
  @FunctionalInterface
  interface RoundTrip {
    void before(String what) throws java.sql.SQLException;
  }

  /** A hook after the database committed writes. */
  @FunctionalInterface
  interface Committed {
    /** @param writes the first line of each write the commit made durable, in order */
    void after(List<String> writes) throws java.sql.SQLException;
  }

  /** A borrowed connection's writes since its last commit or rollback. */
  private static final class Session {
    final Connection target;
    final List<String> writes = new ArrayList<>();

    Session(Connection target) {
      this.target = target;
    }
  }

  CountingDataSource(DataSource target) {
    this.dataSource = proxy(DataSource.class, target, null, null);
  }

  private static boolean writes(String sql) {
    String text = sql.strip().toUpperCase(Locale.ROOT);
    return !text.startsWith("SELECT") && !text.equals("?");
  }

  private static String firstLine(String text) {
    String key = text.strip().lines().findFirst().orElse("");
    return key.length() > 90 ? key.substring(0, 90) : key;
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target, String sql, Session session) {
    InvocationHandler handler = (self, method, args) -> {
      boolean commit = target instanceof Connection && method.getName().equals("commit");
      boolean execute = method.getName().startsWith("execute");
      if (execute || commit) {
        beforeRoundTrip.before(method.getName());
      }
      if (commit) {
        commits.incrementAndGet();
      }
      String text = null;
      if (execute) {
        executions.incrementAndGet();
        text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String q ? q : "?";
        beforeStatement.before(text);
        bySql.computeIfAbsent(firstLine(text), k -> new AtomicInteger()).incrementAndGet();
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (session != null) {
        committed(session, target instanceof Connection ? method : null, commit, execute ? text : null);
      }
      if (result instanceof Connection && method.getReturnType() == Connection.class) {
        Connection connection = (Connection) result;
        return proxy(Connection.class, connection, null, new Session(connection));
      }
      if (result instanceof Statement && Statement.class.isAssignableFrom(method.getReturnType())) {
        String prepared = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
        return proxy((Class<Statement>) method.getReturnType(), (Statement) result, prepared, session);
      }
      return result;
    };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /** Keeps the session's writes, and tells {@link #afterCommit} when the database made them durable. */
  private void committed(Session session, java.lang.reflect.Method ofConnection, boolean commit, String executed)
      throws java.sql.SQLException {
    if (executed != null && writes(executed)) {
      session.writes.add(firstLine(executed));
      if (!session.target.getAutoCommit()) {
        return;
      }
    } else if (!commit) {
      if (ofConnection != null && ofConnection.getParameterCount() == 0
          && (ofConnection.getName().equals("rollback") || ofConnection.getName().equals("close"))) {
        session.writes.clear();
      }
      return;
    }
    if (session.writes.isEmpty()) {
      return;
    }
    List<String> durable = List.copyOf(session.writes);
    session.writes.clear();
    afterCommit.after(durable);
  }
}
