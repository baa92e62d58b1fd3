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

  /**
   * A profile whose one strong type is the phone may hold only weak fixed lines (a household's
   * landline) or a mobile too: the link tells them apart by the store's count of fixed lines, not
   * by reading the members. Two such profiles of 300 phones each; links into them visit no member
   * and still decide as the rules say.
   */
  @Test
  void a_phone_only_profile_tells_a_mobile_from_landlines_without_a_walk() {
    IdentityRules rules = IdentityRules.defaults().limit(IdentifierType.PHONE, 10_000);
    InMemoryIdentityStore store = new InMemoryIdentityStore();
    IdentityEngine engine = new IdentityEngine(store, CLOCK, rules, null);
    Identifier mobile = Identifier.phone("+7 916 123-45-67");
    assertThat(rules.isWeak(mobile)).isFalse();
    ProfileId withMobile = engine.link("sms", mobile, moscowLandline(0));
    ProfileId landlinesOnly = engine.link("call-center", moscowLandline(1000));
    for (int k = 1; k < 300; k++) {
      assertThat(rules.isWeak(moscowLandline(k))).isTrue();
      assertThat(engine.link("call-center", mobile, moscowLandline(k))).isEqualTo(withMobile);
      assertThat(engine.link("call-center", moscowLandline(1000), moscowLandline(1000 + k))).isEqualTo(landlinesOnly);
    }
    assertThat((int) store.write(tx -> tx.fixedLinePhones(withMobile.number()))).isEqualTo(300);
    assertThat((int) store.write(tx -> tx.fixedLinePhones(landlinesOnly.number()))).isEqualTo(300);

    long before = store.memberVisits();
    // a landline of a known customer (the mobile) does not bring a new email in
    Identifier ann = Identifier.email("ann.lee@fastmail.fm");
    assertThat(engine.link("call-center", moscowLandline(7), ann)).isNotEqualTo(withMobile);
    // a landline of nobody known attaches to the first customer who calls from it
    Identifier boris = Identifier.email("boris.ivanov@fastmail.fm");
    assertThat(engine.link("call-center", moscowLandline(1007), boris)).isEqualTo(landlinesOnly);
    assertThat(store.memberVisits() - before).as("members visited by 2 links into phone-only profiles").isZero();
    assertThat(engine.resolve(ann)).isPresent().isNotEqualTo(java.util.Optional.of(withMobile));
  }

  private static Identifier moscowLandline(int k) {
    return Identifier.phone(String.format("+7 495 %03d-%02d-%02d", 100 + k / 10_000, k / 100 % 100, k % 100));
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
