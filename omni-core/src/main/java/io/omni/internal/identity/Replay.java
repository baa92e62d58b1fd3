package io.omni.internal.identity;

import io.omni.identity.Conflict;
import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;
import io.omni.internal.UnionFind;
import io.omni.spi.Evidence;
import io.omni.spi.StoredIdentifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-resolves a set of identifiers from evidence: every member starts alone, and each piece of
 * evidence, in sequence order, is planned again by {@link LinkPlanner} over the members it holds.
 * Identifiers outside the set are ignored, and their accepted bits left as they were. Nothing here
 * touches a store; the caller writes the outcome.
 *
 * <p>Operator corrections bind the replay ({@link Corrections}): the evidence of a join joins its
 * members unconditionally, and an active separation whose two identifiers are both members keeps
 * their clusters apart. A separation looks ahead to the joins: two clusters stay apart when
 * joining them would, once the active joins among the members are applied, put a separated pair
 * in one cluster (an "eventual" union-find, the clusters plus every active join). Otherwise a
 * replay under other rules could gather the two sides of a separation around a join's two ends
 * before the join's evidence comes, and then the join or the separation would have to give. Each
 * eventual root carries the members its separations name, so a step pays for separations only
 * when one names a member of a cluster the step touches.
 */
final class Replay {
  private final IdentityRules rules;
  private final List<StoredIdentifier> members;
  private final Map<Identifier, Integer> local;
  private final UnionFind clusters;
  private final int[][] counts;
  /** Per member, whether it is weak under the rules; per root, how many strong members it holds. */
  private final boolean[] weakMember;
  private final int[] strong;
  private final long[] firstSeen;
  /** The clusters plus the active joins among the members: where each member ends up at the latest. */
  private final UnionFind eventual;
  /** Per eventual root, the members that active separations keep apart from it; null for none. */
  private final int[][] apartOf;
  /** The planner's order and group counts, reused from step to step. */
  private final LinkScratch scratch = new LinkScratch(Evidence.MAX_IDENTIFIERS);

  /** Starts a replay over these members, each alone, with no correction but joins' evidence. */
  Replay(IdentityRules rules, List<StoredIdentifier> members) {
    this(rules, members, List.of());
  }

  /**
   * Starts a replay over these members, each alone, keeping apart the two identifiers of each
   * active separation among the corrections where both are members, and looking ahead to each
   * active join where both are members (its evidence joins them when the replay reaches it).
   */
  Replay(IdentityRules rules, List<StoredIdentifier> members, List<Correction> corrections) {
    this.rules = rules;
    this.members = members;
    this.local = new HashMap<>(members.size() * 2);
    this.clusters = new UnionFind(members.size());
    this.counts = new int[members.size()][];
    this.firstSeen = new long[members.size()];
    this.weakMember = new boolean[members.size()];
    this.strong = new int[members.size()];
    for (int i = 0; i < members.size(); i++) {
      local.put(members.get(i).identifier(), i);
      weakMember[i] = rules.isWeak(members.get(i).identifier());
      strong[i] = weakMember[i] ? 0 : 1;
      clusters.add();
      firstSeen[i] = Long.MAX_VALUE;
    }
    this.eventual = new UnionFind(members.size());
    for (int i = 0; i < members.size(); i++) {
      eventual.add();
    }
    this.apartOf = new int[members.size()][];
    for (Correction c : corrections) {
      Integer a = local.get(c.a());
      Integer b = local.get(c.b());
      if (c.active() && a != null && b != null && c.kind() == Correction.Kind.SEPARATE) {
        apartOf[a] = with(apartOf[a], b);
        apartOf[b] = with(apartOf[b], a);
      }
    }
    for (Correction c : corrections) {
      Integer a = local.get(c.a());
      Integer b = local.get(c.b());
      if (c.active() && a != null && b != null && c.kind() == Correction.Kind.JOIN) {
        joinEventually(a, b);
      }
    }
  }

  /** Unites two members' eventual components, carrying what their separations keep apart. */
  private void joinEventually(int a, int b) {
    int ra = eventual.find(a);
    int rb = eventual.find(b);
    if (ra == rb) {
      return;
    }
    int[] apartA = apartOf[ra];
    int[] apartB = apartOf[rb];
    int root = eventual.union(ra, rb);
    apartOf[ra] = null;
    apartOf[rb] = null;
    apartOf[root] = apartA == null ? apartB : apartB == null ? apartA : concat(apartA, apartB);
  }

  private static int[] with(int[] list, int element) {
    if (list == null) {
      return new int[] {element};
    }
    int[] longer = Arrays.copyOf(list, list.length + 1);
    longer[list.length] = element;
    return longer;
  }

