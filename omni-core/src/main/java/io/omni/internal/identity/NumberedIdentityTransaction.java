package io.omni.internal.identity;

import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.Evidence;
import io.omni.spi.IdentityTransaction;
import java.time.Instant;
import java.util.List;

/**
 * The part of an {@link IdentityTransaction} that a link needs, with live profiles named by
 * {@code int} numbers rather than {@link ProfileId}s: a store that numbers its profiles anyway
 * (the in-memory one) implements it so that a link builds no id, {@code Optional} or record per
 * lookup. {@link IdentityEngine} links through it; for any other store it adapts the plain SPI.
 *
 * <p>Numbers are positive and name profiles only within the transaction that gave them; 0 means
 * "none". Core passes back only numbers this view gave it, of live profiles except to {@link
 * #id}, so a store may skip checking that they are live. Each method means what the {@link
 * IdentityTransaction} method it refers to does.
 */
public interface NumberedIdentityTransaction {

  /**
   * Finds the identifiers of one link and locks their clusters, as core does with {@link
   * IdentityTransaction#find} and {@link IdentityTransaction#lock}.
   *
   * @param profiles out: for each identifier, its live profile's number, or 0 when it is unknown
   * @param shared out: for each identifier, whether it is stored and shared
   */
  void findAndLock(List<Identifier> identifiers, int[] profiles, boolean[] shared);

  /** See {@link IdentityTransaction#typeCounts}. */
  int[] typeCounts(int profile);

  /** See {@link IdentityTransaction#order}. */
  long order(int profile);

  /** See {@link IdentityTransaction#createProfile}; returns the new profile's number. */
  int createProfileNumber(Instant created);

  /** See {@link IdentityTransaction#add}. */
  void add(Identifier identifier, int profile);

  /** See {@link IdentityTransaction#merge}. */
  void merge(int survivor, int merged);

  /**
   * Stores a new piece of evidence, as {@link IdentityTransaction#append} does with {@code new
   * Evidence(0, eventId, channel, at, identifiers, accepted)}; core has checked what {@link
   * Evidence} checks.
   */
  long append(String eventId, String channel, Instant at, List<Identifier> identifiers, long accepted);

  /** The id of a profile this transaction numbered, live or merged away since. */
  ProfileId id(int profile);
}
