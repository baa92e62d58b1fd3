package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.UnknownProfileException;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileId;
import io.omni.spi.OmniStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Profile ids are issued and parsed once, in core, in one form ({@code p-<n>}): every store answers
 * the same for the canonical id, its alias, and the non-canonical spellings of them, which name no
 * profile anywhere. Run on the in-memory store, H2, PostgreSQL and MariaDB (a server that cannot be
 * reached is skipped, see {@link TestDatabase}).
 */
final class CanonicalProfileIdTest {
  private static final List<String> NOT_CANONICAL = List.of("p-01", "p-001", " p-1", "p-1 ", "P-1", "p-+1",
      "p--1", "p-0", "p-", "p-1.0", "p-1e0", "p-\u0661", "p-\uff11", "p-2x", "pp-1", "1",
      "p-999999999999999999999", "p-1234567890123456789");

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void every_store_answers_the_same_for_canonical_and_non_canonical_ids(String where) throws Exception {
    TestDatabase db = where.equals("MEMORY") ? null : TestDatabase.create(Dialect.valueOf(where));
    try {
      OmniStore store = db == null ? OmniStore.inMemory() : JdbcStore.builder(db.pool(2)).build();
      Identities ids = Omni.builder().store(store).build().identities();
      Identifier email = Identifier.email("ann.lee@fastmail.fm");
      Identifier phone = Identifier.phone("+79161234567");
      ProfileId first = ids.link("web", email);
      ProfileId second = ids.link("sms", phone);
      assertThat(first).isEqualTo(ProfileId.ofNumber(1)).hasToString("p-1");
      assertThat(second).isEqualTo(ProfileId.ofNumber(2));
      assertThat(ids.link("call-center", phone, email)).isEqualTo(first);

      assertThat(ids.resolve(ProfileId.of("p-1"))).contains(first);
      assertThat(ids.resolve(ProfileId.of("p-2"))).as("an alias").contains(first);
      assertThat(ids.profile(ProfileId.of("p-2")).id()).isEqualTo(first);
      assertThat(ids.resolve(ProfileId.of("p-3"))).isEmpty();

      List<String> answered = new ArrayList<>();
      for (String text : NOT_CANONICAL) {
        ProfileId id = ProfileId.of(text);
        Optional<ProfileId> resolved = ids.resolve(id);
        if (resolved.isPresent()) {
          answered.add(text + " -> " + resolved.get());
        }
        assertThatThrownBy(() -> ids.profile(id)).as(text).isInstanceOf(UnknownProfileException.class);
      }
      assertThat(answered).as("non-canonical ids that resolved on " + where).isEmpty();
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }
}