  /** Replays one piece of evidence and returns its accepted bits after the replay. */
  long step(Evidence evidence) {
    List<Identifier> ids = evidence.identifiers();
    int[] positions = new int[ids.size()];
    int m = 0;
    for (int k = 0; k < ids.size(); k++) {
      if (local.containsKey(ids.get(k))) {
        positions[m++] = k;
      }
    }
    if (m == 0) {
      return evidence.accepted();
    }
    if (Corrections.joinOf(evidence) != 0) {
      return join(evidence, positions, m);
    }
    IdentifierType[] types = new IdentifierType[m];
    boolean[] weak = new boolean[m];
    int[] cluster = new int[m];
    boolean[] shared = new boolean[m];
    int[] roots = new int[m];
    int[][] clusterCounts = new int[m][];
    boolean[] known = new boolean[m];
    int keys = 0;
    for (int j = 0; j < m; j++) {
      int element = local.get(ids.get(positions[j]));
      StoredIdentifier member = members.get(element);
      types[j] = member.identifier().type();
      weak[j] = weakMember[element];
      shared[j] = member.shared();
      int root = clusters.find(element);
      int key = -1;
      for (int q = 0; q < keys; q++) {
        if (roots[q] == root) {
          key = q;
          break;
        }
      }
      if (key < 0) {
        key = keys++;
        roots[key] = root;
        clusterCounts[key] = countsOf(root);
        known[key] = strong[root] > 0;
      }
      cluster[j] = key;
    }
    long plan = LinkPlanner.plan(rules, m, types, weak, cluster, known, shared, keys, clusterCounts,
        new Conflict.Kind[m], apart(roots, keys), scratch);

    long mask = evidence.accepted();
    int first = -1;
    for (int j = 0; j < m; j++) {
      mask &= ~(1L << positions[j]);
      if ((plan & (1L << j)) == 0) {
        continue;
      }
      mask |= 1L << positions[j];
      int element = local.get(ids.get(positions[j]));
      if (first < 0) {
        first = element;
      } else {
        join(first, element);
      }
    }
    if (first >= 0) {
      int root = clusters.find(first);
      firstSeen[root] = Math.min(firstSeen[root], evidence.at().toEpochMilli());
    }
    return mask;
  }

  /**
   * Per cluster key, the keys of the step's clusters that separations keep apart from it, now or
   * once the active joins are applied; null if none.
   */
  private long[] apart(int[] roots, int keys) {
    long[] apart = null;
    for (int q = 0; q < keys; q++) {
      int here = eventual.find(roots[q]);
      int[] partners = apartOf[here];
      if (partners == null) {
        continue;
      }
      for (int element : partners) {
        int there = eventual.find(element);
        for (int other = 0; other < keys; other++) {
          if (other != q && there != here && eventual.find(roots[other]) == there) {
            if (apart == null) {
              apart = new long[keys];
            }
            apart[q] |= 1L << other;
            apart[other] |= 1L << q;
          }
        }
      }
    }
    return apart;
  }

  /** An operator's join: its members join whatever the rules say. */
  private long join(Evidence evidence, int[] positions, int m) {
    long mask = evidence.accepted();
    int first = -1;
    for (int j = 0; j < m; j++) {
      mask |= 1L << positions[j];
      int element = local.get(evidence.identifiers().get(positions[j]));
      if (first < 0) {
        first = element;
      } else {
        join(first, element);
      }
    }
    int root = clusters.find(first);
    firstSeen[root] = Math.min(firstSeen[root], evidence.at().toEpochMilli());
    return mask;
  }

  private int[] countsOf(int root) {
    int[] c = counts[root];
    if (c == null) {
      c = new int[members.get(root).identifier().type().ordinal() + 1];
      c[c.length - 1] = 1;
      counts[root] = c;
    }
    return c;
  }

  private void join(int a, int b) {
    int ra = clusters.find(a);
    int rb = clusters.find(b);
    if (ra == rb) {
      return;
    }
    int[] ca = countsOf(ra);
    int[] cb = countsOf(rb);
    int[] sum = new int[Math.max(ca.length, cb.length)];
    for (int o = 0; o < ca.length; o++) {
      sum[o] += ca[o];
    }
    for (int o = 0; o < cb.length; o++) {
      sum[o] += cb[o];
    }
    long seen = Math.min(firstSeen[ra], firstSeen[rb]);
    int strongMembers = strong[ra] + strong[rb];
    joinEventually(ra, rb);
    int root = clusters.union(ra, rb);
    counts[ra] = null;
    counts[rb] = null;
    counts[root] = sum;
    strong[root] = strongMembers;
    firstSeen[root] = seen;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /**
   * The clusters after the replay, each a list of members in creation order, ordered by their
   * oldest member.
   */
  List<List<StoredIdentifier>> parts() {
    Integer[] byOrder = new Integer[members.size()];
    for (int i = 0; i < byOrder.length; i++) {
      byOrder[i] = i;
    }
    Arrays.sort(byOrder, (a, b) -> Long.compare(members.get(a).order(), members.get(b).order()));
    Map<Integer, List<StoredIdentifier>> byRoot = new LinkedHashMap<>();
    for (int i : byOrder) {
      byRoot.computeIfAbsent(clusters.find(i), r -> new ArrayList<>()).add(members.get(i));
    }
    return new ArrayList<>(byRoot.values());
  }

  /** When the part holding this member was first seen in the replayed evidence; MAX_VALUE if never. */
  long firstSeenMillis(Identifier member) {
    return firstSeen[clusters.find(local.get(member))];
  }
}
