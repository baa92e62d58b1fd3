package io.omni.internal.store;

import io.omni.campaign.CampaignRun;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.CampaignStore;
import io.omni.spi.OutboxMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Campaign runs and their outbox on the heap, answered in the order first saved; every method is
 * synchronized. Runs are indexed by profile and by whether they are running, so that a merge or
 * an advance reads only the runs it concerns, not every run ever started; outbox entries are
 * indexed by whether they are pending, so that a claim reads only those.
 */
final class InMemoryCampaignStore implements CampaignStore {
  private final Map<String, OutboxMessage> outbox = new HashMap<>();
  private final Map<String, Long> enqueued = new HashMap<>();
  /** The pending entries, oldest due first (then first enqueued), so that a claim reads only what it takes. */
  private final NavigableMap<Slot, String> pending = new TreeMap<>();
  private long enqueues;

  /** Where a pending entry sits in {@link #pending}. */
  private record Slot(Instant due, long seq) implements Comparable<Slot> {
    @Override
    public int compareTo(Slot other) {
      int byDue = due.compareTo(other.due);
      return byDue != 0 ? byDue : Long.compare(seq, other.seq);
    }
  }

  private Slot slot(OutboxMessage entry) {
    return new Slot(entry.due(), enqueued.get(entry.key()));
  }
  private final Map<String, CampaignRun> runs = new LinkedHashMap<>();
  private final Map<String, Long> firstSaved = new HashMap<>();
  private final Map<String, String> byCode = new HashMap<>();
  private final Map<ProfileId, Set<String>> idsByProfile = new HashMap<>();
  private final Set<String> runningIds = new HashSet<>();
  private final Set<ProfileId> watched = new LinkedHashSet<>();
  private long saves;

  @Override
  public synchronized void save(CampaignRun run) {
    CampaignRun before = runs.put(run.id(), run);
    firstSaved.putIfAbsent(run.id(), saves++);
    byCode.put(run.promoCode(), run.id());
    if (before != null && !before.profile().equals(run.profile())) {
      Set<String> old = idsByProfile.get(before.profile());
      old.remove(run.id());
      if (old.isEmpty()) {
        idsByProfile.remove(before.profile());
      }
    }
    idsByProfile.computeIfAbsent(run.profile(), p -> new HashSet<>()).add(run.id());
    if (run.state() == CampaignRun.State.RUNNING) {
      runningIds.add(run.id());
    } else {
      runningIds.remove(run.id());
    }
  }

  @Override
  public synchronized boolean insert(CampaignRun run) {
    if (runs.containsKey(run.id())) {
      return false;
    }
    save(run);
    return true;
  }

  @Override
  public synchronized boolean replace(CampaignRun expected, CampaignRun next) {
    if (!expected.id().equals(next.id())) {
      throw new IllegalArgumentException("replacing run " + expected.id() + " with run " + next.id());
    }
    if (!expected.equals(runs.get(expected.id()))) {
      return false;
    }
    save(next);
    return true;
  }

  private List<CampaignRun> inSaveOrder(Set<String> ids) {
    List<String> ordered = new ArrayList<>(ids);
    ordered.sort(Comparator.comparing(firstSaved::get));
    List<CampaignRun> result = new ArrayList<>(ordered.size());
    for (String id : ordered) {
      result.add(runs.get(id));
    }
    return List.copyOf(result);
  }

