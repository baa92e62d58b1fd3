package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory store's corrections: ids in order, withdrawals kept, active separations apart. */
final class CorrectionTableTest {
  private static final Instant AT = Instant.parse("2026-12-02T06:00:00Z");

  private static Correction of(Correction.Kind kind, String a, String b) {
    return Correction.of(kind, Identifier.email(a + "@shop.io"), Identifier.email(b + "@shop.io"), "agent", "", AT);
  }

  @Test
  void ids_follow_the_order_of_keeping_and_withdrawn_or_removed_separations_leave_the_active_list() {
    CorrectionTable table = new CorrectionTable();
    long first = table.add(of(Correction.Kind.SEPARATE, "a", "b"));
    long second = table.add(of(Correction.Kind.JOIN, "c", "d"));
    long third = table.add(of(Correction.Kind.SEPARATE, "e", "f"));
    assertThat(first).isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(third).isEqualTo(3);
    assertThat(table.all()).extracting(Correction::id).containsExactly(1L, 2L, 3L);
    assertThat(table.separations()).extracting(Correction::id).containsExactly(1L, 3L);

    table.withdraw(third, "boss", AT);
    assertThat(table.separations()).extracting(Correction::id).containsExactly(1L);
    assertThat(table.all().get(2).withdrawnBy()).isEqualTo("boss");
    assertThat(table.all().get(0).active()).isTrue();

    table.remove(first);
    assertThat(table.separations()).isEmpty();
    assertThat(table.all()).extracting(Correction::id).containsExactly(2L, 3L);
    table.remove(99);
    assertThat(table.all()).hasSize(2);
    assertThatThrownBy(() -> table.withdraw(99, "boss", AT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
    assertThat(table.add(of(Correction.Kind.SEPARATE, "g", "h"))).isEqualTo(4);
  }
}
