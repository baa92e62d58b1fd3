package io.omni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.Identifier;
import io.omni.identity.IdentityRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class OmniBuilderTest {

  @Test
  void in_memory_default_works_with_nothing_set() {
    Omni omni = Omni.inMemory();
    assertThat(omni.replicaId()).isEqualTo("local");
    assertThat(omni.maxDrift()).isEqualTo(Duration.ofMinutes(1));
    assertThat(omni.identities().link("web", Identifier.cookie("c-1"))).isNotNull();
  }

  @Test
  void each_setting_is_checked_when_given_and_named_in_the_message() {
    assertThatThrownBy(() -> Omni.builder().replicaId("eu 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicaId").hasMessageContaining("eu 1");
    assertThatThrownBy(() -> Omni.builder().handoffKey(new byte[16]))
        .hasMessageContaining("handoffKey").hasMessageContaining("32").hasMessageContaining("16");
    assertThatThrownBy(() -> Omni.builder().defaultRegion("Mars"))
        .hasMessageContaining("defaultRegion").hasMessageContaining("Mars");
    assertThatThrownBy(() -> Omni.builder().maxDrift(Duration.ZERO)).hasMessageContaining("maxDrift");
    assertThatThrownBy(() -> Omni.builder().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
  }

  @Test
  void delivery_settings_are_checked_when_given_and_named_in_the_message() {
    assertThatThrownBy(() -> Omni.builder().deliveryLease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deliveryLease must be positive, was PT0S");
    assertThatThrownBy(() -> Omni.builder().deliveryLease(Duration.ofSeconds(-1))).hasMessageContaining("deliveryLease");
    assertThatThrownBy(() -> Omni.builder().deliveryAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deliveryAttempts must be 1 to 100, was 0");
    assertThatThrownBy(() -> Omni.builder().deliveryAttempts(101)).hasMessageContaining("deliveryAttempts");
    assertThatThrownBy(() -> Omni.builder().deliveryBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryBackoff").hasMessageContaining("PT0S");
    assertThatThrownBy(() -> Omni.builder().deliveryBackoff(Duration.ofDays(2)))
        .hasMessage("deliveryBackoff must be positive and at most PT24H, was PT48H");
    assertThatThrownBy(() -> Omni.builder().deliveryLease(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deliveryLease");
    assertThatThrownBy(() -> Omni.builder().deliveryBackoff(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deliveryBackoff");
    Omni.Builder builder = Omni.builder().deliveryLease(Duration.ofMinutes(2)).deliveryAttempts(3);
    assertThatThrownBy(() -> builder.deliveryLease(Duration.ofMinutes(3)))
        .isInstanceOf(IllegalStateException.class).hasMessage("deliveryLease was already set to PT2M");
    assertThatThrownBy(() -> builder.deliveryAttempts(4)).hasMessage("deliveryAttempts was already set to 3");
  }

  @Test
  void a_setting_given_twice_is_refused() {
    Omni.Builder builder = Omni.builder().replicaId("eu-1");
    assertThatThrownBy(() -> builder.replicaId("us-1"))
        .isInstanceOf(IllegalStateException.class).hasMessage("replicaId was already set to eu-1");
    Omni.Builder rules = Omni.builder().identityRules(IdentityRules.defaults());
    assertThatThrownBy(() -> rules.identityRules(IdentityRules.relaxed())).hasMessageContaining("identityRules was already set");
  }

  @Test
  void default_region_reads_national_numbers() {
    Omni omni = Omni.builder().defaultRegion("ru").build();
    assertThat(omni.identities().phone("8 916 123-45-67")).isEqualTo(Identifier.phone("+79161234567"));
    assertThatThrownBy(() -> Omni.inMemory().identities().phone("8 916 123-45-67"))
        .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("region");
  }

  @Test
  void clock_from_the_builder_dates_new_profiles() {
    Instant fixed = Instant.parse("2026-03-01T10:00:00Z");
    Omni omni = Omni.builder().clock(Clock.fixed(fixed, ZoneOffset.UTC)).build();
    var id = omni.identities().link("web", Identifier.cookie("c-1"));
    assertThat(omni.identities().profile(id).created()).isEqualTo(fixed);
  }
}
