package io.omni.internal.cart;

import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.cart.Stamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/** The outcome of an identity merge on two carts, by policy, as writes into the survivor's cart. */
final class CartMerges {
  private CartMerges() {}

  /**
   * The writes of some lines of a cart, stamps kept: each line's last write and the additions
   * counted on it, without the clear stamp.
   */
  static CartState only(CartState cart, Set<LineKey> keys) {
    List<CartLine> entries = new ArrayList<>(keys.size());
    for (CartLine entry : cart.entries()) {
      if (keys.contains(entry.key())) {
        entries.add(entry);
      }
    }
    List<CartLine> additions = new ArrayList<>();
    for (CartLine addition : cart.additions()) {
      if (keys.contains(addition.key())) {
        additions.add(addition);
      }
    }
    return CartState.of(entries, additions, null);
  }

  static CartState apply(CartMergePolicy policy, CartState survivor, CartState merged, String channel, Stamp stamp) {
    if (policy == CartMergePolicy.KEEP_SURVIVOR) {
      return survivor;
    }
    if (policy == CartMergePolicy.JOIN) {
      return survivor.merge(merged);
    }
    CartState out = survivor;
    for (CartLine theirs : policy == CartMergePolicy.LATEST ? merged.entries() : merged.lines()) {
      Optional<CartLine> ours = survivor.line(theirs.key());
      if (ours.isEmpty()) {
        // a line only the merged cart knows: every policy keeps it as it is, so its writes are
        // joined with their own stamps — which still tell which event made them, should the
        // profiles split again
        out = out.merge(only(merged, Set.of(theirs.key())));
        continue;
      }
      int mine = ours.map(CartLine::quantity).orElse(0);
      int target;
      switch (policy) {
        case MAX:
          target = Math.max(mine, theirs.quantity());
          break;
        case SUM:
          target = Math.addExact(mine, theirs.quantity());
          break;
        case LATEST:
          target = ours.isPresent() && ours.get().stamp().compareTo(theirs.stamp()) > 0 ? mine : theirs.quantity();
          break;
        default:
          throw new IllegalStateException("unknown policy " + policy);
      }
      if (target != mine) {
        out = out.set(theirs.key(), target, channel, stamp);
      }
    }
    return out;
  }
}
