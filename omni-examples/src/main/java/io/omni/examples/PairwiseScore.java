package io.omni.examples;

import io.omni.identity.Identifier;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Pairwise precision, recall and F1 of a resolution against the ground truth, over the identifiers
 * that belong to one person. A pair of identifiers is predicted when the resolution puts them in
 * one profile, and true when one person owns both.
 *
 * @param precision correct pairs over predicted pairs: 1.0 means no two strangers were fused
 * @param recall correct pairs over true pairs: 1.0 means nobody was left split
 * @param falsePairs predicted pairs of identifiers of different people
 * @param missedPairs true pairs left in different profiles
 */
public record PairwiseScore(double precision, double recall, long falsePairs, long missedPairs) {

  /** The harmonic mean of precision and recall. */
  public double f1() {
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  /**
   * Scores a resolution.
   *
   * @param owner who owns each scored identifier
   * @param clusterOf the profile (or any cluster key) an identifier was resolved to; {@code null}
   *     when it was not resolved, which counts as a cluster of its own
   */
  static PairwiseScore of(Map<Identifier, Integer> owner, Function<Identifier, Object> clusterOf) {
    // cluster -> (person -> how many of the person's identifiers are in it)
    Map<Object, Map<Integer, Integer>> clusters = new HashMap<>();
    Map<Integer, Integer> perPerson = new HashMap<>();
    owner.forEach((identifier, person) -> {
      Object cluster = clusterOf.apply(identifier);
      if (cluster == null) {
        cluster = identifier; // unresolved: alone
      }
      clusters.computeIfAbsent(cluster, c -> new HashMap<>(4)).merge(person, 1, Integer::sum);
      perPerson.merge(person, 1, Integer::sum);
    });
    long predicted = 0;
    long correct = 0;
    for (Map<Integer, Integer> people : clusters.values()) {
      long n = 0;
      for (int c : people.values()) {
        n += c;
        correct += pairs(c);
      }
      predicted += pairs(n);
    }
    long truePairs = 0;
    for (int n : perPerson.values()) {
      truePairs += pairs(n);
    }
    double precision = predicted == 0 ? 1.0 : (double) correct / predicted;
    double recall = truePairs == 0 ? 1.0 : (double) correct / truePairs;
    return new PairwiseScore(precision, recall, predicted - correct, truePairs - correct);
  }

  private static long pairs(long n) {
    return n * (n - 1) / 2;
  }

  @Override
  public String toString() {
    return String.format("precision %s  recall %s  F1 %s  (false pairs %,d, missed pairs %,d)",
        ratio(precision), ratio(recall), ratio(f1()), falsePairs, missedPairs);
  }

  /** Four decimals; a tiny ratio in scientific notation rather than a misleading 0.0000. */
  private static String ratio(double r) {
    return r > 0 && r < 0.0001 ? String.format("%.1e ", r) : String.format("%.4f", r);
  }
}
