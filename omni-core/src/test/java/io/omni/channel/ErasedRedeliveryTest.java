package io.omni.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidEventException;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.testing.TestClock;
import org.junit.jupiter.api.Test;

/**
 * A forget is not undone by a queue that delivers an old event again: an event processed before,
 * whose evidence a forget erased since, links nothing when it comes again.
 */
final class ErasedRedeliveryTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier COOKIE = Identifier.cookie("c-81");
  private static final Identifier ACCOUNT = Identifier.account("ann");

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final Omni omni = Omni.builder().clock(clock).discoverProviders(false).build();

  private ChannelEvent login(String id, Identifier... who) {
    return ChannelEvent.builder("web").id(id).at(clock.instant()).identifiers(who).type(EventType.LOGIN).build();
  }

  @Test
  void a_processed_event_delivered_again_after_a_forget_does_not_bring_the_forgotten_identifier_back() {
    ProfileId ann = omni.ingest(login("login-1", EMAIL, COOKIE));
    omni.ingest(login("login-2", COOKIE, ACCOUNT));
    assertThat(omni.identities().forget(EMAIL)).isTrue();

    ProfileId answered = omni.ingest(login("login-1", EMAIL, COOKIE)); // the queue replays it

    assertThat(omni.identities().resolve(EMAIL)).as("the forgotten email stays forgotten").isEmpty();
    assertThat(answered).as("the profile its other identifiers are in").isEqualTo(ann);
    assertThat(omni.identities().stats().evidence()).as("no evidence linked again").isEqualTo(1);
    assertThat(omni.ingest(login("login-2", COOKIE, ACCOUNT))).as("a redelivery with evidence as before").isEqualTo(ann);
  }

  @Test
  void one_whose_identifiers_are_all_gone_is_refused_naming_the_event_and_nothing_is_linked() {
    omni.ingest(login("login-1", EMAIL, COOKIE));
    omni.identities().forget(EMAIL);
    omni.identities().forget(COOKIE);

    assertThatThrownBy(() -> omni.ingest(login("login-1", EMAIL, COOKIE)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("login-1")
        .hasMessageContaining("forget");
    assertThat(omni.identities().resolve(EMAIL)).isEmpty();
    assertThat(omni.identities().resolve(COOKIE)).isEmpty();
    assertThat(omni.identities().stats().evidence()).isZero();
  }
}
