package io.omni.internal.channel;

import io.omni.InvalidEventException;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.internal.Limits;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The most a cart line could hold once the {@code CART_ADD} events checked so far are applied, so
 * that an add past {@link Integer#MAX_VALUE} is refused, naming the event and the line, before
 * anything of the event is stored. Found only while the event is applied, the overflow would come
 * after its touchpoint and processed mark were written. One budget checks one {@code ingest}, or
 * one whole {@code ingestAll} batch, whose events add up.
 *
 * <p>Events that may end in one cart are counted together: those sharing an identifier, or holding
 * identifiers of one profile, since linking them merges their profiles. Each such group's bound
 * for a line is what its events add plus what its profiles' carts hold now — the largest of them,
 * or their sum when identity merges sum carts ({@code CartMergePolicy.SUM}). The bound never
 * falls short of the truth; it can pass it, since it ignores removals and orders and assumes that
 * events which may share a cart do, which matters only within a few units of {@code
 * Integer.MAX_VALUE}.
 *
 * <p>It reads the identity graph and the carts once per profile; it changes nothing. Not
 * thread-safe: it lives for one call, under the channel lock.
 */
final class CartAddBudget {
  private final Identities identities;
  private final CartPort carts;
  /** Union-find over the identifiers and profiles met, as their own objects; roots have a group. */
  private final Map<Object, Object> parent = new HashMap<>();
  private final Map<Object, Group> groups = new HashMap<>();
  private final Map<ProfileId, Map<LineKey, Integer>> cartLines = new HashMap<>();
  private final Set<String> counted = new HashSet<>();

  /** What may end in one cart: the profiles whose carts it joins, and what its events add per line. */
  private static final class Group {
    final Set<ProfileId> profiles = new HashSet<>();
    final Map<LineKey, Long> added = new HashMap<>();

    void absorb(Group other) {
      profiles.addAll(other.profiles);
      other.added.forEach((key, n) -> added.merge(key, n, Long::sum));
    }
  }

  CartAddBudget(Identities identities, CartPort carts) {
    this.identities = identities;
    this.carts = carts;
  }

  /**
   * Counts a {@code CART_ADD} event whose lines have quantities of at least 1; an event id counted
   * before is not counted again (a batch may hold a redelivery).
   *
   * @throws InvalidEventException if a line of the event could pass {@link Integer#MAX_VALUE}
   */
  void add(ChannelEvent event) {
    if (!counted.add(event.id())) {
      return;
    }
    Object root = null;
    for (Identifier identifier : event.identifiers()) {
      root = union(root, identifier);
      Optional<ProfileId> profile = identities.resolve(identifier);
      if (profile.isPresent()) {
        root = union(root, profile.get());
        groups.get(root).profiles.add(profile.get());
      }
    }
    Group group = groups.get(root);
    Map<LineKey, Long> adds = new LinkedHashMap<>();
    for (ChannelEvent.Line line : event.lines()) {
      adds.merge(line.key(), (long) line.quantity(), Long::sum);
    }
    for (Map.Entry<LineKey, Long> add : adds.entrySet()) {
      LineKey key = add.getKey();
      long added = group.added.merge(key, add.getValue(), Long::sum);
      long held = held(group, key);
      if (held + added > Integer.MAX_VALUE) {
        String earlier = added > add.getValue() ? " and " + (added - add.getValue()) + " by earlier events of the batch" : "";
        throw new InvalidEventException(event.id(), "line " + Limits.shown(key.toString()) + " would pass the largest"
            + " quantity, " + Integer.MAX_VALUE + ": the customer's cart holds " + held + ", " + add.getValue()
            + " are added by this event" + earlier);
      }
    }
  }

  /** What the group's carts hold of a line now, as a merge of them would keep it at most. */
  private long held(Group group, LineKey key) {
    boolean sums = carts.mergeSumsQuantities();
    long held = 0;
    for (ProfileId profile : group.profiles) {
      int quantity = cartLines.computeIfAbsent(profile, carts::lines).getOrDefault(key, 0);
      held = sums ? held + quantity : Math.max(held, quantity);
    }
    return held;
  }

  private Object find(Object node) {
    Object root = node;
    for (Object up = parent.get(root); up != null && !up.equals(root); up = parent.get(root)) {
      root = up;
    }
    parent.put(node, root);
    return root;
  }

  /** Joins {@code node} into the group of {@code root} (none when {@code null}); the joint root. */
  private Object union(Object root, Object node) {
    if (!parent.containsKey(node)) {
      parent.put(node, node);
      groups.put(node, new Group());
    }
    Object other = find(node);
    if (root == null || root.equals(other)) {
      return other;
    }
    Group mine = groups.get(root);
    Group theirs = groups.remove(other);
    mine.absorb(theirs);
    parent.put(other, root);
    return root;
  }
}
