package io.omni.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.StoredIdentifier;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The identifier lookups a JDBC store keeps, and what this instance's own writes drop from them. */
final class IdentifierCacheTest {
  private static final ProfileId P1 = ProfileId.ofNumber(1);
  private static final ProfileId P2 = ProfileId.ofNumber(2);
  private static final ProfileId P3 = ProfileId.ofNumber(3);
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier BOB = Identifier.email("bob@example.com");
  private static final Identifier CAT = Identifier.email("cat@example.com");

  private static StoredIdentifier in(Identifier identifier, ProfileId profile) {
    return new StoredIdentifier(identifier, profile, 1, 0, false);
  }

  private static long epoch() {
    return 7;
  }

  /** A cache that has seen the epoch, so that its first read does not empty it. */
  private static IdentifierCache cache(Cache<Identifier, StoredIdentifier> lookups, long movedLimit) {
    IdentifierCache cache = new IdentifierCache(lookups, Duration.ofHours(1), movedLimit);
    cache.check(epoch());
    return cache;
  }

  @Test
  void a_lookup_naming_a_profile_this_instance_merged_away_is_not_answered_and_others_are() {
    IdentifierCache cache = cache(Caffeine.newBuilder().build(), 100);
    cache.put(ANN, in(ANN, P1), cache.generation());
    cache.put(BOB, in(BOB, P2), cache.generation());

    cache.invalidate(Set.of(), Set.of(P1));

    assertThat(cache.get(ANN, IdentifierCacheTest::epoch)).as("merged away here").isNull();
    assertThat(cache.get(BOB, IdentifierCacheTest::epoch)).isEqualTo(in(BOB, P2));
  }

  /**
   * A read that began before the merge and puts what it read after the write dropped the merged
   * profile's lookups: scanning the cache at the write missed it, and the merged-away profile was
   * answered until the entry expired.
   */
  @Test
  void a_lookup_put_after_the_merge_by_a_read_that_raced_it_is_not_answered() {
    IdentifierCache cache = cache(Caffeine.newBuilder().build(), 100);
    long readStarted = cache.generation();

    cache.invalidate(Set.of(ANN), Set.of(P1));
    cache.put(CAT, in(CAT, P1), readStarted); // read before the merge committed

    assertThat(cache.get(CAT, IdentifierCacheTest::epoch)).isNull();
    // read again, resolved to the survivor: answered
    cache.put(CAT, in(CAT, P3), cache.generation());
    assertThat(cache.get(CAT, IdentifierCacheTest::epoch)).isEqualTo(in(CAT, P3));
  }

  /** A write that merged profiles away does not look at every cached lookup. */
  @Test
  void a_merge_costs_the_cache_no_scan() {
    Cache<Identifier, StoredIdentifier> real = Caffeine.newBuilder().build();
    Cache<Identifier, StoredIdentifier> noScans = noMapView(real);
    IdentifierCache cache = cache(noScans, 100);
    for (int i = 0; i < 50; i++) {
      Identifier someone = Identifier.email("c" + i + "@example.com");
      cache.put(someone, in(someone, ProfileId.ofNumber(100 + i)), cache.generation());
    }

    cache.invalidate(Set.of(ANN), Set.of(ProfileId.ofNumber(100), ProfileId.ofNumber(101)));

    assertThat(real.estimatedSize()).isEqualTo(50);
  }

  @Test
  void more_profiles_merged_away_than_the_limit_empty_the_cache_and_start_counting_again() {
    IdentifierCache cache = cache(Caffeine.newBuilder().build(), 2);
    cache.put(ANN, in(ANN, P3), cache.generation());
    cache.invalidate(Set.of(), Set.of(P1, P2));
    assertThat(cache.get(ANN, IdentifierCacheTest::epoch)).as("at the limit").isNotNull();

    long before = cache.generation();
    cache.invalidate(Set.of(), Set.of(ProfileId.ofNumber(4)));

    assertThat(cache.generation()).as("emptied").isGreaterThan(before);
    assertThat(cache.get(ANN, IdentifierCacheTest::epoch)).isNull();
    // the set was emptied with it: a lookup naming P1 is answered again
    cache.put(BOB, in(BOB, P1), cache.generation());
    assertThat(cache.get(BOB, IdentifierCacheTest::epoch)).isEqualTo(in(BOB, P1));
  }

  /** {@code real}, failing on {@code asMap()}: the view every scan of a Caffeine cache goes through. */
  @SuppressWarnings("unchecked")
  private static Cache<Identifier, StoredIdentifier> noMapView(Cache<Identifier, StoredIdentifier> real) {
    return (Cache<Identifier, StoredIdentifier>) Proxy.newProxyInstance(Cache.class.getClassLoader(),
        new Class<?>[] {Cache.class}, (proxy, method, args) -> {
          if (method.getName().equals("asMap")) {
            throw new AssertionError("the cache was scanned");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
