package io.omni.internal.identity;

import io.omni.identity.Link;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileId;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the merges of a batch's redelivered links may have left in the other stores: the profiles
 * merged into the live profiles those links answered ({@link #merged()}), found in one question
 * inside the batch's write ({@link io.omni.spi.IdentityReader#aliases}). The caller asks its
 * stores which of them still hold something (carts, journeys, runs) — a few bulk queries, whatever
 * the size of the batch — and only for those, the rare case of a carrying that failed, rebuilds
 * their merge events ({@link #merges}).
 */
public final class LeftBehind {
  private final IdentityStore store;
  private final Map<ProfileId, ProfileId> aliases;
  private final Map<ProfileId, Link> answered;
  private final Instant now;

  /**
   * @param aliases each id merged into a live profile, with that profile
   * @param answered each live profile, with the first redelivered link of the batch that answered it
   * @param now the batch's time, for a link without one
   */
  LeftBehind(IdentityStore store, Map<ProfileId, ProfileId> aliases, Map<ProfileId, Link> answered, Instant now) {
    this.store = Objects.requireNonNull(store, "store");
    this.aliases = Map.copyOf(aliases);
    this.answered = Map.copyOf(answered);
    this.now = Objects.requireNonNull(now, "now");
  }

  /**
   * What the merges of a batch's redelivered links may have left behind, asked inside the batch's
   * write: one question for the profiles merged into those they answered (followed through the
   * batch's own merges to the live ones); {@code null} when no link was redelivered or no profile
   * was merged into theirs.
   *
   * @param profiles what each link of the batch came to
   * @param merges the batch's merges, in the order made
   */
  static LeftBehind find(IdentityStore store, IdentityTransaction tx, List<Link> batch,
      IdentityEngine.Linked[] profiles, List<MergeEvent> merges, Instant now) {
    Map<ProfileId, Link> answered = new LinkedHashMap<>();
    Map<ProfileId, ProfileId> survivors = null; // a survivor merged away later in the batch is followed on
    for (int k = 0; k < profiles.length; k++) {
      if (!profiles[k].redelivered()) {
        continue;
      }
      if (survivors == null) {
        survivors = new HashMap<>();
        for (MergeEvent merge : merges) {
          survivors.put(merge.merged(), merge.survivor());
        }
      }
      ProfileId live = profiles[k].profile();
      for (ProfileId next = survivors.get(live); next != null; next = survivors.get(live)) {
        live = next;
      }
      answered.putIfAbsent(live, batch.get(k));
    }
    if (answered.isEmpty()) {
      return null;
    }
    Map<ProfileId, ProfileId> aliases = tx.aliases(answered.keySet());
    return aliases.isEmpty() ? null : new LeftBehind(store, aliases, answered, now);
  }

  /** The ids merged into the profiles the batch's redelivered links answered. */
  public Set<ProfileId> merged() {
    return aliases.keySet();
  }

  /**
   * The merge events that made these ids aliases, as their writes made them, in the order they were
   * made: the cause from the change feed ({@link io.omni.spi.IdentityReader#mergesOf}), the channel
   * and time from that event's evidence, the survivor the live profile now. So a retry folds each
   * cart at the channel and time of the link that merged it, as an uninterrupted batch did. A merge
   * whose entry was pruned, or whose cause is no event (an operator's join, a rebuild), is carried
   * as the batch's first redelivered link into its profile, as a repeated {@code link} carries.
   *
   * @param held some of {@link #merged()}
   */
  public List<MergeEvent> merges(Collection<ProfileId> held) {
    return store.read(r -> {
      Map<ProfileId, MergeEvent> made = new LinkedHashMap<>();
      for (ProfileChange entry : r.mergesOf(held)) {
        ProfileId live = aliases.get(entry.other());
        Optional<Evidence> cause = live == null ? Optional.empty() : r.event(entry.cause());
        cause.ifPresent(e -> made.put(entry.other(),
            new MergeEvent(live, entry.other(), entry.cause(), e.channel(), e.at())));
      }
      List<ProfileId> rest = new ArrayList<>();
      for (ProfileId merged : held) {
        if (aliases.containsKey(merged) && !made.containsKey(merged)) {
          rest.add(merged);
        }
      }
      rest.sort(Comparator.comparingLong(ProfileId::number));
      for (ProfileId merged : rest) {
        ProfileId live = aliases.get(merged);
        Link link = answered.get(live);
        made.put(merged, new MergeEvent(live, merged, link.eventId(), link.channel(), link.at() != null ? link.at() : now));
      }
      return List.copyOf(made.values());
    });
  }
}