  @Override
  public synchronized Optional<CampaignRun> find(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public synchronized Optional<CampaignRun> byPromoCode(String promoCode) {
    return Optional.ofNullable(byCode.get(promoCode)).map(runs::get);
  }

  @Override
  public synchronized List<CampaignRun> running() {
    return inSaveOrder(runningIds);
  }

  @Override
  public synchronized List<CampaignRun> byProfile(ProfileId profile) {
    return inSaveOrder(idsByProfile.getOrDefault(profile, Set.of()));
  }

  @Override
  public synchronized void watchCart(ProfileId profile) {
    watched.add(profile);
  }

  @Override
  public synchronized void unwatchCart(ProfileId profile) {
    watched.remove(profile);
  }

  @Override
  public synchronized List<ProfileId> watchedCarts() {
    return List.copyOf(watched);
  }

  /** From the indexes: no copy of the watch list (one per merge made ingest quadratic). */
  @Override
  public synchronized Set<ProfileId> holding(Collection<ProfileId> profiles) {
    Set<ProfileId> holding = Set.of(); // a set only once one holds something: most merged profiles hold nothing
    for (ProfileId p : profiles) {
      if (idsByProfile.containsKey(p) || watched.contains(p)) {
        holding = holding.isEmpty() ? new HashSet<>() : holding;
        holding.add(p);
      }
    }
    return holding;
  }

  @Override
  public synchronized void forget(Identifier identifier) {
    runs.replaceAll((id, run) -> CampaignStore.withoutIdentifier(run, identifier));
    outbox.replaceAll((key, entry) -> CampaignStore.withoutIdentifier(entry, identifier));
    pending.values().removeIf(key -> outbox.get(key).status() != OutboxMessage.Status.PENDING);
  }

  @Override
  public synchronized long pruneEnded(Instant endedBefore) {
    Objects.requireNonNull(endedBefore, "endedBefore");
    Set<String> ended = new HashSet<>();
    for (CampaignRun run : runs.values()) {
      if (run.state() != CampaignRun.State.RUNNING && run.endedAt().filter(endedBefore::isAfter).isPresent()) {
        ended.add(run.id());
      }
    }
    for (String id : ended) {
      CampaignRun run = runs.remove(id);
      firstSaved.remove(id);
      byCode.remove(run.promoCode(), id);
      Set<String> ofProfile = idsByProfile.get(run.profile());
      ofProfile.remove(id);
      if (ofProfile.isEmpty()) {
        idsByProfile.remove(run.profile());
      }
    }
    outbox.values().removeIf(entry -> {
      if (!ended.contains(entry.message().runId())) {
        return false;
      }
      // an ended run's entries are settled, but one dropped by a cancel may still sit in the index
      pending.remove(slot(entry));
      enqueued.remove(entry.key());
      return true;
    });
    return ended.size();
  }

  // ------------------------------------------------------------------ the outbox

  @Override
  public synchronized boolean enqueue(Message message) {
    String key = message.idempotencyKey();
    if (outbox.containsKey(key)) {
      return false;
    }
    OutboxMessage entry = OutboxMessage.pending(message);
    outbox.put(key, entry);
    enqueued.put(key, enqueues++);
    pending.put(slot(entry), key);
    return true;
  }

  @Override
  public synchronized Optional<OutboxMessage> outbox(String runId, int step) {
    return Optional.ofNullable(outbox.get(runId + ":" + step));
  }

  @Override
  public synchronized List<OutboxMessage> claim(Instant now, Instant leaseUntil, int max) {
    List<OutboxMessage> claimed = new ArrayList<>();
    // entries held by a live claim stay in the index and are stepped over
    for (String key : pending.headMap(new Slot(now, Long.MAX_VALUE), true).values()) {
      if (claimed.size() >= max) {
        break;
      }
      OutboxMessage entry = outbox.get(key);
      if (entry.leasedUntil().filter(now::isBefore).isEmpty()) {
        OutboxMessage mine = entry.claimed(leaseUntil);
        outbox.put(key, mine);
        claimed.add(mine);
      }
    }
    return claimed;
  }

  @Override
  public synchronized boolean settle(OutboxMessage claimed, OutboxMessage next) {
    if (!claimed.key().equals(next.key())) {
      throw new IllegalArgumentException("settling outbox entry " + claimed.key() + " as " + next.key());
    }
    OutboxMessage stored = outbox.get(claimed.key());
    if (stored == null || stored.status() != OutboxMessage.Status.PENDING || stored.claims() != claimed.claims()) {
      return false;
    }
    OutboxMessage settled = new OutboxMessage(next.message(), next.status(), next.attempts(), next.due(),
        Optional.empty(), stored.claims(), next.lastFailure());
    outbox.put(settled.key(), settled);
    pending.remove(slot(stored));
    if (settled.status() == OutboxMessage.Status.PENDING) {
      pending.put(slot(settled), settled.key());
    }
    return true;
  }
}
