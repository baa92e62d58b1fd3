package io.omni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class RetentionSettingsTest {

  @Test
  void retention_settings_are_checked_when_given_and_named_in_the_message() {
    assertThatThrownBy(() -> Omni.builder().processedEventRetention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("processedEventRetention must be positive, was PT0S");
    assertThatThrownBy(() -> Omni.builder().processedEventRetention(Duration.ofDays(-1)))
        .hasMessage("processedEventRetention must be positive, was PT-24H");
    assertThatThrownBy(() -> Omni.builder().processedEventRetention(null))
        .isInstanceOf(NullPointerException.class).hasMessage("processedEventRetention");
    assertThatThrownBy(() -> Omni.builder().journeyRetention(Duration.ofSeconds(-5)))
        .hasMessage("journeyRetention must be positive, was PT-5S");
    assertThatThrownBy(() -> Omni.builder().journeyRetention(null))
        .isInstanceOf(NullPointerException.class).hasMessage("journeyRetention");
    assertThatThrownBy(() -> Omni.builder().journeyLimit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("journeyLimit must be at least 1, was 0");
  }

  @Test
  void a_retention_setting_given_twice_is_refused() {
    Omni.Builder builder = Omni.builder().processedEventRetention(Duration.ofDays(7)).journeyRetention(Duration.ofDays(365))
        .journeyLimit(100);
    assertThatThrownBy(() -> builder.processedEventRetention(Duration.ofDays(8)))
        .isInstanceOf(IllegalStateException.class).hasMessage("processedEventRetention was already set to PT168H");
    assertThatThrownBy(() -> builder.journeyRetention(Duration.ofDays(1)))
        .hasMessage("journeyRetention was already set to PT8760H");
    assertThatThrownBy(() -> builder.journeyLimit(5)).hasMessage("journeyLimit was already set to 100");
  }

  @Test
  void the_default_keeps_processed_ids_thirty_days() {
    assertThat(Omni.Builder.DEFAULT_PROCESSED_EVENT_RETENTION).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void prune_wants_an_instant_and_survives_a_retention_longer_than_time() {
    Omni omni = Omni.builder().processedEventRetention(Duration.ofSeconds(Long.MAX_VALUE)).journeyLimit(1).build();
    assertThatThrownBy(() -> omni.prune(null)).isInstanceOf(NullPointerException.class).hasMessage("now");
    assertThat(omni.prune(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo(new Pruned(0, 0));
  }
}
