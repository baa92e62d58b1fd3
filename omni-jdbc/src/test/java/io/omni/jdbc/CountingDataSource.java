package io.omni.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A data source that counts the statements sent to the database (each execute is a round trip). */
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

  /** A hook before a round trip to the database. */
  @FunctionalInterface
  interface RoundTrip {
    void before(String what) throws java.sql.SQLException;
  }

  CountingDataSource(DataSource target) {
    this.dataSource = proxy(DataSource.class, target, null);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target, String sql) {
    InvocationHandler handler = (self, method, args) -> {
      if (method.getName().startsWith("execute") || (target instanceof Connection && method.getName().equals("commit"))) {
        beforeRoundTrip.before(method.getName());
      }
      if (target instanceof Connection && method.getName().equals("commit")) {
        commits.incrementAndGet();
      }
      if (method.getName().startsWith("execute")) {
        executions.incrementAndGet();
        String text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String q ? q : "?";
        beforeStatement.before(text);
        String key = text.strip().lines().findFirst().orElse("");
        bySql.computeIfAbsent(key.length() > 90 ? key.substring(0, 90) : key, k -> new AtomicInteger()).incrementAndGet();
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Connection && method.getReturnType() == Connection.class) {
        return proxy(Connection.class, (Connection) result, null);
      }
      if (result instanceof Statement && Statement.class.isAssignableFrom(method.getReturnType())) {
        String prepared = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
        return proxy((Class<Statement>) method.getReturnType(), (Statement) result, prepared);
      }
      return result;
    };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
