package io.omni.spi;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A live profile as the store holds it.
 *
 * @param id the profile's id
 * @param order the store's issue order of profiles: smaller was issued first; the older profile
 *     survives a merge
 * @param created when the profile was first seen
 * @param members the identifiers of its cluster, in creation order
 * @param mergedFrom ids merged into it, now its aliases
 * @param conflicts what the guards held back from it
 * @param shared identifiers that were part of it and were marked shared
 */
public record StoredProfile(
    ProfileId id,
    long order,
    Instant created,
    List<StoredIdentifier> members,
    Set<ProfileId> mergedFrom,
    List<Conflict> conflicts,
    Set<Identifier> shared) {

  /** Copies the collections. */
  public StoredProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
    members = List.copyOf(members);
    mergedFrom = Set.copyOf(mergedFrom);
    conflicts = List.copyOf(conflicts);
    shared = Set.copyOf(shared);
  }
}
