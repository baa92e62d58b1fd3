package io.omni.internal.identity;

import io.omni.identity.Conflict;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;

/**
 * Decides which identifiers of one link join into one group — the guards of {@link
 * IdentityRules} in one place, used alike when linking live and when re-resolving from evidence.
 *
 * <p>The plan is greedy and deterministic. Strong identifiers go first, then weak ones, each in
 * priority order (ties in the link's order). The first candidate always joins. A later one joins
 * unless
 *
 * <ul>
 *   <li>it is shared (it joins nobody, and that is no new conflict), or
 *   <li>it is weak, its cluster holds a strong identifier, and so does the group already: a weak
 *       identifier never bridges two known customers nor brings new strong identifiers into a
 *       known profile ({@link Conflict.Kind#WEAK_BRIDGE}), or
 *   <li>its cluster would take the group past a type's limit ({@link Conflict.Kind#LIMIT}), or
 *   <li>its cluster is kept apart from a cluster already in the group by an operator's active
 *       separation ({@link Conflict.Kind#SEPARATED}; see {@link Corrections}).
 * </ul>
 *
 * Refusing one candidate and going on with the rest is the "drop the lowest-priority identifiers
 * and retry" of the design, without dropping more than the limits require.
 */
final class LinkPlanner {

  private LinkPlanner() {}

  /**
   * Plans one link given by arrays as long as it.
   *
   * @param types the type of each identifier of the link
   * @param weak for each identifier, whether it is weak ({@link IdentityRules#isWeak(
   *     io.omni.identity.Identifier)}: its type, or a fixed-line phone)
   * @param cluster for each identifier, its cluster's key in {@code counts}, or -1 when new
   * @param known for each cluster key, whether the cluster holds a strong identifier: a known
   *     customer ({@link #holdsStrong} tells it by type; a caller whose clusters may hold weak
   *     fixed-line phones tells it by member)
   * @param shared for each identifier, whether it is shared
   * @param counts for each cluster key, its identifiers per type ordinal
   * @param refused out: for each identifier refused by a guard, the guard; else {@code null}
   * @return bit {@code i} set when identifier {@code i} joins the group
   */
  static long plan(IdentityRules rules, IdentifierType[] types, boolean[] weak, int[] cluster, boolean[] known,
      boolean[] shared, int[][] counts, Conflict.Kind[] refused) {
    return plan(rules, types, weak, cluster, known, shared, counts, refused, null);
  }

  /**
   * Plans one link, given by arrays as long as it, whose clusters operator separations may keep
   * apart.
   *
   * @param apart for each cluster key, bit {@code k} set when cluster {@code k} must not join it;
   *     {@code null} when no separation concerns the link's clusters
   * @see #plan(IdentityRules, IdentifierType[], boolean[], int[], boolean[], boolean[], int[][],
   *     Conflict.Kind[])
   */
  static long plan(IdentityRules rules, IdentifierType[] types, boolean[] weak, int[] cluster, boolean[] known,
      boolean[] shared, int[][] counts, Conflict.Kind[] refused, long[] apart) {
    int n = types.length;
    return plan(rules, n, types, weak, cluster, known, shared, counts.length, counts, refused, apart,
        new LinkScratch(n));
  }

