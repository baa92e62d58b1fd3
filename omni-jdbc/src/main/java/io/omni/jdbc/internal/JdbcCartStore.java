package io.omni.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omni.cart.CartState;
import io.omni.identity.ProfileId;
import io.omni.jdbc.OmniStorageException;
import io.omni.json.OmniModule;
import io.omni.spi.CartStore;
import io.omni.spi.StoredCart;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Carts in {@code omni_cart}, one row per profile id with an optimistic version, and consumed
 * hand-off nonces in {@code omni_cart_nonce}. Every call is one statement in auto-commit: a save is
 * {@code UPDATE … WHERE profile = ? AND version = ?} (or an insert for version 0), and losing
 * means {@code false}; core reloads, joins the CRDT states and saves again.
 */
public final class JdbcCartStore implements CartStore {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new OmniModule());
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String LOAD = """
      SELECT version, merged_into, state, applied_merges FROM omni_cart WHERE profile = ?""";
  private static final String INSERT = """
      INSERT INTO omni_cart (version, merged_into, state, applied_merges, profile) VALUES (?, ?, ?, ?, ?)""";
  private static final String UPDATE = """
      UPDATE omni_cart SET version = ?, merged_into = ?, state = ?, applied_merges = ?
      WHERE profile = ? AND version = ?""";
  private static final String CONSUME = """
      INSERT INTO omni_cart_nonce (nonce, expires_ms, claim) VALUES (?, ?, ?)""";
  private static final String CLAIM = """
      SELECT claim FROM omni_cart_nonce WHERE nonce = ?""";
  private static final String PURGE = """
      DELETE FROM omni_cart_nonce WHERE expires_ms < ?""";


  private final Transactions transactions;

  /** The store over these transactions. */
  public JdbcCartStore(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public Optional<StoredCart> load(ProfileId profile) {
    Objects.requireNonNull(profile, "profile");
    String what = "loading the cart of " + profile;
    return transactions.single(what, connection -> Sql.doing(connection, what).query(LOAD,
        select -> select.setString(1, profile.value()), rs -> {
          String mergedInto = rs.getString(2);
          return new StoredCart(profile, read(rs.getString(3), profile), rs.getLong(1),
              mergedInto == null ? null : ProfileId.of(mergedInto), Set.copyOf(merges(rs.getString(4), profile)));
        }).stream().findFirst());
  }

  @Override
  public Set<ProfileId> holding(Collection<ProfileId> profiles) {
    // a cart folded into its survivor keeps its row, marked: nothing is left in it to carry
    return transactions.profilesWhere(profiles, "merged_into IS NULL AND ", "omni_cart");
  }

  @Override
  public boolean compareAndSet(long expectedVersion, StoredCart next) {
    Objects.requireNonNull(next, "next");
    if (next.version() != expectedVersion + 1) {
      throw new IllegalArgumentException("a cart saved over version " + expectedVersion
          + " must have version " + (expectedVersion + 1) + ", had " + next.version());
    }
    String state = write(next.state());
    String merges = write(new TreeSet<>(next.appliedMerges()));
    Sql.Binder bind = save -> {
      save.setLong(1, next.version());
      save.setString(2, next.survivor().map(ProfileId::value).orElse(null));
      save.setString(3, state);
      save.setString(4, merges);
      save.setString(5, next.profile().value());
      if (expectedVersion != 0) {
        save.setLong(6, expectedVersion);
      }
    };
    String what = "saving the cart of " + next.profile();
    return transactions.single(what, connection -> expectedVersion == 0
        ? Sql.doing(connection, what).insertIfNew(INSERT, bind) // false: another writer stored the first version
        : Sql.doing(connection, what).update(UPDATE, bind) == 1);
  }

  @Override
  public boolean consumeNonce(String nonce, Instant expiresAt) {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(expiresAt, "expiresAt");
    // false: used before, here or on another instance
    String what = "consuming a hand-off nonce";
    String claim = java.util.UUID.randomUUID().toString();
    try {
      return transactions.single(what, connection -> Sql.doing(connection, what).insertIfNew(
          CONSUME, insert -> {
            insert.setString(1, nonce);
            insert.setLong(2, expiresAt.toEpochMilli());
            insert.setString(3, claim);
          }));
    } catch (OmniStorageException e) {
      // An insert whose acknowledgement was lost may have spent the nonce: the row holding this
      // call's claim is its own (true), a row with another claim a redeem's elsewhere (false). The
      // caller's retry would have found the nonce spent and refused its own token as reused.
      if (!(e.getCause() instanceof java.sql.SQLException lost) || !Transactions.connectionLost(lost)) {
        throw e;
      }
      Optional<String> spentBy = transactions.lookAgain(what, lost, connection -> Sql.doing(connection, what)
          .query(CLAIM, select -> select.setString(1, nonce), rs -> String.valueOf(rs.getString(1))).stream()
          .findFirst());
      if (spentBy == null || spentBy.isEmpty()) {
        throw e; // not spent, or not known: the caller's retry spends it
      }
      return spentBy.get().equals(claim);
    }
  }

  @Override
  public void purgeNonces(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    String what = "purging expired hand-off nonces";
    transactions.single(what, connection -> Sql.doing(connection, what).update(PURGE,
        delete -> delete.setLong(1, instant.toEpochMilli())));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new OmniStorageException("could not write a cart as JSON: " + e.getOriginalMessage(), null, e);
    }
  }

  private static CartState read(String json, ProfileId profile) {
    try {
      return JSON.readValue(json, CartState.class);
    } catch (JsonProcessingException e) {
      throw new OmniStorageException("the stored cart of " + profile + " does not parse: " + e.getOriginalMessage(), null, e);
    }
  }

  private static List<String> merges(String json, ProfileId profile) {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new OmniStorageException("the applied merges of the cart of " + profile + " do not parse: "
          + e.getOriginalMessage(), null, e);
    }
  }

  @Override
  public String toString() {
    return "JdbcCartStore";
  }
}
