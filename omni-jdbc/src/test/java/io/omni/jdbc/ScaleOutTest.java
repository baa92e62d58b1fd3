package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.Link;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several JVMs back-fill one PostgreSQL, each a separate process with its own HikariCP pool and
 * Omni: half the customers each go to one JVM (disjoint), the other half have their links spread
 * over every JVM (overlapping: their merges race). The graph must be the one a single thread gets
 * on the in-memory store from the same links, with every link recorded once.
 *
 * <p>With {@code -Domni.scaleout.jvms=1,2,4 -Domni.scaleout.customers=20000} the test also
 * prints the figures of RESULTS.md ("Scale-out"): aggregate links/s, retries, stale reads and lock
 * waits for each number of JVMs.
 */
final class ScaleOutTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final int BATCH = 500;

  @Test
  void jvms_back_filling_one_postgresql_reach_the_single_threaded_graph() throws Exception {
    int customers = Integer.getInteger("omni.scaleout.customers", 1200);
    List<Integer> counts = new ArrayList<>();
    for (String n : System.getProperty("omni.scaleout.jvms", "2").split(",")) {
      counts.add(Integer.parseInt(n.strip()));
    }
    List<Link> all = links(customers);
    Set<Set<Identifier>> expected = reference(all);
    List<Identifier> pool = identifiers(customers);
    for (int jvms : counts) {
      try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL)) {
        JdbcStore.builder(db.pool(2)).build(); // the schema, before the workers start
        Run run = backfill(db, jvms, customers);
        System.out.printf("scale-out: %d JVM(s), %d links in %.1f s: %.0f links/s, %d retries, %d stale reads, "
            + "lock waits seen in %d of %d samples (max %d waiting)%n", jvms, all.size(), run.seconds,
            all.size() / run.seconds, run.retries, run.staleReads, run.samplesWaiting, run.samples, run.maxWaiting);
        Identities stored = Omni.builder().store(JdbcStore.builder(db.pool(2)).build()).build().identities();
        assertThat(Graph.partition(stored, pool)).isEqualTo(expected);
        assertThat(stored.stats().evidence()).isEqualTo(all.size());
        Graph.assertWhole(db);
      }
    }
  }

  /** What one back-fill measured. */
  record Run(double seconds, long retries, long staleReads, long samples, long samplesWaiting, long maxWaiting) {}

  private static Run backfill(TestDatabase db, int jvms, int customers) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<Process> workers = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong samples = new AtomicLong();
    AtomicLong waiting = new AtomicLong();
    AtomicLong maxWaiting = new AtomicLong();
    java.util.Map<String, Long> waits = new java.util.concurrent.ConcurrentHashMap<>();
    Thread sampler = new Thread(() -> {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        while (!done.get()) {
          try (ResultSet rs = s.executeQuery("SELECT l.locktype, COALESCE(l.relation::regclass::text, ''),"
              + " (SELECT w.query FROM pg_stat_activity w WHERE w.pid = (pg_blocking_pids(l.pid))[1])"
              + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
              + " WHERE NOT l.granted AND a.application_name = 'omni-scaleout-" + db.name + "'")) {
            long n = 0;
            while (rs.next()) {
              n++;
              String blocker = rs.getString(3) == null ? "" : rs.getString(3).replaceAll("\\s+", " ");
              waits.merge(rs.getString(1) + " " + rs.getString(2) + " held by: "
                  + blocker.substring(0, Math.min(60, blocker.length())), 1L, Long::sum);
            }
            samples.incrementAndGet();
            if (n > 0) {
              waiting.incrementAndGet();
            }
            maxWaiting.accumulateAndGet(n, Math::max);
          }
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<BufferedReader> outputs = new ArrayList<>();
    for (int w = 0; w < jvms; w++) {
      Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          Worker.class.getName(), db.url(), db.name, String.valueOf(w), String.valueOf(jvms), String.valueOf(customers))
          .redirectErrorStream(true).start();
      workers.add(p);
      outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }
    // every JVM started, its pool open and its share computed: then all begin at once
    List<StringBuilder> texts = new ArrayList<>();
    for (BufferedReader r : outputs) {
      StringBuilder out = new StringBuilder();
      texts.add(out);
      for (String line; (line = r.readLine()) != null && !line.equals("ready"); ) {
        out.append(line).append('\n');
      }
    }
    long start = System.nanoTime();
    for (Process p : workers) {
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
    }
    sampler.start();
    long retries = 0;
    long stale = 0;
    for (int w = 0; w < jvms; w++) {
      Process p = workers.get(w);
      StringBuilder out = texts.get(w);
      try (BufferedReader r = outputs.get(w)) {
        for (String line; (line = r.readLine()) != null; ) {
          out.append(line).append('\n');
          if (line.startsWith("retries ")) {
            String[] parts = line.split(" ");
            retries += Long.parseLong(parts[1]);
            stale += Long.parseLong(parts[3]);
          }
        }
      }
      assertThat(p.waitFor()).as("worker output:%n%s", out).isZero();
    }
    double seconds = (System.nanoTime() - start) / 1e9; // to the last worker's end, its JVM's exit included
    done.set(true);
    sampler.join();
    waits.forEach((what, n) -> System.out.printf("scale-out:   %d JVM(s) waited %d time(s) on %s%n", jvms, n, what));
    return new Run(seconds, retries, stale, samples.get(), waiting.get(), maxWaiting.get());
  }

  /** Customer c: cookie–email, device–account, then a login email–account that joins both. */
  static List<Link> links(int customers) {
    List<Link> links = new ArrayList<>(customers * 3);
    for (int c = 0; c < customers; c++) {
      links.add(link(c, 0));
      links.add(link(c, 1));
      links.add(link(c, 2));
    }
    return links;
  }

  static Link link(int c, int k) {
    List<Identifier> ids = switch (k) {
      case 0 -> List.of(Identifier.cookie("so-c-" + c), Identifier.email("so" + c + "@shopmail.com"));
      case 1 -> List.of(Identifier.device("so-d-" + c), Identifier.account("so-a-" + c));
      default -> List.of(Identifier.email("so" + c + "@shopmail.com"), Identifier.account("so-a-" + c));
    };
    return new Link("so-" + c + "-" + k, "web", T0.plusSeconds(3L * c + k), ids);
  }

  static List<Identifier> identifiers(int customers) {
    List<Identifier> pool = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      for (int k = 0; k < 2; k++) {
        pool.addAll(link(c, k).identifiers());
      }
    }
    return pool;
  }

  /**
   * Worker {@code w} of {@code n}: the first half of the customers by {@code c % n}, whole
   * (disjoint); of the second half, link {@code k} of customer {@code c} goes to worker {@code (c +
   * k) % n} (overlapping). Its links in their order, in batches of {@value #BATCH}.
   */
  static List<Link> share(int customers, int w, int n) {
    List<Link> mine = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      for (int k = 0; k < 3; k++) {
        int owner = c < customers / 2 ? c % n : (c + k) % n;
        if (owner == w) {
          mine.add(link(c, k));
        }
      }
    }
    return mine;
  }

  private static Set<Set<Identifier>> reference(List<Link> links) {
    Identities ids = Omni.builder().build().identities();
    for (Link link : links) {
      ids.link(link.eventId(), link.channel(), link.at(), link.identifiers());
    }
    return Graph.partition(ids, identifiers(links.size() / 3));
  }

  /** A back-fill process: {@code url name worker workers customers}. */
  public static final class Worker {
    private Worker() {}

    public static void main(String[] args) throws Exception {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(args[0] + (args[0].contains("?") ? "&" : "?") + "ApplicationName=omni-scaleout-" + args[1]);
      config.setMaximumPoolSize(2);
      int w = Integer.parseInt(args[2]);
      try (HikariDataSource pool = new HikariDataSource(config)) {
        JdbcStore store = JdbcStore.builder(pool).schemaMode(SchemaMode.VALIDATE).maxAttempts(50).build();
        Identities ids = Omni.builder().store(store).build().identities();
        List<Link> mine = share(Integer.parseInt(args[4]), w, Integer.parseInt(args[3]));
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int from = 0; from < mine.size(); from += BATCH) {
          ids.linkAll(mine.subList(from, Math.min(mine.size(), from + BATCH)));
        }
        System.out.println("retries " + store.retries() + " stale " + store.staleReads());
      }
    }
  }
}