  /**
   * Plans the first {@code n} identifiers of the arrays, whose clusters are the first {@code
   * clusters} keys, with the order and group counts in {@code scratch} (which may be the arrays'
   * own): the link path reuses arrays longer than the link.
   *
   * @see #plan(IdentityRules, IdentifierType[], boolean[], int[], boolean[], boolean[], int[][],
   *     Conflict.Kind[], long[])
   */
  static long plan(IdentityRules rules, int n, IdentifierType[] types, boolean[] weak, int[] cluster,
      boolean[] known, boolean[] shared, int clusters, int[][] counts, Conflict.Kind[] refused, long[] apart,
      LinkScratch scratch) {
    int[] order = scratch.order;
    int width = 0; // of the group's counts per type ordinal: every type of the link and its clusters
    for (int i = 0; i < n; i++) {
      order[i] = i;
      width = Math.max(width, types[i].ordinal() + 1);
    }
    for (int k = 0; k < clusters; k++) {
      width = Math.max(width, counts[k].length);
    }
    // strong before weak, then by rank, then the link's order: insertion sort on ints (a link holds
    // at most 64 identifiers), which is stable, so identifiers that tie keep the link's order
    for (int i = 1; i < n; i++) {
      int x = order[i];
      int j = i - 1;
      while (j >= 0 && before(rules, types, weak, x, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }

    long inGroup = 0;
    int[] group = scratch.group(width);
    boolean groupEmpty = true;
    boolean groupKnown = false;
    long accepted = 0;
    for (int at = 0; at < n; at++) {
      int i = order[at];
      refused[i] = null;
      if (shared[i]) {
        continue;
      }
      int c = cluster[i];
      if (c >= 0 && (inGroup & (1L << c)) != 0) {
        accepted |= 1L << i;
        continue;
      }
      boolean knownCluster = c >= 0 && known[c];
      boolean addsKnown = c >= 0 ? knownCluster : !weak[i];
      if (!groupEmpty) {
        if (weak[i] && knownCluster && groupKnown) {
          refused[i] = Conflict.Kind.WEAK_BRIDGE;
          continue;
        }
        if (overLimit(rules, group, c >= 0 ? counts[c] : null, types[i])) {
          refused[i] = Conflict.Kind.LIMIT;
          continue;
        }
        if (apart != null && c >= 0 && (apart[c] & inGroup) != 0) {
          refused[i] = Conflict.Kind.SEPARATED;
          continue;
        }
      }
      if (c >= 0) {
        int[] add = counts[c];
        for (int o = 0; o < add.length; o++) {
          group[o] += add[o];
        }
        inGroup |= 1L << c;
      } else {
        group[types[i].ordinal()]++;
      }
      accepted |= 1L << i;
      groupEmpty = false;
      groupKnown |= addsKnown;
    }
    return accepted;
  }

  /** Whether identifier {@code a} goes strictly before {@code b}: strong before weak, then by rank. */
  private static boolean before(IdentityRules rules, IdentifierType[] types, boolean[] weak, int a, int b) {
    if (weak[a] != weak[b]) {
      return !weak[a];
    }
    return rules.rank(types[a]) < rules.rank(types[b]);
  }

  /** Whether a cluster with these counts holds an identifier of a strong type under the rules. */
  static boolean holdsStrong(IdentityRules rules, int[] counts) {
    for (int o = 0; o < counts.length; o++) {
      if (counts[o] > 0 && !rules.isWeak(IdentifierType.ofOrdinal(o))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the counts alone cannot tell if a cluster holds a strong identifier: the only strong
   * type it holds is the phone, and fixed-line phones are weak, so its phones may all be weak
   * landlines. The caller then asks the store how many of its phones are fixed lines ({@link
   * io.omni.spi.IdentityTransaction#fixedLinePhones}), a count it keeps: no walk over the members.
   */
  static boolean strongOnlyByPhones(IdentityRules rules, int[] counts) {
    int phone = IdentifierType.PHONE.ordinal();
    if (!rules.fixedLinesWeak() || phone >= counts.length || counts[phone] == 0 || rules.isWeak(IdentifierType.PHONE)) {
      return false;
    }
    for (int o = 0; o < counts.length; o++) {
      if (o != phone && counts[o] > 0 && !rules.isWeak(IdentifierType.ofOrdinal(o))) {
        return false;
      }
    }
    return true;
  }

  private static boolean overLimit(IdentityRules rules, int[] group, int[] add, IdentifierType single) {
    if (add == null) {
      int o = single.ordinal();
      return group[o] + 1 > rules.limit(single);
    }
    for (int o = 0; o < add.length; o++) {
      if (add[o] > 0 && group[o] + add[o] > rules.limit(IdentifierType.ofOrdinal(o))) {
        return true;
      }
    }
    return false;
  }
}
