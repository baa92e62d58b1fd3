package io.omni.internal.identity;

import io.omni.CorrectionConflictException;
import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of operator corrections, apart from the engine that applies them.
 *
 * <ul>
 *   <li>A {@link Correction.Kind#JOIN} is kept as a piece of evidence of its own, on the reserved
 *       channel {@code "omni:correction:<id>"} ({@link #channelOf}): it sits in sequence order among
 *       the links, so that a replay meets it where live linking met it, {@code explain} finds it on
 *       a chain, and a forget of either identifier removes it with the rest of that identifier's
 *       evidence. {@link Replay} applies it unconditionally.
 *   <li>A {@link Correction.Kind#SEPARATE} is a constraint, not evidence: the planner refuses to put
 *       the clusters of its two identifiers in one group ({@link #apart}, and {@link Replay} by the
 *       members it replays).
 * </ul>
 *
 * Callers outside Omni cannot link on a reserved channel ({@link #reserved}), so no caller's
 * evidence is taken for a join.
 */
final class Corrections {
  /** Channels starting with this are Omni's own. */
  static final String RESERVED = "omni:";
  /** The channel of a join's evidence, before the correction's id. */
  static final String JOIN_CHANNEL = RESERVED + "correction:";

  private Corrections() {}

  /** Whether a caller may not link on this channel: it is Omni's own. */
  static boolean reserved(String channel) {
    return channel.startsWith(RESERVED);
  }

  /** The channel of the evidence that keeps join {@code id}. */
  static String channelOf(long id) {
    return JOIN_CHANNEL + id;
  }

  /** The id of the join this evidence keeps, or 0 when it is a caller's link. */
  static long joinOf(Evidence evidence) {
    String channel = evidence.channel();
    if (!channel.startsWith(JOIN_CHANNEL)) {
      return 0;
    }
    try {
      return Long.parseLong(channel.substring(JOIN_CHANNEL.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * On a link whose plan merges existing clusters: for each cluster key, the keys of the clusters
   * an active separation keeps apart from it; {@code null} when no separation names two of them.
   * Costs one {@link IdentityReader#separations()} and one bulk find of their identifiers: in
   * proportion to the active separations, never to the size of a cluster.
   *
   * @param clusterProfile the profile number of each cluster key
   * @param clusters how many cluster keys the link has
   */
  static long[] apart(IdentityTransaction tx, long[] clusterProfile, int clusters) {
    List<Correction> separations = tx.separations();
    if (separations.isEmpty()) {
      return null;
    }
    List<Identifier> named = new ArrayList<>();
    for (Correction s : separations) {
      named.add(s.a());
      named.add(s.b());
    }
    long[] profiles = new long[named.size()];
    tx.find(named, profiles, new boolean[named.size()]);
    long[] linked = java.util.Arrays.copyOf(clusterProfile, clusters);
    long[] apart = null;
    for (int k = 0; k < profiles.length; k += 2) {
      int ka = indexOf(linked, profiles[k]);
      int kb = indexOf(linked, profiles[k + 1]);
      if (ka >= 0 && kb >= 0 && ka != kb) {
        if (apart == null) {
          apart = new long[clusters];
        }
        apart[ka] |= 1L << kb;
        apart[kb] |= 1L << ka;
      }
    }
    return apart;
  }

  private static int indexOf(long[] values, long value) {
    for (int k = 0; k < values.length; k++) {
      if (values[k] == value) {
        return k;
      }
    }
    return -1;
  }

  /** The active correction of this kind that pairs the two identifiers, or {@code null}. */
  static Correction activePairing(List<Correction> corrections, Correction.Kind kind, Identifier a, Identifier b) {
    for (Correction c : corrections) {
      if (c.active() && c.kind() == kind && c.pairs(a, b)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Refuses a separation of two identifiers that active joins hold together, directly or through a
   * chain of joins: the re-resolution could not part them. Names the first join that holds {@code
   * a}.
   */
  static void checkSeparable(List<Correction> corrections, Identifier a, Identifier b) {
    List<Correction> joins = new ArrayList<>();
    for (Correction c : corrections) {
      if (c.active() && c.kind() == Correction.Kind.JOIN) {
        joins.add(c);
      }
    }
    // what the joins hold together with a: grown until no join adds to it (operators make few)
    Set<Identifier> held = new HashSet<>();
    held.add(a);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Correction join : joins) {
        if (held.contains(join.a()) != held.contains(join.b())) {
          held.add(join.a());
          held.add(join.b());
          grew = true;
        }
      }
    }
    if (held.contains(b)) {
      Correction blocking = null;
      for (Correction join : joins) {
        if (join.names(a)) {
          blocking = join;
          break;
        }
      }
      throw new CorrectionConflictException("separate of " + a.type() + " and " + b.type(), blocking);
    }
  }

  /** The corrections that name this identifier. */
  static List<Correction> naming(List<Correction> corrections, Identifier identifier) {
    List<Correction> out = new ArrayList<>();
    for (Correction c : corrections) {
      if (c.names(identifier)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The correction with this id, or {@code null}. */
  static Correction byId(List<Correction> corrections, long id) {
    for (Correction c : corrections) {
      if (c.id() == id) {
        return c;
      }
    }
    return null;
  }
}
