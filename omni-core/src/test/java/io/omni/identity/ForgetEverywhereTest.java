package io.omni.identity;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.journey.Touchpoint;
import io.omni.spi.CampaignStore;
import io.omni.spi.OmniStore;
import io.omni.testing.TestClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code identities().forget(x)} erases x from the journeys and campaign runs of the in-memory store too. */
final class ForgetEverywhereTest {
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final OmniStore store = OmniStore.inMemory();
  private final List<Message> delivered = new ArrayList<>();
  private final Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false)
      .sender("email", delivered::add).sender("sms", delivered::add).build();

  @Test
  void a_forgotten_email_leaves_no_touchpoint_attribute_and_no_message_recipient() {
    ProfileId ann = omni.ingest(ChannelEvent.builder("web").id("login-1").at(clock.instant())
        .identifiers(EMAIL, PHONE).type(EventType.LOGIN).attribute("typed", "Ann@Example.com")
        .attribute("page", "/account").build());
    CampaignRun run = omni.campaigns().start(Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24))),
        ann, "Spring sale");
    omni.campaigns().advance(clock.advance(ofHours(0)));
    omni.campaigns().advance(clock.advance(ofHours(24)));
    assertThat(delivered).extracting(Message::to).containsExactly(EMAIL, PHONE);

    assertThat(omni.identities().forget(EMAIL)).isTrue();

    List<Touchpoint> journey = store.events().touchpoints(ann);
    assertThat(journey).hasSize(3);
    assertThat(journey.get(0).attributes()).containsOnlyKeys("page");
    assertThat(journey).allSatisfy(t -> assertThat(t.attributes().toString().toLowerCase()).doesNotContain("ann@example.com"));
    CampaignRun kept = store.campaigns().find(run.id()).orElseThrow();
    assertThat(kept.messages()).extracting(Message::to).containsExactly(CampaignStore.FORGOTTEN, PHONE);
    assertThat(kept.state()).isEqualTo(CampaignRun.State.RUNNING);
    assertThat(omni.campaigns().run(run.id()).messages()).extracting(Message::channel).containsExactly("email", "sms");
  }

  @Test
  void forgetting_an_identifier_the_graph_no_longer_knows_still_erases_it_elsewhere() {
    ProfileId ann = omni.ingest(ChannelEvent.builder("web").id("login-1").at(clock.instant())
        .identifiers(PHONE).type(EventType.LOGIN).attribute("typed", "ann@example.com").build());

    assertThat(omni.identities().forget(EMAIL)).isFalse();

    assertThat(store.events().touchpoints(ann).get(0).attributes()).isEmpty();
  }
}
