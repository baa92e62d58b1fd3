package io.omni.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A data source whose connection "drops" at the k-th round trip after {@link #failAt(int)}: that
 * execute (or commit) throws an {@link SQLException} of SQLState {@code 08006} (connection failure)
 * without reaching the database, as a server gone or a network cut would. One failure per arming.
 * {@link #count()} tells how many round trips were made since the last arming or {@link #reset()}.
 */
final class FailingDataSource {
  static final String LOST = "08006";

  final DataSource dataSource;
  private int failAt;
  private int count;
  private boolean fired;

  FailingDataSource(DataSource target) {
    this.dataSource = proxy(DataSource.class, target);
  }

  /** Makes the k-th round trip from now fail (k from 1); 0 for none. */
  synchronized void failAt(int k) {
    failAt = k;
    count = 0;
    fired = false;
  }

  /** Counts from zero again and fails nothing. */
  synchronized void reset() {
    failAt(0);
  }

  synchronized int count() {
    return count;
  }

  /** Whether the armed failure happened. */
  synchronized boolean fired() {
    return fired;
  }

  private synchronized void roundTrip(String what) throws SQLException {
    count++;
    if (failAt > 0 && count == failAt) {
      fired = true;
      throw new SQLTransientConnectionException("injected: the connection dropped at round trip " + count
          + " (" + what + ")", LOST);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target) {
    InvocationHandler handler = (self, method, args) -> {
      String name = method.getName();
      if (name.startsWith("execute") || (target instanceof Connection && name.equals("commit"))) {
        roundTrip(name);
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Connection && method.getReturnType() == Connection.class) {
        return proxy(Connection.class, (Connection) result);
      }
      if (result instanceof Statement && Statement.class.isAssignableFrom(method.getReturnType())) {
        return proxy((Class<Statement>) method.getReturnType(), (Statement) result);
      }
      return result;
    };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
