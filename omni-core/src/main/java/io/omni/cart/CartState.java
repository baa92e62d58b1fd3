package io.omni.cart;

import com.github.benmanes.caffeine.cache.Interner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cart as a state-based CRDT: an immutable last-writer-wins map from {@link LineKey} to {@link
 * CartLine}, with tombstones for removed lines and a clear stamp for checkouts.
 *
 * <ul>
 *   <li>Each line is an LWW register: the write with the greater {@link Stamp} wins. Two different
 *       writes that carry an equal stamp are broken by quantity, then channel, so the join is total.
 *   <li>A removal is a tombstone (quantity 0) with a stamp: an older write from a stale replica
 *       cannot resurrect the line.
 *   <li>{@link #added An addition} is counted, not set: a line's quantity is its last write plus
 *       every addition stamped after that write. Additions are kept by stamp (the same addition
 *       twice counts once), so a set of additions, removals, writes and checkouts gives the same
 *       cart in whatever order and with whatever delay it arrives. This is what ingested {@code
 *       CART_ADD} events write, stamped at the event's own time: an add at 10:00 followed by an
 *       order at 10:00:30 empties the line even when the add arrives an hour after the order.
 *       {@link #withoutTombstonesBefore Old additions fold} into the line's last write.
 *   <li>{@link #cleared(Stamp) A checkout} sets the clear stamp: every line stamped at or before it
 *       is gone, on every replica, however late that replica syncs; lines stamped after it survive.
 *       Lines and tombstones under the clear stamp are dropped, so the state stays bounded.
 * </ul>
 *
 * <p>{@link #merge(CartState)} is a pure join — commutative, associative and idempotent — and
 * merging a {@link #changesSince(Stamp) delta} gives the same state as merging the whole.
 *
 * <pre>{@code
 * HybridClock web = HybridClock.of(clock, "web-1", Duration.ofMinutes(1));
 * CartState cart = CartState.empty()
 *     .set(LineKey.of("SKU-1"), 2, "web", web.now())
 *     .set(LineKey.of("SKU-2"), 1, "web", web.now());
 * CartState phone = cart.removed(LineKey.of("SKU-2"), "app", app.now());
 * cart.merge(phone).quantity(LineKey.of("SKU-2"));   // 0
 * }</pre>
 *
 * <p>Equal states are {@link #equals equal} whichever order their writes arrived in. Lines are
 * held in sorted arrays and merged in one linear pass.
 */
public final class CartState {
  private static final CartLine[] NO_LINES = new CartLine[0];
  private static final int[] NO_HASHES = new int[0];
  private static final CartState EMPTY = new CartState(NO_LINES, NO_HASHES, 0, null);
  /** Orders additions by key hash, key, then stamp. */
  private static final Comparator<CartLine> ADD_ORDER = (x, y) -> {
    int c = Integer.compare(keyHash(x.key()), keyHash(y.key()));
    if (c == 0) {
      c = compareKeys(x.key(), y.key());
    }
    return c != 0 ? c : x.stamp().compareTo(y.stamp());
  };

  // Every entry holds the canonical instance of its key, so that a merge tells equal keys by
  // identity instead of comparing their strings. Weak: a key no live state holds may be collected.
  // Caffeine's weak interner maintains itself on the calling thread.
  private static final Interner<LineKey> CANONICAL_KEYS = Interner.newWeakInterner();

  /** Orders keys by SKU, variant, then attributes name by name: a total order consistent with equals. */
  static final Comparator<LineKey> KEY_ORDER = CartState::compareKeys;

  // Entries (live lines and tombstones) sorted by (keyHash, KEY_ORDER); only [0, size) is used.
  // hashes holds the entries' key hashes laid out flat, so that a merge orders entries by comparing
  // ints and reads a CartLine's key and stamp only for a line both sides hold.
  private final CartLine[] entries;
  private final int[] hashes;
  private final int size;
  private final Stamp clear;
  // Additions, sorted by ADD_ORDER, each after its line's entry and the clear stamp, one per stamp
  // and key; empty in a cart no event added to.
  private final CartLine[] adds;
  private int hashCode;

  private CartState(CartLine[] entries, int[] hashes, int size, Stamp clear) {
    this(entries, hashes, size, clear, NO_LINES);
  }

  private CartState(CartLine[] entries, int[] hashes, int size, Stamp clear, CartLine[] adds) {
    this.entries = entries;
    this.hashes = hashes;
    this.size = size;
    this.clear = clear;
    this.adds = adds;
  }

  private static CartLine canonical(CartLine line) {
    LineKey key = CANONICAL_KEYS.intern(line.key());
    return key == line.key() ? line : new CartLine(key, line.quantity(), line.channel(), line.stamp());
  }

  private static CartState single(CartLine write) {
    CartLine line = canonical(write);
    return new CartState(new CartLine[] {line}, new int[] {keyHash(line.key())}, 1, null);
  }

  /** The empty cart: no lines, no tombstones, never checked out. */
  public static CartState empty() {
    return EMPTY;
  }

  /**
   * A cart holding these entries (live lines and tombstones). Entries for one key are joined, and
   * entries at or under the clear stamp are dropped, as {@link #merge} would.
   */
  public static CartState of(Collection<CartLine> entries) {
    return build(entries, null);
  }

  /** A cart holding these entries, checked out at {@code clear}. See {@link #of(Collection)}. */
  public static CartState of(Collection<CartLine> entries, Stamp clear) {
    return build(entries, Objects.requireNonNull(clear, "clear"));
  }

  /**
   * A cart holding these entries, these {@link #additions() additions} and, unless {@code null},
   * this clear stamp: what {@link #entries()}, {@link #additions()} and {@link #clearStamp()} of a
   * cart read back. Additions at or under their line's entry or the clear stamp are dropped, as
   * {@link #merge} would.
   */
  public static CartState of(Collection<CartLine> entries, Collection<CartLine> additions, Stamp clear) {
    CartState state = build(entries, clear);
    for (CartLine addition : additions) {
      Objects.requireNonNull(addition, "additions hold a null line");
      state = state.added(addition.key(), addition.quantity(), addition.channel(), addition.stamp());
    }
    return state;
  }

  private static CartState build(Collection<CartLine> entries, Stamp clear) {
    CartLine[] lines = entries.toArray(NO_LINES);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = canonical(Objects.requireNonNull(lines[i], "entries hold a null line"));
    }
    int[] keyHashes = new int[lines.length];
    Integer[] order = new Integer[lines.length];
    for (int i = 0; i < lines.length; i++) {
      keyHashes[i] = keyHash(lines[i].key());
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> {
      int c = Integer.compare(keyHashes[x], keyHashes[y]);
      return c != 0 ? c : compareKeys(lines[x].key(), lines[y].key());
    });
    CartLine[] sorted = new CartLine[lines.length];
    int[] sortedHashes = new int[lines.length];
    int n = 0;
    for (Integer index : order) {
      CartLine line = lines[index];
      if (n > 0 && sortedHashes[n - 1] == keyHashes[index] && sorted[n - 1].key().equals(line.key())) {
        if (wins(line, sorted[n - 1])) {
          sorted[n - 1] = line;
        }
        continue;
      }
      sorted[n] = line;
      sortedHashes[n++] = keyHashes[index];
    }
    return new CartState(sorted, sortedHashes, n, null).merge(clearOnly(clear));
  }

  private static CartState clearOnly(Stamp clear) {
    return clear == null ? EMPTY : new CartState(NO_LINES, NO_HASHES, 0, clear);
  }

  /**
   * How many of this line the cart holds: 0 when it was never added, was removed, or was checked
   * out.
   */
  public int quantity(LineKey key) {
    return line(key).map(CartLine::quantity).orElse(0);
  }

  /**
   * The line as its writes left it: its last write (a tombstone if it was removed), or, when
   * additions came after that write, the line with their sum, the channel and the stamp of the
   * last of them. Empty if the cart holds none. A sum past {@link Integer#MAX_VALUE} reads as
   * {@code Integer.MAX_VALUE}.
   */
  public Optional<CartLine> line(LineKey key) {
    int i = indexOf(key);
    CartLine base = i < 0 ? null : entries[i];
    int from = firstAdd(key);
    return from < 0 ? Optional.ofNullable(base) : Optional.of(view(base, from));
  }

  /** The line {@code base} (or none) with the additions from {@code adds[from]} of its key. */
  private CartLine view(CartLine base, int from) {
    LineKey key = adds[from].key();
    long total = base == null ? 0 : base.quantity();
    int last = from;
    for (int k = from; k < adds.length && adds[k].key().equals(key); k++) {
      total += adds[k].quantity();
      last = k;
    }
    return new CartLine(key, (int) Math.min(total, Integer.MAX_VALUE), adds[last].channel(), adds[last].stamp());
  }

  /** The index of the first addition to this key, or -1. */
  private int firstAdd(LineKey key) {
    if (adds.length == 0) {
      return -1;
    }
    int h = keyHash(key);
    int lo = 0;
    int hi = adds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      int c = Integer.compare(keyHash(adds[mid].key()), h);
      if (c == 0) {
        c = compareKeys(adds[mid].key(), key);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < adds.length && adds[lo].key().equals(key) ? lo : -1;
  }

  /** The live lines (quantity at least 1), ordered by SKU, variant and attributes. */
  public List<CartLine> lines() {
    List<CartLine> live = new ArrayList<>(size + adds.length);
    for (int i = 0; i < size; i++) {
      if (entries[i].quantity() > 0 && firstAdd(entries[i].key()) < 0) {
        live.add(entries[i]);
      }
    }
    for (int k = 0; k < adds.length; k++) {
      if (k == 0 || !adds[k - 1].key().equals(adds[k].key())) {
        int i = indexOf(adds[k].key());
        live.add(view(i < 0 ? null : entries[i], k));
      }
    }
    live.sort((a, b) -> compareKeys(a.key(), b.key()));
    return Collections.unmodifiableList(live);
  }

  /**
   * The additions counted on top of their lines' last writes, ordered by SKU, variant, attributes
   * and stamp: with {@link #entries()} and {@link #clearStamp()}, what a replica needs to sync.
   */
  public List<CartLine> additions() {
    CartLine[] copy = adds.clone();
    Arrays.sort(copy, (a, b) -> {
      int c = compareKeys(a.key(), b.key());
      return c != 0 ? c : a.stamp().compareTo(b.stamp());
    });
    return List.of(copy);
  }

  /**
   * Every entry, live lines and tombstones, as last written and without the {@link #additions()}
   * counted on top of them, ordered by SKU, variant and attributes: with the additions and the
   * clear stamp, what a replica needs to sync.
   */
  public List<CartLine> entries() {
    CartLine[] copy = Arrays.copyOf(entries, size);
    Arrays.sort(copy, (a, b) -> compareKeys(a.key(), b.key()));
    return List.of(copy);
  }

  /** Whether the cart has no live line. */
  public boolean isEmpty() {
    if (adds.length > 0) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (entries[i].quantity() > 0) {
        return false;
      }
    }
    return true;
  }

  /** The stamp of the last checkout, or empty if the cart was never checked out. */
  public Optional<Stamp> clearStamp() {
    return Optional.ofNullable(clear);
  }

  /**
   * The greatest stamp the state holds, of a line, a tombstone, an addition or the clear stamp:
   * the cart's version. Empty for the empty cart.
   */
  public Optional<Stamp> latest() {
    Stamp max = clear;
    for (int i = 0; i < size; i++) {
      Stamp s = entries[i].stamp();
      if (max == null || s.isAfter(max)) {
        max = s;
      }
    }
    for (CartLine add : adds) {
      if (max == null || add.stamp().isAfter(max)) {
        max = add.stamp();
      }
    }
    return Optional.ofNullable(max);
  }

  /**
   * This cart with a write of the absolute quantity of a line (0 removes it). The write wins only
   * if its stamp is after the line's last write, and it is lost if it is at or under the clear
   * stamp: it is a join like any other.
   */
  public CartState set(LineKey key, int quantity, String channel, Stamp stamp) {
    return with(new CartLine(key, quantity, channel, stamp));
  }

  /** This cart with the line removed at {@code stamp}: a tombstone, see {@link #set}. */
  public CartState removed(LineKey key, String channel, Stamp stamp) {
    return with(new CartLine(key, 0, channel, stamp));
  }

  /**
   * This cart with {@code quantity} more of a line, counted with every other addition stamped after
   * the line's last write: unlike {@link #set}, two additions made without seeing each other both
   * count. The stamp names the addition: the same addition merged twice counts once. It is lost
   * if it is at or under the line's last write or the clear stamp.
   *
   * @throws IllegalArgumentException if {@code quantity} is less than 1
   */
  public CartState added(LineKey key, int quantity, String channel, Stamp stamp) {
    if (quantity < 1) {
      throw new IllegalArgumentException("an addition to cart line " + key + " needs a quantity of at least 1, was "
          + quantity);
    }
    CartLine add = canonical(new CartLine(key, quantity, channel, stamp));
    return merge(new CartState(NO_LINES, NO_HASHES, 0, null, new CartLine[] {add}));
  }

  /** This cart joined with one write. */
  public CartState with(CartLine write) {
    Objects.requireNonNull(write, "write");
    return merge(single(write));
  }

  /**
   * This cart checked out at {@code stamp}: every line stamped at or before it is gone, here and
   * on every replica that merges this state, and lines stamped after it stay.
   */
  public CartState cleared(Stamp stamp) {
    return merge(clearOnly(Objects.requireNonNull(stamp, "stamp")));
  }

  /**
   * This cart without the tombstones stamped before {@code horizonMillis} (epoch milliseconds), so
   * that a cart whose lines come and go stays bounded. They are dropped the one way a join allows:
   * the clear stamp is raised to the newest such tombstone that is also older than every live line,
   * so no live line is touched, and a stale write under it stays refused on every replica — a
   * removed line cannot come back. The price is the horizon's promise: a replica that comes back
   * with a write older than the horizon for a line this cart does not hold has it dropped. Returns
   * this state when there is nothing to drop.
   */
  public CartState withoutTombstonesBefore(long horizonMillis) {
    return foldedBefore(horizonMillis).tombstonesDroppedBefore(horizonMillis);
  }

  /**
   * This cart with the additions stamped before the horizon folded into their lines' last writes:
   * each such line is written again with its quantity, at the stamp of its last folded addition.
   * A replica that merges the folded state with an unfolded one reads the same quantity, since the
   * new write is after every addition it folds; the price is the horizon's promise again, as an
   * addition older than the horizon that arrives later is under the new write and lost.
   */
  private CartState foldedBefore(long horizonMillis) {
    if (!anyAddBefore(horizonMillis)) {
      return this; // every write to a cart with additions passes here: no copy when nothing folds
    }
    CartState out = withoutAdds();
    List<CartLine> rest = new ArrayList<>(adds.length);
    int k = 0;
    while (k < adds.length) {
      LineKey key = adds[k].key();
      int i = indexOf(key);
      long total = i < 0 ? 0 : entries[i].quantity();
      CartLine last = null;
      for (; k < adds.length && adds[k].key().equals(key); k++) {
        if (adds[k].stamp().millis() < horizonMillis) {
          total += adds[k].quantity();
          last = adds[k];
        } else {
          rest.add(adds[k]);
        }
      }
      if (last != null) {
        out = out.set(key, (int) Math.min(total, Integer.MAX_VALUE), last.channel(), last.stamp());
      }
    }
    return out.withAdds(rest.toArray(NO_LINES));
  }

  private boolean anyAddBefore(long horizonMillis) {
    for (CartLine add : adds) {
      if (add.stamp().millis() < horizonMillis) {
        return true;
      }
    }
    return false;
  }

  private CartState tombstonesDroppedBefore(long horizonMillis) {
    // each addition is live; a tombstone under additions may go, since 0 plus them is them
    Stamp oldestLive = null;
    for (int i = 0; i < size; i++) {
      Stamp s = entries[i].stamp();
      if (entries[i].quantity() > 0 && (oldestLive == null || oldestLive.isAfter(s))) {
        oldestLive = s;
      }
    }
    for (CartLine add : adds) {
      if (oldestLive == null || oldestLive.isAfter(add.stamp())) {
        oldestLive = add.stamp();
      }
    }
    Stamp raise = null;
    for (int i = 0; i < size; i++) {
      Stamp s = entries[i].stamp();
      if (entries[i].quantity() == 0 && s.millis() < horizonMillis && (oldestLive == null || oldestLive.isAfter(s))
          && (raise == null || s.isAfter(raise))) {
        raise = s;
      }
    }
    return raise == null ? this : cleared(raise);
  }

  /**
   * The entries written after {@code since}, with the clear stamp: a delta. A replica that already
   * holds every write of this state up to {@code since} reaches the same state by merging the delta
   * as by merging the whole state.
   */
  public CartState changesSince(Stamp since) {
    Objects.requireNonNull(since, "since");
    Merged out = new Merged(size);
    for (int i = 0; i < size; i++) {
      if (entries[i].stamp().compareTo(since) > 0) {
        out.add(this, i);
      }
    }
    List<CartLine> later = new ArrayList<>();
    for (CartLine add : adds) {
      if (add.stamp().compareTo(since) > 0) {
        later.add(add);
      }
    }
    return out.state(clear).withAdds(later.toArray(NO_LINES));
  }

  /**
   * The join of two states: for each line the write with the greater stamp (ties broken by
   * quantity, then channel), the greater clear stamp, and nothing at or under it. Pure: neither
   * state changes. When one state already holds the join (the other is older, or equal), the merge
   * returns that state itself rather than a copy in the common cases; compare states with {@link
   * #equals}. Additions are joined as a set: each is kept once, if it is after its line's joined
   * last write and the joined clear stamp.
   */
  public CartState merge(CartState other) {
    Objects.requireNonNull(other, "other");
    if (adds.length == 0 && other.adds.length == 0) {
      return mergeEntries(other);
    }
    CartLine[] union = Arrays.copyOf(adds, adds.length + other.adds.length);
    System.arraycopy(other.adds, 0, union, adds.length, other.adds.length);
    Arrays.sort(union, ADD_ORDER);
    return withoutAdds().mergeEntries(other.withoutAdds()).withAdds(union);
  }

  private CartState withoutAdds() {
    return new CartState(entries, hashes, size, clear);
  }

  /**
   * This state (which holds no additions) with those of {@code candidates} that count: after their
   * line's last write and the clear stamp, one per key and stamp. {@code candidates} is sorted by
   * {@link #ADD_ORDER}.
   */
  private CartState withAdds(CartLine[] candidates) {
    CartLine[] out = new CartLine[candidates.length];
    int m = 0;
    for (CartLine c : candidates) {
      if (clear != null && !c.stamp().isAfter(clear)) {
        continue;
      }
      int i = indexOf(c.key());
      if (i >= 0 && !c.stamp().isAfter(entries[i].stamp())) {
        continue;
      }
      if (m > 0 && out[m - 1].stamp().equals(c.stamp()) && out[m - 1].key().equals(c.key())) {
        if (wins(c, out[m - 1])) {
          out[m - 1] = c;
        }
        continue;
      }
      out[m++] = c;
    }
    if (m == 0) {
      return this;
    }
    return new CartState(entries, hashes, size, clear, Arrays.copyOf(out, m));
  }

  private CartState mergeEntries(CartState other) {
    if (other == this || other.size == 0 && !clearRaises(clear, other.clear)) {
      return this;
    }
    if (size == 0 && !clearRaises(other.clear, clear)) {
      return other;
    }
    Stamp c = clearRaises(clear, other.clear) ? other.clear : clear;
    // One linear pass over both sorted arrays. A line on one side only is told by its hash alone;
    // a line on both sides is settled by its two stamps. The stamps are read from the lines rather
    // than kept flat beside them: an array of times cost more to allocate and fill on every merge
    // than it saved in comparisons.
    CartLine[] ea = entries;
    CartLine[] eb = other.entries;
    int[] ha = hashes;
    int[] hb = other.hashes;
    int na = size;
    int nb = other.size;
    int capacity = na + nb;
    CartLine[] oe = new CartLine[capacity];
    int[] oh = new int[capacity];
    int n = 0;
    int i = 0;
    int j = 0;
    // whether the join holds a write that this state does not, or that the other does not
    boolean beyondA = false;
    boolean beyondB = false;
    while (i < na && j < nb) {
      int h = ha[i];
      int hj = hb[j];
      CartLine w;
      if (h < hj) {
        w = ea[i++];
        beyondB = true;
      } else if (h > hj) {
        w = eb[j++];
        beyondA = true;
        h = hj;
      } else {
        CartLine x = ea[i];
        CartLine y = eb[j];
        // canonical keys: one line on both sides is one key instance, so this is rarely false
        int cmp = x.key() == y.key() ? 0 : compareKeys(x.key(), y.key());
        if (cmp < 0) {
          w = x;
          beyondB = true;
          i++;
        } else if (cmp > 0) {
          w = y;
          beyondA = true;
          j++;
        } else { // one line on both sides: the later write wins, the other is skipped
          if (wins(y, x)) {
            w = y;
            beyondA = true;
          } else {
            w = x;
            beyondB = beyondB || x != y && !x.equals(y);
          }
          i++;
          j++;
        }
      }
      if (c == null || w.stamp().compareTo(c) > 0) {
        oe[n] = w;
        oh[n++] = h;
      }
    }
    beyondB |= i < na;
    beyondA |= j < nb;
    n = tail(ea, ha, i, na, oe, oh, n, c); // at most one side has entries left
    n = tail(eb, hb, j, nb, oe, oh, n, c);
    if (!beyondA && n == na && Objects.equals(c, clear)) {
      return this; // every write this state holds won and none was cleared: the join is this state
    }
    if (!beyondB && n == nb && Objects.equals(c, other.clear)) {
      return other;
    }
    return n == 0 && c == null ? EMPTY : new CartState(oe, oh, n, c);
  }

  /** Appends a side's entries {@code [from, to)} that are after the clear stamp; the new size. */
  private static int tail(CartLine[] e, int[] h, int from, int to, CartLine[] oe, int[] oh, int n, Stamp clear) {
    if (clear == null) {
      System.arraycopy(e, from, oe, n, to - from);
      System.arraycopy(h, from, oh, n, to - from);
      return n + to - from;
    }
    for (int k = from; k < to; k++) {
      if (e[k].stamp().compareTo(clear) > 0) {
        oe[n] = e[k];
        oh[n++] = h[k];
      }
    }
    return n;
  }

  /** The arrays of a state being built, entry by entry in sorted order. */
  private static final class Merged {
    final CartLine[] entries;
    final int[] hashes;
    int n;

    Merged(int capacity) {
      entries = new CartLine[capacity];
      hashes = new int[capacity];
    }

    void add(CartState from, int index) {
      entries[n] = from.entries[index];
      hashes[n++] = from.hashes[index];
    }

    CartState state(Stamp clear) {
      return n == 0 && clear == null ? EMPTY : new CartState(entries, hashes, n, clear);
    }
  }

  /** Whether {@code theirs} is a later checkout than {@code mine}: the join takes it, and a merge must. */
  private static boolean clearRaises(Stamp mine, Stamp theirs) {
    return theirs != null && (mine == null || theirs.isAfter(mine));
  }

  /** Whether write {@code x} beats write {@code y} to the same line: greater stamp, quantity, channel. */
  private static boolean wins(CartLine x, CartLine y) {
    int c = x.stamp().compareTo(y.stamp());
    if (c == 0) {
      c = Integer.compare(x.quantity(), y.quantity());
      if (c == 0) {
        c = x.channel().compareTo(y.channel());
      }
    }
    return c > 0;
  }

  private int indexOf(LineKey key) {
    Objects.requireNonNull(key, "key");
    int h = keyHash(key);
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Integer.compare(hashes[mid], h);
      if (c == 0) {
        c = compareKeys(entries[mid].key(), key);
      }
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  // Our own hash, not LineKey.hashCode(): a record's hashCode algorithm is unspecified.
  static int keyHash(LineKey key) {
    int h = key.sku().hashCode();
    h = 31 * h + key.variant().hashCode();
    if (!key.attributes().isEmpty()) {
      h = 31 * h + key.attributes().hashCode();
    }
    return h ^ (h >>> 16);
  }

  static int compareKeys(LineKey x, LineKey y) {
    if (x == y) {
      return 0;
    }
    int c = x.sku().compareTo(y.sku());
    if (c != 0) {
      return c;
    }
    c = x.variant().compareTo(y.variant());
    if (c != 0) {
      return c;
    }
    Map<String, String> ax = x.attributes();
    Map<String, String> ay = y.attributes();
    if (ax.isEmpty() || ay.isEmpty()) {
      return Integer.compare(ax.size(), ay.size());
    }
    Iterator<Map.Entry<String, String>> ix = ax.entrySet().iterator();
    Iterator<Map.Entry<String, String>> iy = ay.entrySet().iterator();
    while (ix.hasNext() && iy.hasNext()) {
      Map.Entry<String, String> ex = ix.next();
      Map.Entry<String, String> ey = iy.next();
      c = ex.getKey().compareTo(ey.getKey());
      if (c == 0) {
        c = ex.getValue().compareTo(ey.getValue());
      }
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ix.hasNext(), iy.hasNext());
  }

  /**
   * Equal when both hold the same entries (lines and tombstones), the same additions and the same
   * clear stamp.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CartState)) {
      return false;
    }
    CartState other = (CartState) o;
    if (size != other.size || !Objects.equals(clear, other.clear) || !Arrays.equals(adds, other.adds)) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (hashes[i] != other.hashes[i] || !entries[i].equals(other.entries[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = Objects.hash(clear, Arrays.asList(entries).subList(0, size)) * 31 + Arrays.hashCode(adds);
      hashCode = h;
    }
    return h;
  }

  /** {@code CartState[SKU-1=2@…, SKU-2=0@…, clear=…]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CartState[");
    for (CartLine line : entries()) {
      sb.append(line.key()).append('=').append(line.quantity()).append('@').append(line.stamp())
          .append(" by ").append(line.channel()).append(", ");
    }
    for (CartLine add : additions()) {
      sb.append(add.key()).append("+=").append(add.quantity()).append('@').append(add.stamp())
          .append(" by ").append(add.channel()).append(", ");
    }
    sb.append("clear=").append(clear).append(']');
    return sb.toString();
  }
}
