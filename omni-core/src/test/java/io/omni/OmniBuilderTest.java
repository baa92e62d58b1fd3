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
