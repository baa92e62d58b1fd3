package io.omni.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omni.Omni;
import io.omni.OmniMetrics;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.spi.CartStore;
import io.omni.spi.IdentityStore;
import io.omni.spi.OmniStore;
import io.omni.spi.OwedCarry;
import io.omni.testing.StoreOf;
import io.omni.testing.TestClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Merges whose carrying always fails (a cart that can never fold) do not hold up the others: more
 * than a chunk of them, noted first, are postponed by the sweep of {@code advance} to its time, and
 * the merges noted after them are carried in the same advance; the postponed ones wait a grace
 * period before they are tried again.
 */
final class OwedCarryPostponeTest {
  private static final int FAILING = 120;
  private static final int GOOD = 30;
  private static final LineKey SKU_A = LineKey.of("SKU-A");
  private static final LineKey SKU_B = LineKey.of("SKU-B");

  /** A cart store whose {@code load} fails for the profiles named, or for all while {@code all} is set. */
  private static final class FailingLoads {
    final Set<ProfileId> failing = new HashSet<>();
    final AtomicInteger tried = new AtomicInteger();
    boolean all;

    CartStore wrap(CartStore target) {
      return (CartStore) Proxy.newProxyInstance(CartStore.class.getClassLoader(), new Class<?>[] {CartStore.class},
          (proxy, method, args) -> {
            if (method.getName().equals("load") && (all || failing.contains(args[0]))) {
              tried.incrementAndGet();
              throw new IllegalStateException("injected: the cart of " + args[0] + " cannot be loaded");
            }
            try {
              return method.invoke(target, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }

  private static Identifier email(int i) {
    return Identifier.email("c" + i + "@example.com");
  }

  private static Identifier phone(int i) {
    return Identifier.phone("+7916" + String.format("%07d", i));
  }

  /** Two profiles, each with a line in its cart, then a link that merges them whose carrying fails. */
  private static Set<ProfileId> mergeFailing(Omni omni, TestClock clock, FailingLoads faults, int i) {
    Instant at = clock.instant();
    omni.ingest(ChannelEvent.builder("web").id("a" + i).at(at).identifiers(email(i)).type(EventType.CART_ADD)
        .line(SKU_A, 1).build());
    omni.ingest(ChannelEvent.builder("app").id("b" + i).at(at).identifiers(phone(i)).type(EventType.CART_ADD)
        .line(SKU_B, 1).build());
    Set<ProfileId> both = Set.of(omni.identities().resolve(email(i)).orElseThrow(),
        omni.identities().resolve(phone(i)).orElseThrow());
    faults.all = true;
    try {
      omni.identities().link("login-" + i, "web", at, List.of(email(i), phone(i)));
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining("injected");
    } finally {
      faults.all = false;
    }
    return both;
  }

  /** The identity store, its {@code postpone} left to the SPI's default (does nothing) or failing. */
  private static IdentityStore postponing(IdentityStore target, boolean fails) {
    return (IdentityStore) Proxy.newProxyInstance(IdentityStore.class.getClassLoader(),
        new Class<?>[] {IdentityStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("postpone")) {
            if (fails) {
              throw new IllegalStateException("injected: postponing failed");
            }
            return null; // the default
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /**
   * A store that does not postpone (the SPI's default), or whose postponing fails: the sweep tries
   * the first chunk of failing merges once, stops at the next chunk, which answers them again, or at
   * the failure to postpone (it does not try the same merges ten times over), and
   * {@code advance} does not throw; notes are kept as they were.
   */
  @Test
  void a_store_that_does_not_postpone_or_fails_to_is_swept_once_per_advance_and_advance_does_not_throw() {
    for (boolean fails : new boolean[] {false, true}) {
      FailingLoads faults = new FailingLoads();
      OmniStore target = OmniStore.inMemory();
      OmniStore store = new StoreOf(postponing(target.identities(), fails), target.events(), target.campaigns(),
          faults.wrap(target.carts()));
      TestClock clock = TestClock.at("2026-03-02T11:00:00Z");
      Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false).build();
      Set<ProfileId> failing = new HashSet<>();
      for (int i = 0; i < 101; i++) { // more than a chunk: the second chunk answers the first again
        failing.addAll(mergeFailing(omni, clock, faults, i));
      }
      List<OwedCarry> before = owed(omni);
      faults.failing.addAll(failing);
      faults.tried.set(0);
      omni.campaigns().advance(clock.instant().plus(Duration.ofMinutes(5)));
      assertThat(faults.tried).as("carries tried (postpone fails: %s)", fails).hasValue(100);
      assertThat(owed(omni)).as("notes kept as they were (postpone fails: %s)", fails).isEqualTo(before);
      faults.failing.clear();
      omni.campaigns().advance(clock.instant().plus(Duration.ofMinutes(6)));
      assertThat(owed(omni)).isEmpty();
    }
  }

  private static List<OwedCarry> owed(Omni omni) {
    return omni.store().identities().owedCarries(Instant.parse("5999-01-01T00:00:00Z"), 1_000);
  }

  @Test
  void merges_that_keep_failing_are_postponed_and_the_ones_noted_after_them_are_carried_in_the_same_advance() {
    FailingLoads faults = new FailingLoads();
    OmniStore target = OmniStore.inMemory();
    OmniStore store = new StoreOf(target.identities(), target.events(), target.campaigns(), faults.wrap(target.carts()));
    TestClock clock = TestClock.at("2026-03-02T11:00:00Z");
    Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false).build();
    MeterRegistry registry = new SimpleMeterRegistry();
    new OmniMetrics(omni).bindTo(registry);
    Set<ProfileId> failing = new HashSet<>();
    for (int i = 0; i < FAILING; i++) {
      failing.addAll(mergeFailing(omni, clock, faults, i));
    }
    clock.advance(Duration.ofSeconds(10));
    for (int i = FAILING; i < FAILING + GOOD; i++) {
      mergeFailing(omni, clock, faults, i);
    }
    assertThat(owed(omni)).hasSize(FAILING + GOOD);
    faults.failing.addAll(failing); // the first merges can never be carried, the later ones can now

    Instant now = clock.instant().plus(Duration.ofMinutes(5));
    omni.campaigns().advance(now);
    List<OwedCarry> left = owed(omni);
    assertThat(left).as("notes left after the sweep").hasSize(FAILING);
    assertThat(registry.get("omni.carries.repaired").counter().count()).isEqualTo(GOOD);
    assertThat(registry.get("omni.carries.failed").counter().count()).isEqualTo(FAILING);
    assertThat(left).allSatisfy(o -> {
      assertThat(failing).contains(o.merged());
      assertThat(o.noted()).as("postponed to the sweep's time").isEqualTo(now);
    });
    for (int i = FAILING; i < FAILING + GOOD; i++) {
      ProfileId p = omni.identities().resolve(email(i)).orElseThrow();
      assertThat(omni.identities().resolve(phone(i))).contains(p);
      assertThat(omni.carts().get(p).quantity(SKU_A) + "," + omni.carts().get(p).quantity(SKU_B))
          .as("cart of customer %d", i).isEqualTo("1,1");
    }

    faults.tried.set(0);
    omni.campaigns().advance(now.plusSeconds(30));
    assertThat(faults.tried).as("carries of the postponed merges tried within the grace period").hasValue(0);
    assertThat(owed(omni)).isEqualTo(left);

    faults.failing.clear(); // whatever failed is fixed: a grace period later they are carried
    omni.campaigns().advance(now.plus(Duration.ofMinutes(2)));
    assertThat(owed(omni)).isEmpty();
    assertThat(registry.get("omni.carries.repaired").counter().count()).isEqualTo(FAILING + GOOD);
    assertThat(registry.get("omni.carries.failed").counter().count()).as("none failed again").isEqualTo(FAILING);
    ProfileId first = omni.identities().resolve(email(0)).orElseThrow();
    assertThat(omni.carts().get(first).quantity(SKU_A) + "," + omni.carts().get(first).quantity(SKU_B))
        .isEqualTo("1,1");
  }
}
