package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.identity.ProfileChange.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class ProfileChangeTest {
  static final ProfileId ANN = ProfileId.of("p-1");
  static final ProfileId VISIT = ProfileId.of("p-2");
  static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void a_merge_or_a_split_names_the_other_profile_and_a_forget_names_none() {
    assertThat(ProfileChange.of(Kind.MERGED, ANN, VISIT, "e3", T).other()).isEqualTo(VISIT);
    assertThat(ProfileChange.of(Kind.FORGOTTEN, ANN, null, ProfileChange.FORGET, T).other()).isNull();
    assertThatThrownBy(() -> ProfileChange.of(Kind.SPLIT, ANN, null, "e3", T))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("SPLIT of p-1 needs the other profile");
    assertThatThrownBy(() -> ProfileChange.of(Kind.FORGOTTEN, ANN, VISIT, "forget", T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FORGOTTEN of p-1 names no other profile, was given p-2");
  }

  @Test
  void an_entry_to_be_written_has_position_0_and_the_store_gives_it_one_from_1() {
    ProfileChange pending = ProfileChange.of(Kind.MERGED, ANN, VISIT, "e3", T);
    assertThat(pending.position()).isZero();
    assertThat(pending.withPosition(1)).isEqualTo(new ProfileChange(1, Kind.MERGED, ANN, VISIT, "e3", T));
    assertThatThrownBy(() -> pending.withPosition(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starts at 1, was 0");
    assertThatThrownBy(() -> new ProfileChange(-1, Kind.MERGED, ANN, VISIT, "e3", T))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void nothing_but_other_may_be_null() {
    assertThatThrownBy(() -> ProfileChange.of(null, ANN, VISIT, "e3", T)).isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
    assertThatThrownBy(() -> ProfileChange.of(Kind.MERGED, null, VISIT, "e3", T))
        .isInstanceOf(NullPointerException.class).hasMessage("profile");
    assertThatThrownBy(() -> ProfileChange.of(Kind.MERGED, ANN, VISIT, null, T))
        .isInstanceOf(NullPointerException.class).hasMessage("cause");
    assertThatThrownBy(() -> ProfileChange.of(Kind.MERGED, ANN, VISIT, "e3", null))
        .isInstanceOf(NullPointerException.class).hasMessage("at");
  }

  @Test
  void the_feed_starts_empty_and_a_link_that_merges_nothing_adds_nothing() {
    Identities ids = Omni.inMemory().identities();
    assertThat(ids.changes(0, 1)).isEmpty();
    ids.link("web", Identifier.email("ann@example.com"), Identifier.cookie("c-1"));
    ids.link("web", Identifier.email("ann@example.com"), Identifier.phone("+79161234567"));
    assertThat(ids.changes(0, 10_000)).isEmpty();
  }
}
