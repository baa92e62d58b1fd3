package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.Identifier;
import io.omni.identity.IdentityRules;
import io.omni.identity.MergeEvent;
import io.omni.identity.ProfileId;
import io.omni.internal.identity.IdentityEngine;
import io.omni.spi.IdentityReader;
import io.omni.spi.IdentityStore;
import io.omni.spi.IdentityTransaction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A link reuses its thread's working arrays from link to link. A link that starts inside another
 * link's write on the same thread — here a store that links while it appends the outer link's
 * evidence — must not work in the outer link's arrays: the outer link still reads them after the
 * append (the profiles it merged, the identifiers it refused).
 */
final class LinkInsideLinkTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void a_link_inside_a_links_write_leaves_the_outer_links_merges_as_they_were() {
    InMemoryIdentityStore inner = new InMemoryIdentityStore();
    IdentityEngine[] engine = new IdentityEngine[1];
    IdentityStore store = new IdentityStore() {
      @Override
      public <R> R write(Function<IdentityTransaction, R> work) {
        return inner.write(tx -> work.apply(linkingOnAppend(tx, engine)));
      }

      @Override
      public <R> R read(Function<IdentityReader, R> work) {
        return inner.read(work);
      }
    };
    engine[0] = new IdentityEngine(store, CLOCK, IdentityRules.defaults(), null);
    ProfileId p1 = engine[0].link("web", email(1));
    ProfileId p2 = engine[0].link("web", email(2));
    ProfileId p3 = engine[0].link("web", email(3));
    ProfileId p4 = engine[0].link("web", email(4));
    List<List<ProfileId>> merges = new ArrayList<>();
    engine[0].onMerge((MergeEvent m) -> merges.add(List.of(m.survivor(), m.merged())));

    // its append links email 3 with email 4, merging p4 into p3, inside this write
    ProfileId outer = engine[0].link("outer", email(1), email(2));

    assertThat(outer).isEqualTo(p1);
    assertThat(merges).containsExactlyInAnyOrder(List.of(p1, p2), List.of(p3, p4));
    assertThat(engine[0].resolve(email(4))).contains(p3);
    assertThat(engine[0].resolve(email(2))).contains(p1);
  }

  private static Identifier email(int k) {
    return Identifier.email("customer-" + k + "@fastmail.fm");
  }

  /** The transaction, linking emails 3 and 4 when it appends evidence on the channel "outer". */
  private static IdentityTransaction linkingOnAppend(IdentityTransaction tx, IdentityEngine[] engine) {
    return (IdentityTransaction) Proxy.newProxyInstance(IdentityTransaction.class.getClassLoader(),
        new Class<?>[] {IdentityTransaction.class}, (proxy, method, args) -> {
          if (method.getName().equals("append") && args.length == 5 && "outer".equals(args[1])) {
            engine[0].link("inner", email(3), email(4));
          }
          try {
            return method.invoke(tx, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
