package io.omni.internal.store;

import io.omni.identity.Correction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator corrections of the in-memory identity store, in id order, with the active
 * separations kept as a list of their own: a link that would merge profiles asks for those, and
 * gets them without a scan or a copy.
 */
final class CorrectionTable {
  private final List<Correction> all = new ArrayList<>();
  private List<Correction> separations = List.of();
  private long lastId;

  /** Keeps a new correction under the next id; returns the id. */
  long add(Correction correction) {
    long id = ++lastId;
    all.add(correction.withId(id));
    refresh();
    return id;
  }

  /** Marks a correction withdrawn. */
  void withdraw(long id, String by, Instant at) {
    int k = indexOf(id);
    if (k < 0) {
      throw new IllegalArgumentException("no correction with id " + id);
    }
    all.set(k, all.get(k).withdrawn(by, at));
    refresh();
  }

  /** Deletes a correction; nothing for an unknown id. */
  void remove(long id) {
    int k = indexOf(id);
    if (k >= 0) {
      all.remove(k);
      refresh();
    }
  }

  /** Every correction, by id. */
  List<Correction> all() {
    return List.copyOf(all);
  }

  /** The active separations, by id; an immutable list. */
  List<Correction> separations() {
    return separations;
  }

  private int indexOf(long id) {
    for (int k = 0; k < all.size(); k++) {
      if (all.get(k).id() == id) {
        return k;
      }
    }
    return -1;
  }

  private void refresh() {
    List<Correction> active = new ArrayList<>();
    for (Correction c : all) {
      if (c.active() && c.kind() == Correction.Kind.SEPARATE) {
        active.add(c);
      }
    }
    separations = List.copyOf(active);
  }
}
