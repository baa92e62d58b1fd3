package io.omni.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omni.Omni;
import io.omni.identity.Identities;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap bytes per identifier: Omni's in-memory identity graph (union-find, interning table, member
 * lists, profiles and the evidence of every link) against JGraphT's {@code UnionFind<String>}
 * holding the same strings, both fed the links of {@link Customers}.
 *
 * <p>Measured as a heap delta: a full GC, the used heap, build the structure while holding the
 * data, a full GC, the used heap again; the difference divided by the number of identifiers. The
 * identifier strings exist before the first reading and both structures keep those same
 * instances, so <b>neither count includes the strings</b> — only what each structure adds on top
 * of them. Run it with the parallel collector, whose used heap after a full GC is the live set:
 *
 * <pre>{@code
 * java -XX:+UseParallelGC -Xms12g -Xmx12g -cp omni-benchmarks/target/benchmarks.jar \
 *     io.omni.benchmarks.HeapPerIdentifier target/heap-results.json 10000 1000000 10000000
 * }</pre>
 *
 * It also prints the bytes each side allocates per link while building (garbage included), from
 * HotSpot's per-thread allocation counter.
 *
 * <p>The file is written in JMH's JSON layout (benchmark {@code HeapPerIdentifier.bytes}, params
 * {@code impl} and {@code size}, unit {@code B/id}) so that {@link Ratios} reads it with the rest.
 */
public final class HeapPerIdentifier {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapPerIdentifier() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: HeapPerIdentifier <out.json> <size>...");
      System.exit(2);
    }
    ObjectMapper json = new ObjectMapper();
    ArrayNode results = json.createArrayNode();
    warmUp();
    for (int a = 1; a < args.length; a++) {
      int size = Integer.parseInt(args[a]);
      Customers customers = Customers.generate(size, IdentityLinkBenchmark.SEED);
      String[] values = customers.values();
      int n = customers.identifiers.length;

      long before = usedAfterGc();
      long allocated = allocatedBytes();
      Omni omni = Omni.inMemory();
      Identities ids = omni.identities();
      for (int k = 0; k < customers.links(); k++) {
        ids.link("web", customers.identifiers[customers.left[k]], customers.identifiers[customers.right[k]]);
      }
      double omniAllocated = (double) (allocatedBytes() - allocated) / customers.links();
      long omniBytes = usedAfterGc() - before;
      Identities.Stats stats = ids.stats();
      if (stats.identifiers() != n || stats.profiles() != n / Customers.PER_CUSTOMER) {
        throw new IllegalStateException("expected " + n + " identifiers in " + n / Customers.PER_CUSTOMER
            + " profiles, Omni holds " + stats);
      }
      omni = null;
      ids = null;

      before = usedAfterGc();
      allocated = allocatedBytes();
      IdentityLinkBenchmark.StringSets sets = new IdentityLinkBenchmark.StringSets();
      for (int k = 0; k < customers.links(); k++) {
        String x = values[customers.left[k]];
        String y = values[customers.right[k]];
        sets.addIfAbsent(x);
        sets.addIfAbsent(y);
        sets.union(x, y);
      }
      double jgraphtAllocated = (double) (allocatedBytes() - allocated) / customers.links();
      long jgraphtBytes = usedAfterGc() - before;
      if (sets.size() != n || sets.numberOfSets() != n / Customers.PER_CUSTOMER) {
        throw new IllegalStateException("JGraphT holds " + sets.size() + " elements in " + sets.numberOfSets() + " sets");
      }
      sets = null;

      System.out.printf("heap per identifier at %,d: OMNI %.1f B, JGRAPHT %.1f B (strings excluded from both)%n",
          n, (double) omniBytes / n, (double) jgraphtBytes / n);
      System.out.printf("allocated per link at %,d: OMNI %.0f B, JGRAPHT %.0f B (growth of the structures included)%n",
          n, omniAllocated, jgraphtAllocated);
      results.add(result(json, "OMNI", size, (double) omniBytes / n));
      results.add(result(json, "JGRAPHT", size, (double) jgraphtBytes / n));
      java.lang.ref.Reference.reachabilityFence(customers);
      java.lang.ref.Reference.reachabilityFence(values);
    }
    json.writerWithDefaultPrettyPrinter().writeValue(new File(args[0]), results);
  }

  /**
   * Builds and drops a graph of {@value #WARM_UP} identifiers on each side before the first
   * reading, so that what a process sets up once — classes, the phone metadata the rules read for
   * the first numbers of each calling code, static caches — is not counted as the first size's
   * heap. Without it the first size measured was charged about 640 KB more for Omni (149 B per
   * identifier at 10⁴ when 10⁴ came first, 87 B at 3·10⁴ right after).
   */
  private static void warmUp() {
    Customers warm = Customers.generate(WARM_UP, IdentityLinkBenchmark.SEED + 1);
    Identities ids = Omni.inMemory().identities();
    IdentityLinkBenchmark.StringSets sets = new IdentityLinkBenchmark.StringSets();
    String[] values = warm.values();
    for (int k = 0; k < warm.links(); k++) {
      ids.link("web", warm.identifiers[warm.left[k]], warm.identifiers[warm.right[k]]);
      sets.addIfAbsent(values[warm.left[k]]);
      sets.addIfAbsent(values[warm.right[k]]);
      sets.union(values[warm.left[k]], values[warm.right[k]]);
    }
  }

  private static final int WARM_UP = 20_000;

  private static ObjectNode result(ObjectMapper json, String impl, int size, double bytesPerIdentifier) {
    ObjectNode r = json.createObjectNode();
    r.put("benchmark", HeapPerIdentifier.class.getName() + ".bytes");
    r.put("mode", "heap");
    ObjectNode params = r.putObject("params");
    params.put("impl", impl);
    params.put("size", Integer.toString(size));
    ObjectNode metric = r.putObject("primaryMetric");
    metric.put("score", bytesPerIdentifier);
    metric.put("scoreError", 0.0);
    metric.put("scoreUnit", "B/id");
    return r;
  }

  /** Bytes this thread allocated so far (HotSpot's per-thread counter). */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** The used heap after full collections: the live set, with the parallel collector. */
  static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
