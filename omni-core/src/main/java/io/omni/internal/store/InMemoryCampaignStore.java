package io.omni.internal.store;

import io.omni.campaign.CampaignRun;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.CampaignStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Campaign runs on the heap, answered in the order first saved; every method is synchronized.
 * Runs are indexed by profile and by whether they are running, so that a merge or an advance
 * reads only the runs it concerns, not every run ever started.
 */
final class InMemoryCampaignStore implements CampaignStore {
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
    Set<ProfileId> holding = new HashSet<>();
    for (ProfileId p : profiles) {
      if (idsByProfile.containsKey(p) || watched.contains(p)) {
        holding.add(p);
      }
    }
    return holding;
  }

  @Override
  public synchronized void forget(Identifier identifier) {
    runs.replaceAll((id, run) -> CampaignStore.withoutIdentifier(run, identifier));
  }
}
