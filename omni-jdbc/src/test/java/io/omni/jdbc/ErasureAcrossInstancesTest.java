package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two instances, each with its own {@code JdbcStore} and pool, on one database: instance B answers
 * from its identifier cache, instance A forgets. B must stop answering the forgotten identifier —
 * and answer the identifiers the forget split off with their new profile — within the documented
 * bound: {@link JdbcStore.Builder#DEFAULT_ERASURE_CHECK_INTERVAL} plus a read, well under a second
 * on every database (the cache itself trusts a lookup for 10 s).
 */
final class ErasureAcrossInstancesTest {
  private static final Duration BOUND = Duration.ofSeconds(1);
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier CARD = Identifier.loyaltyCard("L-7");

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void another_instance_stops_answering_a_forgotten_identifier_within_a_second(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      Identities a = instance(db);
      Identities b = instance(db);
      // the email is the only bridge between the phone and the card
      ProfileId ann = a.link("app", PHONE, EMAIL);
      a.link("pos", EMAIL, CARD);
      assertThat(b.resolve(EMAIL)).contains(ann); // cached on b from here on
      assertThat(b.resolve(CARD)).contains(ann);
      assertThat(b.resolve(PHONE)).contains(ann);

      assertThat(a.forget(EMAIL)).isTrue();
      long forgotten = System.nanoTime();

      assertThat(within(BOUND, () -> b.resolve(EMAIL).isEmpty()))
          .as("b answers the forgotten email %s after the forget", elapsed(forgotten)).isTrue();
      // the split moved the card to a new profile: b follows it, as it could not through an alias
      ProfileId card = a.resolve(CARD).orElseThrow();
      assertThat(card).isNotEqualTo(ann);
      assertThat(within(BOUND, () -> b.resolve(CARD).equals(Optional.of(card))))
          .as("b answers the split-off card with its new profile %s after the forget", elapsed(forgotten)).isTrue();
      assertThat(b.resolve(PHONE)).contains(ann);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_lookup_read_while_another_instance_forgets_is_not_cached_past_the_bound(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      Identities a = instance(db);
      Identities b = instance(db);
      for (int round = 0; round < 5; round++) {
        Identifier email = Identifier.email("race-" + round + "@example.com");
        a.link("web", email, Identifier.cookie("race-" + round));
        b.resolve(email);
        Thread reader = new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            b.resolve(email);
          }
        });
        reader.start();
        a.forget(email);
        reader.join();
        long forgotten = System.nanoTime();
        assertThat(within(BOUND, () -> b.resolve(email).isEmpty()))
            .as("round %d: b answers the forgotten email %s after the forget", round, elapsed(forgotten)).isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_forget_fails_whole_rather_than_go_unheard_when_the_epoch_row_is_missing(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      Identities a = instance(db);
      a.link("app", PHONE, EMAIL);
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("DELETE FROM omni_identity_epoch");
      }
      assertThatThrownBy(() -> a.forget(EMAIL)).isInstanceOf(OmniStorageException.class)
          .hasMessageContaining("omni_identity_epoch");
      assertThat(instance(db).resolve(EMAIL)).as("the forget rolled back").isPresent();
    }
  }

  private static Identities instance(TestDatabase db) {
    return Omni.builder().store(JdbcStore.builder(db.pool(2)).build()).build().identities();
  }

  /** Asks until the condition holds or the deadline passes; whether it held. */
  private static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(10);
    }
  }

  private static String elapsed(long since) {
    return (System.nanoTime() - since) / 1_000_000 + " ms";
  }
}
