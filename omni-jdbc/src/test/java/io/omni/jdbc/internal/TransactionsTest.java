package io.omni.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.jdbc.Dialect;
import io.omni.jdbc.OmniStorageException;
import java.lang.reflect.Proxy;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Which failures run a transaction again, how often, and what the caller sees when it gives up. */
final class TransactionsTest {
  private static final DataSource H2 = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
      new Class<?>[] {DataSource.class}, (self, method, args) -> {
        if (method.getName().equals("getConnection")) {
          return DriverManager.getConnection("jdbc:h2:mem:transactions-test;DB_CLOSE_DELAY=-1");
        }
        throw new UnsupportedOperationException(method.getName());
      });

  private final Transactions transactions = new Transactions(H2, SqlDialect.of(Dialect.POSTGRESQL), 4);

  @Test
  void a_serialization_failure_runs_the_work_again() {
    AtomicInteger runs = new AtomicInteger();
    String result = transactions.write("test", c -> {
      if (runs.incrementAndGet() < 3) {
        throw new SQLException("could not serialize", "40001");
      }
      return "done";
    });
    assertThat(result).isEqualTo("done");
    assertThat(runs).hasValue(3);
  }

  @Test
  void a_unique_violation_is_recognized_by_its_sqlstate_class_not_its_message() {
    AtomicInteger runs = new AtomicInteger();
    transactions.write("test", c -> {
      if (runs.incrementAndGet() == 1) {
        throw new SQLIntegrityConstraintViolationException("whatever the driver says", "23505");
      }
      return null;
    });
    assertThat(runs).hasValue(2);
  }

  @Test
  void a_deadlock_that_keeps_happening_gives_up_after_the_bound_with_its_sqlstate() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> transactions.write("a test write", c -> {
      runs.incrementAndGet();
      throw new SQLException("deadlock detected", "40P01");
    })).isInstanceOfSatisfying(OmniStorageException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("40P01");
      assertThat(e).hasMessageContaining("a test write failed 4 times");
    });
    assertThat(runs).hasValue(4);
  }

  @Test
  void any_other_error_fails_at_once_with_its_sqlstate() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> transactions.write("test", c -> {
      runs.incrementAndGet();
      throw new SQLException("relation does not exist", "42P01");
    })).isInstanceOfSatisfying(OmniStorageException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    assertThat(runs).hasValue(1);
  }

  @Test
  void a_stale_read_runs_the_work_again_without_using_up_attempts() {
    AtomicInteger runs = new AtomicInteger();
    transactions.write("test", c -> {
      if (runs.incrementAndGet() < 8) {
        throw new Transactions.StaleRead("moved");
      }
      return null;
    });
    assertThat(runs).hasValue(8);
  }

  @Test
  void a_bug_in_the_work_is_not_retried_and_not_wrapped() {
    AtomicInteger runs = new AtomicInteger();
    assertThatThrownBy(() -> transactions.write("test", c -> {
      runs.incrementAndGet();
      throw new IllegalStateException("core says no");
    })).isExactlyInstanceOf(IllegalStateException.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void dialects_add_their_own_transient_codes() {
    SQLException mariaDeadlock = new SQLException("Deadlock found", "40001", 1213);
    SQLException mariaLockWait = new SQLException("Lock wait timeout exceeded", "HY000", 1205);
    SQLException h2LockTimeout = new SQLException("Timeout trying to lock table", "HYT00", 50200);
    assertThat(SqlDialect.of(Dialect.MARIADB).isTransient(mariaDeadlock)).isTrue();
    assertThat(SqlDialect.of(Dialect.MARIADB).isTransient(mariaLockWait)).isTrue();
    assertThat(SqlDialect.of(Dialect.POSTGRESQL).isTransient(mariaLockWait)).isFalse();
    assertThat(SqlDialect.of(Dialect.H2).isTransient(h2LockTimeout)).isTrue();
    assertThat(SqlDialect.of(Dialect.POSTGRESQL).isTransient(new SQLException("x", "40P01"))).isTrue();
    assertThat(SqlDialect.of(Dialect.H2).isTransient(new SQLException("x", "42S02"))).isFalse();
  }
}
