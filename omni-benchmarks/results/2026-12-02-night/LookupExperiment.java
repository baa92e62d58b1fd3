// Exploratory, not JMH (RESULTS.md, "A fast evening"): three forms of the identifier lookup on the table t0 that
// IdentifierIndexExperiment leaves in the schema `exp`; run that first. Replace t0 by t1 for COLLATE "C".
import java.sql.*;
import java.util.*;
public class LookupExperiment {
  public static void main(String[] a) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    try (Statement s = c.createStatement()) { s.execute("SET search_path=exp"); s.execute("ANALYZE t0"); }
    List<String> vals = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id_value FROM t0 ORDER BY random() LIMIT 20000")) { while (rs.next()) vals.add(rs.getString(1)); }
    Random r = new Random(2);
    String[] q = {
      "SELECT i.id, i.id_value, i.profile, i.conflicts, i.shared, i.id_type FROM unnest(?, ?) AS v (t, val) CROSS JOIN LATERAL (SELECT id, id_type, id_value, profile, conflicts, shared FROM t0 WHERE id_type = v.t AND id_value = v.val LIMIT 1) i",
      "SELECT i.id, i.id_value, i.profile, i.conflicts, i.shared, i.id_type FROM unnest(?, ?) AS v (t, val) JOIN t0 i ON i.id_type = v.t AND i.id_value = v.val",
      "SELECT i.id, i.id_value, i.profile, i.conflicts, i.shared, i.id_type FROM t0 i WHERE (i.id_type, i.id_value) IN (SELECT * FROM unnest(?, ?))",
    };
    long[] tot = new long[q.length]; int[] rows = new int[q.length];
    for (int round = 0; round < 60; round++) {
      String[] t = new String[2000], v = new String[2000];
      for (int k = 0; k < 2000; k++) { t[k] = "EMAIL"; v[k] = k % 3 == 0 ? vals.get(r.nextInt(vals.size())) : "new" + r.nextLong() + "@x.com"; }
      for (int m = 0; m < q.length; m++) {
        long t0 = System.nanoTime(); int n = 0;
        try (PreparedStatement st = c.prepareStatement(q[m])) {
          st.setArray(1, c.createArrayOf("varchar", t)); st.setArray(2, c.createArrayOf("varchar", v));
          try (ResultSet rs = st.executeQuery()) { while (rs.next()) n++; }
        }
        if (round >= 10) { tot[m] += System.nanoTime() - t0; rows[m] = n; }
      }
    }
    for (int m = 0; m < q.length; m++) System.out.printf("q%d %.2f ms rows=%d%n", m, tot[m] / 50 / 1e6, rows[m]);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + q[1].replace("?", "'{}'::varchar[]"))) { while (rs.next()) System.out.println(rs.getString(1)); }
  }
}
