package io.omni.jdbc;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.lang.reflect.Proxy;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * "Omni starts no threads of its own" on a {@link JdbcStore}: a full story — events from every
 * channel, cart, hand-off, checkout, a cascade, explain, forget — on a plain H2 {@code DataSource}
 * ({@link DriverManager} behind it, no pool, whose housekeeping threads would blur the count) leaves the JVM with the threads it had,
 * and hands no task to {@link ForkJoinPool#commonPool()} (where Caffeine runs its maintenance
 * unless given an executor).
 */
final class NoThreadsTest {
  private static final Identifier COOKIE = Identifier.cookie("c-81");
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");

  @Test
  void a_full_story_on_a_jdbc_store_starts_no_thread_and_uses_no_common_pool() throws Exception {
    DataSource dataSource = plain("jdbc:h2:mem:no-threads-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.getConnection().close(); // the driver's own class loading and first connection first
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    long commonPoolTasksBefore = ForkJoinPool.commonPool().getStealCount();

    story(dataSource);

    Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
    started.removeAll(before);
    assertThat(started.stream().map(Thread::getName).collect(Collectors.toList())).as("threads started").isEmpty();
    assertThat(ForkJoinPool.commonPool().getStealCount()).as("tasks run by the common pool")
        .isEqualTo(commonPoolTasksBefore);
  }

  /** A data source that opens a new connection per call, as the driver manager gives it. */
  private static DataSource plain(String url) {
    return (DataSource) Proxy.newProxyInstance(NoThreadsTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (self, method, args) -> {
          if (method.getName().equals("getConnection")) {
            return DriverManager.getConnection(url);
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static void story(DataSource dataSource) {
    TestClock clock = new TestClock();
    List<Message> sent = new ArrayList<>();
    try (Omni omni = Omni.builder()
        .store(JdbcStore.builder(dataSource).cacheExpiry(Duration.ofMillis(1)).build())
        .clock(clock).discoverProviders(false)
        .handoffKey("a hand-off key of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8))
        .sender("email", sent::add).sender("sms", sent::add)
        .build()) {
      ProfileId ann = omni.ingest(ChannelEvent.builder("web").id("e-1").at(clock.instant()).type(EventType.CART_ADD)
          .identifiers(COOKIE).line(LineKey.of("SKU-1"), 2).build());
      omni.ingest(ChannelEvent.builder("app").id("e-2").at(clock.instant()).type(EventType.LOGIN)
          .identifiers(COOKIE, EMAIL).build());
      omni.ingest(ChannelEvent.builder("call-center").id("e-3").at(clock.instant()).type(EventType.CALL)
          .identifiers(EMAIL, PHONE).build());
      // many reads through the identifier cache, each entry expired by the next: Caffeine's
      // maintenance (eviction, expiry) runs again and again
      for (int i = 0; i < 60; i++) {
        omni.identities().resolve(i % 2 == 0 ? COOKIE : PHONE);
        omni.identities().resolve(Identifier.cookie("c-" + i));
        clock.advance(Duration.ofMillis(5));
      }
      omni.carts().add(PHONE, "app", LineKey.of("SKU-2"), 1);
      String token = omni.carts().handoff(ann, Duration.ofMinutes(5));
      omni.carts().redeem(token, "pos");
      Cascade cascade = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));
      CampaignRun run = omni.campaigns().start(cascade, ann, "SKU-1 is 30% off");
      omni.campaigns().advance(clock.instant());
      clock.advance(ofHours(24));
      omni.campaigns().advance(clock.instant());
      clock.advance(ofHours(1));
      omni.ingest(ChannelEvent.builder("call-center").id("e-4").at(clock.instant()).type(EventType.ORDER)
          .identifiers(PHONE).attribute("order", "o-17").line(LineKey.of("SKU-1"), 2).build());
      omni.carts().checkout(EMAIL, "pos", "o-18");
      omni.journeys().of(ann);
      omni.journeys().orders(ann);
      omni.identities().explain(COOKIE, PHONE);
      omni.identities().forget(EMAIL);
      assertThat(omni.campaigns().run(run.id()).state()).isEqualTo(CampaignRun.State.CONVERTED);
      assertThat(sent).hasSize(2);
    }
  }
}
