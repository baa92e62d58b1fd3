package io.omni.spi;

import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.util.Objects;

/**
 * An identifier as the store holds it.
 *
 * @param identifier the identifier
 * @param profile the live profile whose cluster holds it
 * @param order the store's creation order of identifiers: smaller was stored first. Core uses it
 *     to decide which part of a split profile keeps the id
 * @param conflicts how many times the guards refused it
 * @param shared whether it was marked shared (it then joins nobody)
 */
public record StoredIdentifier(
    Identifier identifier, ProfileId profile, long order, int conflicts, boolean shared) {

  /** Checks that nothing is null. */
  public StoredIdentifier {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(profile, "profile");
  }
}
