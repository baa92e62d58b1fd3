package io.omni.examples;

import io.omni.identity.Identifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Union-find over identifiers with no guards at all: every identifier seen in one event joins every
 * other — junk values, family tablets and store kiosks included. What an identity graph without
 * Omni's rules would do with the same events; the simulation compares against it.
 */
final class PlainUnionFind {
  private final Map<Identifier, Identifier> parent = new HashMap<>();
  private final Map<Identifier, Integer> size = new HashMap<>();

  /** Joins every identifier of one event. */
  void link(Collection<Identifier> identifiers) {
    Identifier first = null;
    for (Identifier identifier : identifiers) {
      if (first == null) {
        first = find(identifier);
      } else {
        first = union(first, find(identifier));
      }
    }
  }

  /** The representative of an identifier's set; {@code null} if never linked. */
  Identifier root(Identifier identifier) {
    return parent.containsKey(identifier) ? find(identifier) : null;
  }

  private Identifier find(Identifier x) {
    parent.putIfAbsent(x, x);
    Identifier p = parent.get(x);
    while (!p.equals(x)) {
      Identifier grand = parent.get(p);
      parent.put(x, grand); // path halving
      x = grand;
      p = parent.get(x);
    }
    return x;
  }

  private Identifier union(Identifier a, Identifier b) {
    if (a.equals(b)) {
      return a;
    }
    int sa = size.getOrDefault(a, 1);
    int sb = size.getOrDefault(b, 1);
    if (sa < sb) {
      Identifier t = a;
      a = b;
      b = t;
    }
    parent.put(b, a);
    size.put(a, sa + sb);
    return a;
  }
}
