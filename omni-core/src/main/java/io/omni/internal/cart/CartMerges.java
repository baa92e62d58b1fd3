package io.omni.internal.cart;

import io.omni.cart.CartLine;
import io.omni.cart.CartMergePolicy;
import io.omni.cart.CartState;
import io.omni.cart.Stamp;
import java.util.Optional;

/** The outcome of an identity merge on two carts, by policy, as writes into the survivor's cart. */
final class CartMerges {
  private CartMerges() {}

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
