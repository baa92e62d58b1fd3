package io.omni.internal.store;

import io.omni.campaign.CampaignRun;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.CampaignStore;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Campaign runs on the heap, in the order first saved; every method is synchronized. */
final class InMemoryCampaignStore implements CampaignStore {
  private final Map<String, CampaignRun> runs = new LinkedHashMap<>();
  private final Map<String, String> byCode = new LinkedHashMap<>();
  private final Set<ProfileId> watched = new LinkedHashSet<>();

  @Override
  public synchronized void save(CampaignRun run) {
    runs.put(run.id(), run);
    byCode.put(run.promoCode(), run.id());
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
    return runs.values().stream().filter(r -> r.state() == CampaignRun.State.RUNNING).toList();
  }

  @Override
  public synchronized List<CampaignRun> byProfile(ProfileId profile) {
    return runs.values().stream().filter(r -> r.profile().equals(profile)).toList();
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

  @Override
  public synchronized void forget(Identifier identifier) {
    runs.replaceAll((id, run) -> CampaignStore.withoutIdentifier(run, identifier));
  }
}
