package io.omni.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.Omni;
import io.omni.identity.Identities;
import io.omni.identity.Identifier;
import io.omni.identity.Link;
import io.omni.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Identity ingest into a database through the public API, with the default rules and every link
 * kept as evidence: {@code Identities.linkAll} of {@value #BATCH} events at a time against {@code
 * Identities.link} once per event, each its own transaction (what a shop gets by calling {@code
 * link} from a loop, or from one request per event).
 *
 * <p>Both run on an {@link Omni} over a {@link JdbcStore} with a HikariCP pool of 4, on a fresh
 * PostgreSQL schema or MariaDB database (dropped afterwards) or a fresh in-memory H2 database,
 * starting empty. The
 * events are the {@link Customers} links in their shuffled order, each with its own event id and
 * time: new customers, second channels, and logins that merge an anonymous profile into a known
 * one (about one link in nine), whose merge Omni also carries to the journey, cart and campaign
 * tables. The database grows through the run, more for the faster side, which is the harder case.
 * The score is links per second.
 *
 * <p>PostgreSQL is found through {@code OMNI_BENCH_POSTGRES_URL} (default {@value
 * #POSTGRES_DEFAULT}), MariaDB through {@code OMNI_BENCH_MARIADB_URL} (default {@value
 * #MARIADB_DEFAULT}); the user must be allowed to create a schema (a database). With {@code
 * -Domni.bench.statements=true} (pass it with {@code -jvmArgsAppend}) the trial ends by printing
 * the milliseconds per batch spent in each statement ({@link StatementTimer}).
 *
 * <pre>{@code
 * java -jar omni-benchmarks/target/benchmarks.jar JdbcIngestBenchmark \
 *     -f 1 -wi 2 -i 3 -w 5s -r 5s -rf json -rff target/jmh-jdbc-ingest.json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class JdbcIngestBenchmark {
  static final int BATCH = 1000;
  static final String POSTGRES_DEFAULT = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final String MARIADB_DEFAULT = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
  /** Identifiers generated: 1.5 M links, more than the batched side ingests in one run. */
  static final int IDENTIFIERS = 2_000_000;
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** Where the store lives. */
  public enum Database {
    /** A fresh schema in the PostgreSQL at {@code OMNI_BENCH_POSTGRES_URL}. */
    POSTGRESQL,
    /** A fresh database in the MariaDB at {@code OMNI_BENCH_MARIADB_URL}. */
    MARIADB,
    /** A fresh in-memory H2 database in this JVM. */
    H2
  }

  /** How the events reach the store: the facade is {@link #ingest}. */
  public enum Impl {
    /** {@code linkAll} of the whole batch: one transaction, bulk reads and JDBC batches. */
    BATCHED {
      @Override
      void ingest(Identities ids, List<Link> batch) {
        ids.linkAll(batch);
      }
    },
    /** {@code link} per event: one transaction each. */
    ONE_PER_TRANSACTION {
      @Override
      void ingest(Identities ids, List<Link> batch) {
        for (Link link : batch) {
          ids.link(link.eventId(), link.channel(), link.at(), link.identifiers());
        }
      }
    };

    abstract void ingest(Identities ids, List<Link> batch);
  }

  @Param
  Impl impl;

  @Param
  Database database;

  private Customers customers;
  private HikariDataSource pool;
  private String schema;
  private Identities identities;
  private List<Link> next;
  private int cursor;
  private StatementTimer timer;
  private long batches;
  private long wall;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    customers = Customers.generate(IDENTIFIERS, IdentityLinkBenchmark.SEED);
    schema = "omni_bench_" + Long.toHexString(System.nanoTime());
    HikariConfig config = new HikariConfig();
    config.setMaximumPoolSize(4);
    config.setPoolName(schema);
    if (database == Database.POSTGRESQL) {
      String base = System.getenv().getOrDefault("OMNI_BENCH_POSTGRES_URL", POSTGRES_DEFAULT);
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      config.setJdbcUrl(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    } else if (database == Database.MARIADB) {
      String base = mariaDbUrl();
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + schema);
      }
      config.setJdbcUrl(inDatabase(base, schema));
    } else {
      config.setJdbcUrl("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1");
    }
    pool = new HikariDataSource(config);
    javax.sql.DataSource ds = pool;
    if (Boolean.getBoolean("omni.bench.statements")) {
      timer = new StatementTimer();
      ds = timer.wrap(pool);
    }
    identities = Omni.builder().store(JdbcStore.builder(ds).build()).build().identities();
    cursor = 0;
  }

  private static String mariaDbUrl() {
    return System.getenv().getOrDefault("OMNI_BENCH_MARIADB_URL", MARIADB_DEFAULT);
  }

  /** The URL with its database replaced: {@code jdbc:mariadb://host:port/name?…}. */
  static String inDatabase(String url, String name) {
    int query = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
    int slash = url.lastIndexOf('/', query);
    return url.substring(0, slash + 1) + name + url.substring(query);
  }

  @Setup(Level.Invocation)
  public void nextBatch() {
    if (cursor + BATCH > customers.links()) {
      throw new IllegalStateException("all " + customers.links() + " links are used up; raise IDENTIFIERS");
    }
    Identifier[] ids = customers.identifiers;
    List<Link> batch = new ArrayList<>(BATCH);
    for (int k = cursor; k < cursor + BATCH; k++) {
      batch.add(new Link("evt-" + k, "web", T0.plusMillis(k),
          List.of(ids[customers.left[k]], ids[customers.right[k]])));
    }
    next = batch;
    cursor += BATCH;
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    if (timer != null) {
      timer.print(System.out, database + " " + impl, batches, wall);
    }
    pool.close();
    if (database == Database.POSTGRESQL) {
      String base = System.getenv().getOrDefault("OMNI_BENCH_POSTGRES_URL", POSTGRES_DEFAULT);
      try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    } else if (database == Database.MARIADB) {
      try (Connection c = DriverManager.getConnection(mariaDbUrl()); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + schema);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void ingest() {
    long t = System.nanoTime();
    impl.ingest(identities, next);
    wall += System.nanoTime() - t;
    batches++;
  }
}
