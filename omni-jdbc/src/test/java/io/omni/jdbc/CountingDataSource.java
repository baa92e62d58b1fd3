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
  final DataSource dataSource;

  CountingDataSource(DataSource target) {
    this.dataSource = proxy(DataSource.class, target);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target) {
    InvocationHandler handler = (self, method, args) -> {
      if (method.getName().startsWith("execute")) {
        executions.incrementAndGet();
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
