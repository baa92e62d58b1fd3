package io.omni.campaign;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.channel.MessageSender;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Touchpoint;
import io.omni.spi.OmniStore;
import io.omni.spi.OutboxMessage;
import io.omni.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaign delivery through the outbox on the in-memory store: retries with backoff, senders
 * outside every lock, conversions that stop a claimed message, an instance that dies after its
 * claim. The same guarantees on every database are pinned in omni-jdbc's {@code DeliveryContract}.
 */
final class DeliveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryTest.class);
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier ANN_PHONE = Identifier.phone("+79161234567");
  private static final Identifier BOB = Identifier.email("bob@example.com");
  private static final Identifier BOB_PHONE = Identifier.phone("+79160000001");
  private static final Cascade EMAIL_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  private final TestClock clock = TestClock.at("2026-03-02T10:00:00Z");
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopTheOtherThread() {
    other.shutdownNow();
  }

  private Omni.Builder builder() {
    return Omni.builder().clock(clock).discoverProviders(false);
  }

  private static ChannelEvent pageView(String id, Instant at, Identifier who) {
    return ChannelEvent.builder("web").id(id).at(at).identifiers(who).type(EventType.PAGE_VIEW).build();
  }

  private static ChannelEvent order(String id, Instant at, Identifier who) {
    return ChannelEvent.builder("call-center").id(id).at(at).identifiers(who).type(EventType.ORDER)
        .attribute("order", id).line(LineKey.of("SKU-1"), 1).build();
  }

  @Test
  void a_failing_sender_is_tried_again_with_backoff_then_the_step_is_recorded_failed_and_the_next_channel_tried() {
    List<Message> attempts = new CopyOnWriteArrayList<>();
    List<Message> delivered = new CopyOnWriteArrayList<>();
    Omni omni = builder().deliveryAttempts(3).deliveryBackoff(ofMinutes(1))
        .sender("email", m -> {
          attempts.add(m);
          throw new IllegalStateException("mail server down");
        })
        .sender("sms", delivered::add)
        .build();
    ProfileId ann = omni.identities().link("web", ANN, ANN_PHONE);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");
    Instant t0 = clock.instant();

    assertThat(omni.campaigns().advance(t0)).isEmpty();
    assertThat(omni.campaigns().advance(t0.plus(ofSeconds(59)))).as("before the first backoff").isEmpty();
    assertThat(omni.campaigns().advance(t0.plus(ofMinutes(1)))).isEmpty();
    assertThat(omni.campaigns().advance(t0.plus(ofMinutes(2)))).as("the second backoff is 2 minutes").isEmpty();
    assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.RUNNING);
    assertThat(omni.campaigns().run(run.id()).failures()).isEmpty();

    assertThat(omni.campaigns().advance(t0.plus(ofMinutes(3)))).extracting(Message::channel).containsExactly("sms");

    assertThat(attempts).extracting(Message::at).containsExactly(t0, t0.plus(ofMinutes(1)), t0.plus(ofMinutes(3)));
    assertThat(attempts).extracting(Message::idempotencyKey).containsOnly(run.id() + ":0");
    CampaignRun after = omni.campaigns().run(run.id());
    assertThat(after.failedSteps()).containsExactly(0);
    assertThat(after.failures()).singleElement().satisfies(f -> {
      assertThat(f.channel()).isEqualTo("email");
      assertThat(f.attempts()).isEqualTo(3);
      assertThat(f.reason()).isEqualTo("java.lang.IllegalStateException: mail server down");
      assertThat(f.at()).isEqualTo(t0.plus(ofMinutes(3)));
    });
    assertThat(after.messages()).extracting(Message::channel, Message::step)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sms", 1));
    assertThat(delivered).extracting(Message::idempotencyKey).containsExactly(run.id() + ":1");
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::channel).containsExactly("sms");
  }

  @Test
  void each_message_carries_its_runs_id_and_step_as_idempotency_key() {
    List<Message> delivered = new ArrayList<>();
    Omni omni = builder().sender("email", delivered::add).sender("sms", delivered::add).build();
    ProfileId ann = omni.identities().link("web", ANN, ANN_PHONE);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");

    omni.campaigns().advance(clock.instant());
    omni.campaigns().advance(clock.advance(ofHours(24)));

    assertThat(delivered).extracting(Message::idempotencyKey).containsExactly(run.id() + ":0", run.id() + ":1");
    assertThat(omni.store().campaigns().outbox(run.id(), 1)).hasValueSatisfying(e -> {
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.SENT);
      assertThat(e.key()).isEqualTo(run.id() + ":1");
    });
  }

  @Test
  void an_ingest_on_another_thread_completes_while_the_sender_waits_for_it() throws Exception {
    AtomicReference<Omni> self = new AtomicReference<>();
    List<ProfileId> ingestedMeanwhile = new CopyOnWriteArrayList<>();
    // The sender does not return until an ingest on another thread of the same Omni has finished:
    // if advance held a lock ingest needs, this would wait out the 10 s and fail the delivery.
    MessageSender waitsForAnIngest = m -> {
      Future<ProfileId> ingest = other.submit(() ->
          self.get().ingest(pageView("meanwhile-" + m.step(), clock.instant(), BOB)));
      try {
        ingestedMeanwhile.add(ingest.get(10, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new AssertionError("ingest did not complete while the sender was running", e);
      }
    };
    Omni omni = builder().sender("email", waitsForAnIngest).build();
    self.set(omni);
    ProfileId ann = omni.identities().link("web", ANN);
    omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");

    assertThat(omni.campaigns().advance(clock.instant())).extracting(Message::to).containsExactly(ANN);
    assertThat(ingestedMeanwhile).hasSize(1);
    assertThat(omni.journeys().of(ingestedMeanwhile.get(0))).extracting(Touchpoint::eventId).containsExactly("meanwhile-0");
  }

  @Test
  void the_worst_ingest_during_an_advance_with_a_sender_sleeping_two_seconds_a_message_stays_under_100_ms()
      throws Exception {
    int messages = 2;
    MessageSender slowGateway = m -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Omni omni = builder().sender("email", slowGateway).build();
    for (int i = 0; i < messages; i++) {
      ProfileId who = omni.identities().link("web", Identifier.email("slow-" + i + "@example.com"));
      omni.campaigns().start(EMAIL_SMS, who, "Spring sale");
    }
    AtomicBoolean advancing = new AtomicBoolean(true);
    AtomicInteger ingests = new AtomicInteger();
    Future<Long> worstNanos = other.submit(() -> {
      long worst = 0;
      for (int i = 0; advancing.get(); i++) {
        long start = System.nanoTime();
        omni.ingest(pageView("pv-" + i, clock.instant(), Identifier.cookie("c-" + (i % 50))));
        worst = Math.max(worst, System.nanoTime() - start);
        ingests.incrementAndGet();
        Thread.sleep(5);
      }
      return worst;
    });

    long start = System.nanoTime();
    List<Message> sent = omni.campaigns().advance(clock.instant());
    long advanceMillis = (System.nanoTime() - start) / 1_000_000;
    advancing.set(false);
    double worstMillis = worstNanos.get(10, TimeUnit.SECONDS) / 1e6;

    LOG.warn("slow sender: advance took {} ms for {} messages; {} ingests meanwhile, the worst took {} ms",
        advanceMillis, sent.size(), ingests.get(), String.format(java.util.Locale.ROOT, "%.2f", worstMillis));
    assertThat(sent).hasSize(messages);
    assertThat(advanceMillis).isGreaterThanOrEqualTo(2_000L * messages);
    assertThat(ingests.get()).as("ingests during the advance").isGreaterThan(50);
    assertThat(worstMillis).as("the worst ingest during the advance, ms").isLessThan(100);
  }

  @Test
  void a_run_converted_after_its_message_was_claimed_gets_nothing() {
    AtomicReference<Omni> self = new AtomicReference<>();
    List<Message> delivered = new CopyOnWriteArrayList<>();
    // Ann's and Bob's emails are claimed in one batch; while Ann's goes out, Bob orders by phone.
    MessageSender email = m -> {
      delivered.add(m);
      if (m.to().equals(ANN)) {
        self.get().ingest(order("bob-order", clock.instant(), BOB_PHONE));
      }
    };
    Omni omni = builder().sender("email", email).sender("sms", delivered::add).build();
    self.set(omni);
    ProfileId ann = omni.identities().link("web", ANN);
    ProfileId bob = omni.identities().link("web", BOB, BOB_PHONE);
    CampaignRun annRun = omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");
    CampaignRun bobRun = omni.campaigns().start(EMAIL_SMS, bob, "Spring sale");

    assertThat(omni.campaigns().advance(clock.instant())).extracting(Message::to).containsExactly(ANN);

    assertThat(delivered).extracting(Message::runId).containsExactly(annRun.id());
    CampaignRun bobs = omni.campaigns().run(bobRun.id());
    assertThat(bobs.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(bobs.messages()).isEmpty();
    assertThat(omni.store().campaigns().outbox(bobRun.id(), 0)).hasValueSatisfying(e -> {
      assertThat(e.status()).isEqualTo(OutboxMessage.Status.DROPPED);
      assertThat(e.lastFailure()).hasValueSatisfying(why -> assertThat(why).contains("CONVERTED"));
    });
    assertThat(omni.campaigns().advance(clock.advance(ofHours(48)))).isEmpty();
  }

  @Test
  void consent_refused_after_the_message_fell_due_drops_it_and_the_next_channel_is_tried() {
    AtomicReference<Omni> self = new AtomicReference<>();
    AtomicReference<ProfileId> bob = new AtomicReference<>();
    List<Message> delivered = new CopyOnWriteArrayList<>();
    MessageSender email = m -> {
      delivered.add(m);
      if (m.to().equals(ANN)) {
        self.get().consent(bob.get(), "email", false);
      }
    };
    Omni omni = builder().sender("email", email).sender("sms", delivered::add).build();
    self.set(omni);
    ProfileId ann = omni.identities().link("web", ANN);
    bob.set(omni.identities().link("web", BOB, BOB_PHONE));
    omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");
    CampaignRun bobRun = omni.campaigns().start(EMAIL_SMS, bob.get(), "Spring sale");

    assertThat(omni.campaigns().advance(clock.instant())).extracting(Message::to).containsExactly(ANN, BOB_PHONE);
    assertThat(omni.campaigns().run(bobRun.id()).messages()).extracting(Message::channel).containsExactly("sms");
    assertThat(omni.campaigns().run(bobRun.id()).failures()).isEmpty();
  }

  @Test
  void a_message_sent_while_its_customer_ordered_stays_in_the_run_history() throws Exception {
    AtomicReference<Omni> self = new AtomicReference<>();
    // The order lands on another thread after the check and before the send returns.
    MessageSender email = m -> {
      try {
        other.submit(() -> self.get().ingest(order("ann-order", clock.instant(), ANN))).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    Omni omni = builder().sender("email", email).build();
    self.set(omni);
    ProfileId ann = omni.identities().link("web", ANN);
    CampaignRun run = omni.campaigns().start(EMAIL_SMS, ann, "Spring sale");

    assertThat(omni.campaigns().advance(clock.instant())).hasSize(1);

    CampaignRun after = omni.campaigns().run(run.id());
    assertThat(after.state()).isEqualTo(CampaignRun.State.CONVERTED);
    assertThat(after.messages()).extracting(Message::channel).containsExactly("email");
    assertThat(omni.journeys().of(ann)).extracting(Touchpoint::type)
        .containsExactly(EventType.ORDER, EventType.MESSAGE_SENT);
  }

  /** What a sender throws to stand for its instance dying mid-send. */
  private static final class InstanceDied extends Error {
    private static final long serialVersionUID = 1L;

    InstanceDied() {
      super("the instance died while sending");
    }
  }

  @Test
  void a_message_claimed_by_an_instance_that_died_is_delivered_by_another_once_the_lease_ends_with_the_same_key() {
    OmniStore shared = OmniStore.inMemory();
    List<Message> triedByA = new CopyOnWriteArrayList<>();
    List<Message> sentByB = new CopyOnWriteArrayList<>();
    Omni a = builder().store(shared).deliveryLease(ofMinutes(5)).sender("email", m -> {
      triedByA.add(m);
      throw new InstanceDied();
    }).build();
    Omni b = Omni.builder().store(shared).clock(clock).discoverProviders(false).deliveryLease(ofMinutes(5))
        .sender("email", sentByB::add).build();
    ProfileId ann = a.identities().link("web", ANN);
    CampaignRun run = a.campaigns().start(EMAIL_SMS, ann, "Spring sale");
    Instant t0 = clock.instant();

    assertThatThrownBy(() -> a.campaigns().advance(t0)).isInstanceOf(InstanceDied.class);
    assertThat(b.campaigns().advance(t0)).as("claimed by A").isEmpty();
    assertThat(b.campaigns().advance(t0.plus(ofMinutes(5)).minusNanos(1))).as("A's lease still holds").isEmpty();
    assertThat(b.campaigns().advance(t0.plus(ofMinutes(5)))).extracting(Message::idempotencyKey)
        .containsExactly(run.id() + ":0");
    assertThat(b.campaigns().advance(t0.plus(ofMinutes(20)))).isEmpty();

    assertThat(triedByA).extracting(Message::idempotencyKey).containsExactly(run.id() + ":0");
    assertThat(sentByB).extracting(Message::idempotencyKey).containsExactly(run.id() + ":0");
    CampaignRun after = b.campaigns().run(run.id());
    assertThat(after.messages()).extracting(Message::at).containsExactly(t0.plus(ofMinutes(5)));
    assertThat(after.failures()).isEmpty();
  }

  @Test
  void two_instances_noticing_one_abandoned_cart_send_one_reminder() {
    OmniStore shared = OmniStore.inMemory();
    List<Message> delivered = new CopyOnWriteArrayList<>();
    AbandonedCartPolicy policy = AbandonedCartPolicy.after(ofHours(2), EMAIL_SMS, "Still thinking?");
    Omni a = builder().store(shared).abandonedCarts(policy).sender("email", delivered::add).build();
    Omni b = Omni.builder().store(shared).clock(clock).discoverProviders(false).abandonedCarts(policy)
        .sender("email", delivered::add).build();
    ProfileId ann = a.ingest(ChannelEvent.builder("web").id("cart-1").at(clock.instant()).identifiers(ANN)
        .type(EventType.CART_ADD).line(LineKey.of("SKU-1"), 1).build());
    Instant later = clock.advance(ofHours(3));

    a.campaigns().advance(later);
    b.campaigns().advance(later);

    assertThat(a.campaigns().runs(ann)).hasSize(1);
    assertThat(delivered).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("Still thinking?"));
  }

  @Test
  void a_backoff_doubles_after_each_failure() {
    List<Instant> tries = new CopyOnWriteArrayList<>();
    Omni omni = builder().deliveryAttempts(4).deliveryBackoff(Duration.ofSeconds(10))
        .sender("email", m -> {
          tries.add(m.at());
          throw new IllegalStateException("down");
        }).build();
    omni.campaigns().start(EMAIL_SMS, omni.identities().link("web", ANN), "Spring sale");
    Instant t0 = clock.instant();
    for (int s = 0; s <= 120; s++) {
      omni.campaigns().advance(t0.plusSeconds(s));
    }
    assertThat(tries).containsExactly(t0, t0.plusSeconds(10), t0.plusSeconds(30), t0.plusSeconds(70));
  }
}
