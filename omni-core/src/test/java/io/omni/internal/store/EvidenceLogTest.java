package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The evidence log alone: columns, accepted bits, per-identifier threads, event ids, removal. */
final class EvidenceLogTest {

  @Test
  void appends_columns_and_finds_records_by_identifier_and_event() {
    EvidenceLog log = new EvidenceLog();
    assertThat(log.append(null, "web", 1000, new int[] {3, 5}, 0b11)).isZero();
    assertThat(log.append("e-1", "pos", 2000, new int[] {5, 7, 9}, 0b101)).isEqualTo(1);
    for (int k = 0; k < 100; k++) { // past the first growth of every column
      log.append(null, k % 2 == 0 ? "web" : "sms", k, new int[] {100 + k}, 1);
    }
    assertThat(log.count()).isEqualTo(102);
    assertThat(log.size(1)).isEqualTo(3);
    assertThat(log.identifier(1, 1)).isEqualTo(7);
    assertThat(log.accepted(1)).isEqualTo(0b101);
    assertThat(log.channel(1)).isEqualTo("pos");
    assertThat(log.channel(3)).isEqualTo("sms");
    assertThat(log.atMillis(1)).isEqualTo(2000);
    assertThat(log.eventId(1)).isEqualTo("e-1");
    assertThat(log.eventId(0)).isNull();
    assertThat(log.byEventId("e-1")).isEqualTo(1);
    assertThat(log.byEventId("e-2")).isEqualTo(-1);
    BitSet of5 = new BitSet();
    log.recordsOf(5, of5);
    assertThat(of5.stream()).containsExactly(0, 1);
    BitSet of199 = new BitSet();
    log.recordsOf(199, of199);
    assertThat(of199.stream()).containsExactly(101);
    assertThatThrownBy(() -> log.append("e-1", "web", 0, new int[] {1}, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("e-1");
  }

  /** The event-id column exists from the first event id on: records before it, and after growth, read right. */
  @Test
  void event_ids_first_given_after_many_records_without_are_kept_through_growth_and_removal() {
    EvidenceLog log = new EvidenceLog();
    for (int k = 0; k < 150; k++) {
      log.append(null, "web", k, new int[] {k}, 1);
    }
    log.remove(3); // no event id anywhere yet
    assertThat(log.eventId(149)).isNull();
    assertThat(log.append("e-150", "web", 150, new int[] {150}, 1)).isEqualTo(150);
    for (int k = 151; k < 400; k++) { // past further growths of every column
      log.append(k % 3 == 0 ? "e-" + k : null, "web", k, new int[] {k}, 1);
    }
    assertThat(log.eventId(149)).isNull();
    assertThat(log.eventId(150)).isEqualTo("e-150");
    assertThat(log.eventId(399)).isEqualTo("e-399");
    assertThat(log.eventId(398)).isNull();
    assertThat(log.byEventId("e-390")).isEqualTo(390);
    log.remove(390);
    assertThat(log.eventId(390)).isNull();
    assertThat(log.byEventId("e-390")).isEqualTo(-1);
  }

  @Test
  void accepted_bits_change_and_removed_records_are_gone() {
    EvidenceLog log = new EvidenceLog();
    log.append("e-1", "web", 0, new int[] {1, 2}, 0b01);
    log.append(null, "web", 0, new int[] {2}, 1);
    log.setAccepted(0, 0b10);
    assertThat(log.accepted(0)).isEqualTo(0b10);
    assertThat(log.identifier(0, 0)).isEqualTo(1);
    log.remove(0);
    assertThat(log.isLive(0)).isFalse();
    assertThat(log.live()).isEqualTo(1);
    assertThat(log.byEventId("e-1")).isEqualTo(-1);
    BitSet of2 = new BitSet();
    log.recordsOf(2, of2);
    assertThat(of2.stream()).containsExactly(1);
    assertThatThrownBy(() -> log.requireLive(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence 1");
    assertThatThrownBy(() -> log.setAccepted(5, 1)).isInstanceOf(IllegalArgumentException.class);
    log.append("e-1", "web", 0, new int[] {1}, 1); // the event id is free again
    log.forgetIdentifier(2);
    BitSet none = new BitSet();
    log.recordsOf(2, none);
    assertThat(none.isEmpty()).isTrue();
  }
}
