package io.omni.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints the suite's results as a Markdown table of Omni/peer ratios, one row per comparison.
 *
 * <p>It reads JMH JSON files (and {@link HeapPerIdentifier}'s, written in the same layout). A
 * comparison is every result of one benchmark method with the same parameters except {@code impl};
 * the reference is the {@code impl} named {@code OMNI} (or {@code BATCHED}, for a benchmark that
 * compares two ways of Omni's own), each other {@code impl} is a peer and gets a row. So a new
 * benchmark slots in by following that convention — no change here. Then, per benchmark and
 * implementation, how the cost of one operation grows from the smallest to the largest {@code
 * size}.
 *
 * <pre>{@code
 * java -cp omni-benchmarks/target/benchmarks.jar io.omni.benchmarks.Ratios target/jmh-*.json
 * }</pre>
 */
public final class Ratios {
  private static final Set<String> REFERENCES = Set.of("OMNI", "BATCHED");

  private Ratios() {}

  /** One score from a result file. */
  record Score(String benchmark, String mode, Map<String, String> params, double score, double error, String unit) {
    String impl() {
      return params.getOrDefault("impl", "");
    }

    /** The parameters that name the comparison: all but impl. */
    String key() {
      Map<String, String> rest = new TreeMap<>(params);
      rest.remove("impl");
      return benchmark + ' ' + rest;
    }

    String shortName() {
      String[] parts = benchmark.split("\\.");
      return parts.length >= 2 ? parts[parts.length - 2] + '.' + parts[parts.length - 1] : benchmark;
    }

    /** The benchmark's name with the parameters that are neither impl nor size, e.g. the database. */
    String label() {
      Map<String, String> rest = new TreeMap<>(params);
      rest.remove("impl");
      rest.remove("size");
      StringBuilder label = new StringBuilder(shortName());
      rest.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
      return label.toString();
    }

    boolean higherIsBetter() {
      return mode.equals("thrpt");
    }

    long size() {
      String s = params.get("size");
      return s == null ? -1 : Long.parseLong(s);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Ratios <jmh-result.json>...");
      System.exit(2);
    }
    List<Score> scores = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String file : args) {
      File f = new File(file);
      if (!f.isFile() || f.length() == 0) {
        System.err.println("skipping " + file + ": no results");
        continue;
      }
      for (JsonNode r : json.readTree(f)) {
        Map<String, String> params = new TreeMap<>();
        JsonNode p = r.get("params");
        if (p != null) {
          for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), e.getValue().asText());
          }
        }
        JsonNode m = r.get("primaryMetric");
        scores.add(new Score(r.get("benchmark").asText(), r.get("mode").asText(), params,
            m.get("score").asDouble(), m.path("scoreError").asDouble(Double.NaN), m.get("scoreUnit").asText()));
      }
    }
    System.out.print(table(scores));
    System.out.print(growth(scores));
  }

  static String table(List<Score> scores) {
    Map<String, List<Score>> groups = new LinkedHashMap<>();
    for (Score s : scores) {
      groups.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
    }
    List<List<Score>> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator.comparing((List<Score> g) -> g.get(0).shortName()).thenComparingLong(g -> g.get(0).size()));
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | size | peer | Omni | peer score | unit | Omni/peer | better | Omni's advantage |\n");
    out.append("|---|---:|---|---:|---:|---|---:|---|---:|\n");
    for (List<Score> group : ordered) {
      Score reference = group.stream().filter(s -> REFERENCES.contains(s.impl())).findFirst().orElse(null);
      if (reference == null) {
        continue;
      }
      for (Score peer : group) {
        if (peer == reference) {
          continue;
        }
        double ratio = reference.score() / peer.score();
        // how many times better Omni is, whichever way the unit points: > 1 when Omni wins
        double advantage = reference.higherIsBetter() ? ratio : 1 / ratio;
        out.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s× |%n",
            reference.label(), reference.size() < 0 ? "-" : String.format("%,d", reference.size()),
            peer.impl(), number(reference.score()), number(peer.score()), reference.unit(),
            ratio(ratio), reference.higherIsBetter() ? "higher" : "lower", ratio(advantage)));
      }
    }
    return out.toString();
  }

  static String growth(List<Score> scores) {
    Map<String, TreeMap<Long, Score>> bySize = new LinkedHashMap<>();
    for (Score s : scores) {
      if (s.size() > 0) {
        Map<String, String> rest = new TreeMap<>(s.params());
        rest.remove("size");
        bySize.computeIfAbsent(s.shortName() + ' ' + rest, k -> new TreeMap<>()).put(s.size(), s);
      }
    }
    StringBuilder out = new StringBuilder("\nCost of one operation, largest size against smallest:\n\n");
    out.append("| benchmark | params | from | to | cost growth |\n|---|---|---:|---:|---:|\n");
    for (TreeMap<Long, Score> series : bySize.values()) {
      if (series.size() < 2) {
        continue;
      }
      Score small = series.firstEntry().getValue();
      Score large = series.lastEntry().getValue();
      Map<String, String> rest = new TreeMap<>(small.params());
      rest.remove("size");
      double growth = small.higherIsBetter() ? small.score() / large.score() : large.score() / small.score();
      out.append(String.format("| %s | %s | %,d | %,d | %.2f× |%n",
          small.shortName(), rest, small.size(), large.size(), growth));
    }
    return out.toString();
  }

  /** Two decimals, or three significant digits below 0.1 (a time ratio of 0.003 is not "0.00"). */
  private static String ratio(double v) {
    if (Math.abs(v) >= 0.1 || v == 0 || Double.isNaN(v)) {
      return String.format(v >= 1000 ? "%,.0f" : "%.2f", v);
    }
    return String.format("%.3g", v);
  }

  private static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format("%,.0f", v);
    }
    return String.format("%.2f", v);
  }
}
