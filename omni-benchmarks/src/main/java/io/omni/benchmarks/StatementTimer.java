package io.omni.benchmarks;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Wall time spent in each statement text (its first 70 characters) and in commits, for the
 * per-statement breakdown of {@link JdbcIngestBenchmark} ({@code -Domni.bench.statements=true}).
 * Times include the round trip; the proxy itself costs well under a microsecond a call.
 */
final class StatementTimer {
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  DataSource wrap(DataSource pool) {
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(pool, method, args);
          return result instanceof Connection c ? connection(c) : result;
        });
  }

  private Connection connection(Connection c) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            return timed("COMMIT", () -> invoke(c, method, args));
          }
          Object result = invoke(c, method, args);
          if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
            return statement(ps, (String) args[0]);
          }
          return result;
        });
  }

  private PreparedStatement statement(PreparedStatement ps, String sql) {
    String key = sql.replaceAll("\\s+", " ").strip();
    String shown = key.length() > 70 ? key.substring(0, 70) : key;
    InvocationHandler handler = (proxy, method, args) -> method.getName().startsWith("execute")
        ? timed(shown, () -> invoke(ps, method, args)) : invoke(ps, method, args);
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, handler);
  }

  private interface Call {
    Object run() throws Throwable;
  }

  private Object timed(String key, Call call) throws Throwable {
    long t = System.nanoTime();
    try {
      return call.run();
    } finally {
      nanos.computeIfAbsent(key, k -> new LongAdder()).add(System.nanoTime() - t);
      calls.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  void reset() {
    nanos.clear();
    calls.clear();
  }

  /** Prints milliseconds and calls per unit (a batch of links), largest first. */
  void print(PrintStream out, String title, long units, long wallNanos) {
    out.printf("%n%s: ms and statements per batch, over %d batches%n", title, units);
    double total = 0;
    for (Map.Entry<String, LongAdder> e : nanos.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> x) -> x.getValue().sum()).reversed()).toList()) {
      double ms = e.getValue().sum() / 1e6 / units;
      total += ms;
      out.printf("%8.2f ms %8.1f x  %s%n", ms, calls.get(e.getKey()).sum() / (double) units, e.getKey());
    }
    out.printf("%8.2f ms in the database (round trips included) per batch, of %.2f ms wall time%n", total,
        wallNanos / 1e6 / units);
  }
}
