package io.omni.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One customer as Omni knows them at the moment of the read: every identifier resolved to them,
 * the channels they were seen in, and how the profile came to be.
 *
 * <p>A snapshot: later links do not change it. Read it again with {@link
 * Identities#profile(ProfileId)}.
 *
 * @param id the profile's current id (never an alias)
 * @param identifiers every identifier resolved to this profile
 * @param channels the channels this customer was seen in
 * @param created when the profile was first seen
 * @param mergedFrom the ids of profiles merged into this one; each still resolves here
 * @param conflicts links held back from this profile by the guards, oldest first
 * @param shared identifiers marked shared that had been part of this profile; they join nobody now
 */
public record Profile(
    ProfileId id,
    Set<Identifier> identifiers,
    Set<String> channels,
    Instant created,
    Set<ProfileId> mergedFrom,
    List<Conflict> conflicts,
    Set<Identifier> shared) {

  /** Copies the collections so that the snapshot cannot change. */
  public Profile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
    identifiers = Set.copyOf(identifiers);
    channels = Set.copyOf(channels);
    mergedFrom = Set.copyOf(mergedFrom);
    conflicts = List.copyOf(conflicts);
    shared = Set.copyOf(shared);
  }

  /** The identifiers of one type, e.g. every email of this customer. */
  public Set<Identifier> identifiers(IdentifierType type) {
    return identifiers.stream()
        .filter(i -> i.type() == type)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
