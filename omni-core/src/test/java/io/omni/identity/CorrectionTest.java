package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The correction record: what it checks, and how it tells what it names. */
final class CorrectionTest {
  private static final Instant AT = Instant.parse("2026-12-02T06:00:00Z");
  private static final Identifier A = Identifier.email("a@shop.io");
  private static final Identifier B = Identifier.email("b@shop.io");
  private static final Identifier C = Identifier.email("c@shop.io");

  @Test
  void a_new_correction_is_active_without_an_id_and_the_store_gives_it_one() {
    Correction c = Correction.of(Correction.Kind.JOIN, A, B, "agent", "why", AT);
    assertThat(c.id()).isZero();
    assertThat(c.active()).isTrue();
    assertThat(c.withId(7)).isEqualTo(new Correction(7, Correction.Kind.JOIN, A, B, "agent", "why", AT, null, null));
    assertThat(c.withId(1).id()).isEqualTo(1);
    assertThatThrownBy(() -> c.withId(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    assertThat(c.withId(7).cause()).isEqualTo("correction-7");
    assertThat(Correction.causeOf(12)).isEqualTo("correction-12");
  }

  @Test
  void a_withdrawn_correction_says_who_and_when_and_is_no_longer_active() {
    Correction c = Correction.of(Correction.Kind.SEPARATE, A, B, "agent", "", AT).withId(1).withdrawn("boss", AT);
    assertThat(c.active()).isFalse();
    assertThat(c.withdrawnBy()).isEqualTo("boss");
    assertThat(c.withdrawnAt()).isEqualTo(AT);
    assertThat(c.withId(2).withdrawnBy()).isEqualTo("boss");
    assertThatThrownBy(() -> new Correction(1, Correction.Kind.JOIN, A, B, "a", "", AT, "boss", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both who withdrew it and when");
    assertThatThrownBy(() -> new Correction(1, Correction.Kind.JOIN, A, B, "a", "", AT, null, AT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Correction(1, Correction.Kind.JOIN, A, B, "a", "", AT, " ", AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withdrawnBy");
    assertThatThrownBy(() -> new Correction(1, Correction.Kind.JOIN, A, B, "a", "", AT, "x".repeat(256), AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withdrawnBy");
    assertThat(new Correction(1, Correction.Kind.JOIN, A, B, "a", "", AT, "x".repeat(255), AT).active()).isFalse();
  }

  @Test
  void it_names_its_two_identifiers_in_either_order_and_pairs_only_them() {
    Correction c = Correction.of(Correction.Kind.SEPARATE, A, B, "agent", "", AT);
    assertThat(c.names(A)).isTrue();
    assertThat(c.names(B)).isTrue();
    assertThat(c.names(C)).isFalse();
    assertThat(c.pairs(A, B)).isTrue();
    assertThat(c.pairs(B, A)).isTrue();
    assertThat(c.pairs(A, C)).isFalse();
    assertThat(c.pairs(C, B)).isFalse();
    assertThat(c.pairs(B, C)).isFalse();
    assertThat(c.pairs(C, A)).isFalse();
    assertThat(c.pairs(A, A)).isFalse();
    assertThat(c.pairs(B, B)).isFalse();
  }

  @Test
  void it_refuses_one_identifier_twice_a_blank_author_and_text_too_long_or_unstorable() {
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, A, "agent", "", AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two different identifiers");
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "", "", AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("author");
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "x".repeat(256), "", AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("author");
    assertThat(Correction.of(Correction.Kind.JOIN, A, B, "x".repeat(255), "r".repeat(1000), AT).reason()).hasSize(1000);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "a", "r".repeat(1001), AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "a", "nul\u0000", AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    assertThatThrownBy(() -> new Correction(-1, Correction.Kind.JOIN, A, B, "a", "", AT, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
    assertThat(new Correction(0, Correction.Kind.JOIN, A, B, "a", "", AT, null, null).id()).isZero();
    assertThatThrownBy(() -> Correction.of(null, A, B, "a", "", AT)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, null, B, "a", "", AT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, null, "a", "", AT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "a", "", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, null, "", AT))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Correction.of(Correction.Kind.JOIN, A, B, "a", null, AT))
        .isInstanceOf(NullPointerException.class);
  }
}
