package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.Identifier;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileChange;
import io.omni.internal.identity.IdentityEngine;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The splits a write records are announced to split listeners once it is stored. A write that
 * fails after recording a split (its store rolls it back) must not have it announced by the next
 * write on the same thread, nor leave it held by the thread.
 */
final class FailedSplitTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Identifier COOKIE = Identifier.cookie("c-1");
  private static final Identifier EMAIL = Identifier.email("ann@example.com");
  private static final Identifier PHONE = Identifier.phone("+79161234567");

  @Test
  void the_split_of_a_write_that_failed_is_not_announced_by_the_next_write() {
    InMemoryIdentityStore inner = new InMemoryIdentityStore();
    boolean[] failNext = {false};
    IdentityStore store = new IdentityStore() {
      @Override
      public <R> R write(Function<IdentityTransaction, R> work) {
        return inner.write(tx -> {
          R result = work.apply(tx);
          if (failNext[0]) {
            failNext[0] = false;
            throw new IllegalStateException("injected: the commit failed");
          }
          return result;
        });
      }

      @Override
      public <R> R read(Function<IdentityReader, R> work) {
        return inner.read(work);
      }
    };
    IdentityEngine engine = new IdentityEngine(store, CLOCK, IdentityRules.defaults(), null);
    engine.link("web", COOKIE, EMAIL);
    engine.link("app", EMAIL, PHONE);
    List<ProfileChange> announced = new ArrayList<>();
    engine.onSplits(announced::addAll);

    failNext[0] = true;
    // the email joined the cookie and the phone: forgetting it splits them
    assertThatThrownBy(() -> engine.forget(EMAIL)).hasMessageContaining("injected");
    engine.link("web", Identifier.cookie("c-2"));

    assertThat(announced).as("splits announced after the failed write").isEmpty();
  }
}
