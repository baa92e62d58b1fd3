package io.omni.identity;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.cart.CartLine;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.journey.Order;
import io.omni.journey.Touchpoint;
import io.omni.spi.CartStore;
import io.omni.spi.OmniStore;
import io.omni.spi.StoredCart;
import io.omni.testing.StoreOf;
import io.omni.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A back-fill batch ({@link Identities#linkAll}) whose merges were stored but whose carrying of
 * carts, journeys and runs failed midway is completed by the caller's retry of the same batch, on
 * the in-memory store: the k-th cart write of the carrying fails once, for every k, and the end
 * state equals that of a batch that never failed.
 */
final class LinkAllRetryTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final LineKey SKU1 = LineKey.of("SKU-1");
  private static final LineKey SKU2 = LineKey.of("SKU-2");
  private static final LineKey SKU3 = LineKey.of("SKU-3");
  private static final Identifier ANON = Identifier.cookie("anon-1");
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");
  private static final Cascade EMAIL_THEN_SMS = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)));

  /** A cart store whose k-th write after {@link #failAt} throws, once. */
  private static final class FailingCarts implements CartStore {
    private final CartStore target;
    private int failAt;
    private int writes;
    private boolean fired;

    FailingCarts(CartStore target) {
      this.target = target;
    }

    void failAt(int k) {
      failAt = k;
      writes = 0;
      fired = false;
    }

    @Override
    public Optional<StoredCart> load(ProfileId profile) {
      return target.load(profile);
    }

    @Override
    public Set<ProfileId> holding(Collection<ProfileId> profiles) {
      return target.holding(profiles);
    }

    @Override
    public boolean compareAndSet(long expectedVersion, StoredCart next) {
      if (++writes == failAt) {
        fired = true;
        throw new IllegalStateException("injected: cart write " + writes + " failed");
      }
      return target.compareAndSet(expectedVersion, next);
    }

    @Override
    public boolean consumeNonce(String nonce, Instant expiresAt) {
      return target.consumeNonce(nonce, expiresAt);
    }

    @Override
    public void purgeNonces(Instant instant) {
      target.purgeNonces(instant);
    }
  }

  /** The in-memory store with its carts behind {@link FailingCarts}. */
  private static final class Store {
    private final OmniStore target = OmniStore.inMemory();
    final FailingCarts carts = new FailingCarts(target.carts());
    final OmniStore store = new StoreOf(target.identities(), target.events(), target.campaigns(), carts);
  }

  private static Omni omni(Store store) {
    return Omni.builder().store(store.store).clock(TestClock.at("2026-03-02T11:00:00Z")).discoverProviders(false)
        .build();
  }

  private static void ingest(Omni omni, String id, int minute, EventType type, Identifier who, LineKey... lines) {
    ChannelEvent.Builder event = ChannelEvent.builder("web").id(id).at(T0.plusSeconds(60L * minute))
        .identifiers(who).type(type);
    for (LineKey line : lines) {
      event.line(line, 1);
    }
    if (type == EventType.ORDER) {
      event.attribute("order", "o-" + id);
    }
    omni.ingest(event.build());
  }

  /** Three profiles of Ann: an anonymous cart, her own, her phone's with an order and a campaign run. */
  private static void history(Omni omni) {
    ingest(omni, "e1", 1, EventType.CART_ADD, ANON, SKU1);
    ingest(omni, "e2", 2, EventType.CART_ADD, ANN, SKU1, SKU1, SKU2);
    ingest(omni, "e3", 3, EventType.CART_ADD, PHONE, SKU1, SKU1, SKU1, SKU3);
    ingest(omni, "e4", 4, EventType.ORDER, PHONE, SKU3);
    omni.campaigns().start(EMAIL_THEN_SMS, omni.identities().resolve(PHONE).orElseThrow(), "Sale");
  }

  /** A login joining the anonymous cart to Ann's, then the till joining her phone: two merges, one batch. */
  private static final List<Link> BATCH = List.of(
      new Link("login", "web", T0.plusSeconds(600), List.of(ANON, ANN)),
      new Link("till", "pos", T0.plusSeconds(660), List.of(ANN, PHONE)));

  private static List<String> state(Omni omni) {
    ProfileId p = omni.identities().resolve(ANN).orElseThrow();
    List<String> out = new ArrayList<>();
    out.add("profile " + omni.identities().profile(p).mergedFrom().size() + " merged");
    for (Touchpoint t : omni.journeys().of(p)) {
      out.add("touchpoint " + t.eventId() + " " + t.type());
    }
    for (Order o : omni.journeys().orders(p)) {
      out.add("order " + o.id() + " " + o.lines());
    }
    for (CartLine line : omni.carts().get(p).lines()) {
      out.add("line " + line.key() + "=" + line.quantity() + "@" + line.channel());
    }
    out.add("cart " + omni.carts().status(p));
    for (CampaignRun run : omni.campaigns().runs(p)) {
      out.add("run " + run.state() + " of " + omni.identities().resolve(run.profile()).orElseThrow().equals(p));
    }
    return out;
  }

  @Test
  void a_retried_batch_carries_what_its_merges_left_behind_whichever_cart_write_failed() {
    Store clean = new Store();
    Omni reference = omni(clean);
    history(reference);
    reference.identities().linkAll(BATCH);
    List<String> expected = state(reference);
    assertThat(expected).contains("line SKU-1=3@pos", "run RUNNING of true", "touchpoint e3 CART_ADD");

    for (int k = 1; ; k++) {
      Store store = new Store();
      Omni omni = omni(store);
      history(omni);
      store.carts.failAt(k);
      try {
        omni.identities().linkAll(BATCH);
      } catch (IllegalStateException e) {
        assertThat(e).hasMessageContaining("injected");
      }
      boolean fired = store.carts.fired;
      store.carts.failAt(0);
      if (fired) {
        omni.identities().linkAll(BATCH); // the caller's retry of the same batch
      }
      assertThat(state(omni)).as("cart write %d failed, then the batch retried", k).isEqualTo(expected);
      if (!fired) {
        assertThat(k).as("cart writes of the carrying").isGreaterThan(2);
        return;
      }
    }
  }

  @Test
  void a_failed_carry_fails_the_batch() {
    Store store = new Store();
    Omni omni = omni(store);
    history(omni);
    store.carts.failAt(1);
    assertThatThrownBy(() -> omni.identities().linkAll(BATCH)).hasMessageContaining("injected");
  }
}
