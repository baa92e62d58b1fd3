package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileId;
import io.omni.internal.identity.IdentityEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A link's work does not grow with the cluster it lands in: this counts the members the store
 * visits (every walk over a cluster goes through one counted loop), not the time. A link into a
 * cluster of thousands of identifiers of one type, with a limit above 255 or none, visits no member.
 */
final class LinkWorkTest {
  private static final IdentifierType B2B = IdentifierType.of("b2b_seat");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static void assertLinksVisitNoMember(IdentityRules rules, IdentifierType type, int size) {
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    IdentityEngine engine = new IdentityEngine(store, CLOCK, rules, null);
    Identifier anchor = Identifier.account("acct-1");
    ProfileId profile = engine.link("web", anchor, Identifier.of(type, "seat-0"));
    for (int k = 1; k < size; k++) {
      engine.link("web", anchor, Identifier.of(type, "seat-" + k));
    }
    // and a second cluster of the same shape, to merge into the big one
    Identifier other = Identifier.account("acct-2");
    for (int k = 0; k < 300; k++) {
      engine.link("web", other, Identifier.of(type, "other-" + k));
    }
    long before = store.memberVisits();
    for (int k = size; k < size + 100; k++) {
      assertThat(engine.link("web", Identifier.of(type, "seat-" + k), anchor)).isEqualTo(profile);
    }
    assertThat(engine.link("web", anchor, other)).isEqualTo(profile); // a merge of two big clusters
    assertThat(store.memberVisits() - before).as("members visited by 101 links").isZero();
    int[] counts = store.write(tx -> tx.typeCounts(profile));
    assertThat(counts[type.ordinal()]).isEqualTo(size + 100 + 300);
    assertThat(counts[IdentifierType.ACCOUNT.ordinal()]).isEqualTo(2);
  }

  @Test
  void a_custom_type_with_no_limit_is_counted_without_a_walk() {
    assertLinksVisitNoMember(IdentityRules.defaults().limit(B2B, Integer.MAX_VALUE)
        .limit(IdentifierType.ACCOUNT, 2), B2B, 3000);
  }

  @Test
  void a_built_in_type_past_255_is_counted_without_a_walk() {
    assertLinksVisitNoMember(IdentityRules.defaults().limit(IdentifierType.COOKIE, 100_000)
        .limit(IdentifierType.ACCOUNT, 2), IdentifierType.COOKIE, 1000);
  }

  @Test
  void the_counter_does_count_walks() {
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    IdentityEngine engine = new IdentityEngine(store, CLOCK, IdentityRules.defaults(), null);
    ProfileId p = engine.link("web", Identifier.account("a"), Identifier.email("ann.lee@fastmail.fm"));
    long before = store.memberVisits();
    assertThat(engine.profile(p).identifiers()).hasSize(2);
    assertThat(store.memberVisits() - before).isGreaterThanOrEqualTo(2); // profile and evidence each walk the two
  }
}
