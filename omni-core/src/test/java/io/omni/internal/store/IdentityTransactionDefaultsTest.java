package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code ProfileId} forms of the identity SPI are defaults over its numbered forms: they give
 * the same answers, and refuse an id that is not canonical before the store sees it.
 */
final class IdentityTransactionDefaultsTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void id_forms_answer_as_the_numbered_forms() {
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    store.write(tx -> {
      ProfileId a = tx.createProfile(AT);
      long b = tx.newProfile(AT);
      assertThat(a).isEqualTo(ProfileId.of("p-1"));
      assertThat(b).isEqualTo(2);
      tx.add(Identifier.cookie("c-1"), a);
      tx.add(Identifier.cookie("c-2"), b);
      assertThat(tx.typeCounts(a)).isEqualTo(tx.typeCounts(1));
      assertThat(tx.order(ProfileId.ofNumber(b))).isEqualTo(b);
      assertThat(tx.lock(List.of(ProfileId.ofNumber(b), a, a))).isFalse();
      tx.merge(a, ProfileId.ofNumber(b));
      long[] profiles = new long[2];
      boolean[] shared = new boolean[2];
      tx.find(List.of(Identifier.cookie("c-2"), Identifier.cookie("c-3")), profiles, shared);
      assertThat(profiles).containsExactly(1, 0);
      assertThat(shared).containsExactly(false, false);
      assertThat(tx.typeCounts(a)[IdentifierType.COOKIE.ordinal()]).isEqualTo(2);
      return null;
    });
  }

  @Test
  void a_non_canonical_id_is_refused_by_the_defaults() {
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    store.write(tx -> {
      tx.createProfile(AT);
      for (String text : new String[] {"p-01", " p-1", "P-1"}) {
        ProfileId id = ProfileId.of(text);
        assertThatThrownBy(() -> tx.typeCounts(id)).as(text).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(text);
        assertThatThrownBy(() -> tx.add(Identifier.cookie("c-9"), id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx.lock(List.of(id))).isInstanceOf(IllegalArgumentException.class);
      }
      return null;
    });
  }
}
