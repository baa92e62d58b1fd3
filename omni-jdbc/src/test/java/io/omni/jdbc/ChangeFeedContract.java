package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.Omni;
import io.omni.Pruned;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.Link;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileChange.Kind;
import io.omni.identity.ProfileId;
import io.omni.spi.OmniStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The change feed on every store: merges, splits and forgets appear once each, in the order they
 * happened, for every consumer from its own cursor; no entry holds an identifier's value; entries
 * older than the change retention are pruned, leaving a gap a consumer can see. Subclassed for the
 * in-memory store and once per database.
 */
abstract class ChangeFeedContract {
  static final Identifier COOKIE = Identifier.cookie("c-81");
  static final Identifier EMAIL = Identifier.email("ann@example.com");
  static final Identifier PHONE = Identifier.phone("+79161234567");

  final TestClock clock = new TestClock();

  /** A fresh, empty store; every call on one test answers a store over the same state. */
  abstract OmniStore newStore();

  Omni omni(OmniStore store) {
    return Omni.builder().store(store).clock(clock).discoverProviders(false).build();
  }

  Omni omni() {
    return omni(newStore());
  }

  static List<ProfileChange> all(Identities ids) {
    return ids.changes(0, 10_000);
  }

  static List<String> described(List<ProfileChange> changes) {
    List<String> lines = new ArrayList<>();
    for (ProfileChange c : changes) {
      lines.add(c.position() + " " + c.kind() + " " + c.profile() + (c.other() == null ? "" : " " + c.other())
          + " " + c.cause());
    }
    return lines;
  }

  @Test
  void a_merge_a_forget_and_the_split_it_causes_appear_once_in_order() {
    Identities ids = omni().identities();
    ProfileId visitor = ids.link("e1", "web", clock.instant(), List.of(COOKIE));
    ProfileId ann = ids.link("e2", "app", clock.instant(), List.of(EMAIL, PHONE));
    assertThat(all(ids)).as("new profiles are no change to anyone's profile").isEmpty();

    ids.link("e3", "web", clock.instant(), List.of(COOKIE, EMAIL)); // the visitor logs in
    ids.link("e3", "web", clock.instant(), List.of(COOKIE, EMAIL)); // redelivered: nothing new
    assertThat(described(all(ids))).containsExactly("1 MERGED " + visitor + " " + ann + " e3");

    ids.forget(EMAIL); // takes e2 and e3 with it: cookie and phone no longer meet
    ProfileId phoneNow = ids.resolve(PHONE).orElseThrow();
    assertThat(phoneNow).isNotEqualTo(visitor);
    assertThat(described(all(ids))).containsExactly(
        "1 MERGED " + visitor + " " + ann + " e3",
        "2 FORGOTTEN " + visitor + " forget",
        "3 SPLIT " + visitor + " " + phoneNow + " forget");
    assertThat(all(ids)).allSatisfy(c -> assertThat(c.at()).isEqualTo(clock.instant()));
    assertThat(ids.forget(EMAIL)).isFalse();
    assertThat(all(ids)).as("forgetting what is gone changes no profile").hasSize(3);
  }

  @Test
  void each_consumer_reads_from_its_own_cursor_and_reading_consumes_nothing() {
    Identities ids = omni().identities();
    for (int i = 0; i < 5; i++) {
      ids.link("a" + i, "web", clock.instant(), List.of(Identifier.cookie("c-" + i)));
      ids.link("b" + i, "web", clock.instant(), List.of(Identifier.cookie("c-" + i), Identifier.email(i + "@example.com")));
      ids.link("c" + i, "app", clock.instant(), List.of(Identifier.account("acc-" + i)));
      ids.link("d" + i, "app", clock.instant(), List.of(Identifier.account("acc-" + i), Identifier.email(i + "@example.com")));
    }
    List<ProfileChange> everything = all(ids);
    assertThat(everything).extracting(ProfileChange::position).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(everything).extracting(ProfileChange::cause).containsExactly("d0", "d1", "d2", "d3", "d4");

    // the warehouse reads two at a time, the CRM three at a time
    List<ProfileChange> warehouse = new ArrayList<>();
    List<ProfileChange> crm = new ArrayList<>();
    long warehouseCursor = 0;
    long crmCursor = 0;
    for (int round = 0; round < 4; round++) {
      List<ProfileChange> w = ids.changes(warehouseCursor, 2);
      warehouse.addAll(w);
      warehouseCursor = w.isEmpty() ? warehouseCursor : w.get(w.size() - 1).position();
      List<ProfileChange> c = ids.changes(crmCursor, 3);
      crm.addAll(c);
      crmCursor = c.isEmpty() ? crmCursor : c.get(c.size() - 1).position();
    }
    assertThat(warehouse).isEqualTo(everything);
    assertThat(crm).isEqualTo(everything);
    assertThat(ids.changes(5, 100)).isEmpty();
    assertThat(ids.changes(99, 100)).as("a cursor past the end waits for entries").isEmpty();
    assertThat(ids.changes(3, 100)).isEqualTo(everything.subList(3, 5));
  }

  @Test
  void a_batch_of_links_records_its_merges_in_the_order_of_the_batch() {
    Identities ids = omni().identities();
    List<Link> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batch.add(new Link("v" + i, "web", clock.instant(), List.of(Identifier.cookie("c-" + i))));
      batch.add(new Link("k" + i, "app", clock.instant(), List.of(Identifier.email(i + "@example.com"))));
    }
    for (int i = 3; i >= 0; i--) {
      batch.add(new Link("login" + i, "web", clock.instant(),
          List.of(Identifier.cookie("c-" + i), Identifier.email(i + "@example.com"))));
    }
    ids.linkAll(batch);
    assertThat(all(ids)).extracting(ProfileChange::cause).containsExactly("login3", "login2", "login1", "login0");
    assertThat(all(ids)).allSatisfy(c -> {
      assertThat(c.kind()).isEqualTo(Kind.MERGED);
      assertThat(ids.resolve(c.other())).contains(c.profile());
    });
  }

  @Test
  void an_identifier_marked_shared_splits_the_profile_it_joined_and_the_split_names_the_event() {
    Identities ids = omni().identities();
    // a mobile the family shares (a fixed line is weak by default and would join nobody)
    Identifier landline = Identifier.phone("+79167654321");
    ProfileId ann = ids.link("ann-1", "web", clock.instant(), List.of(Identifier.account("ann"), landline));
    ids.link("ann-2", "call-center", clock.instant(), List.of(Identifier.email("ann@example.com"), landline));
    assertThat(ids.resolve(Identifier.email("ann@example.com"))).contains(ann);
    for (String member : List.of("bob", "cid", "dan")) {
      ids.link(member, "web", clock.instant(), List.of(Identifier.account(member), landline));
    }
    assertThat(ids.profile(ann).shared()).as("the landline is shared now").isNotEmpty();
    ProfileId emailNow = ids.resolve(Identifier.email("ann@example.com")).orElseThrow();
    assertThat(emailNow).isNotEqualTo(ann);
    ProfileId landlineNow = ids.resolve(landline).orElseThrow();
    // the third conflict (dan's link) marked it shared: ann's account, the landline, her email part
    assertThat(described(all(ids))).containsExactly("1 SPLIT " + ann + " " + landlineNow + " dan",
        "2 SPLIT " + ann + " " + emailNow + " dan");
  }

  @Test
  void a_rebuild_records_what_it_split_and_what_it_fused() {
    Identities ids = omni().identities();
    ProfileId ann = ids.link("e1", "web", clock.instant(), List.of(EMAIL, PHONE));
    ids.link("e2", "app", clock.instant(), List.of(Identifier.email("ann.work@example.com"), PHONE));
    ProfileId bob = ids.link("e3", "app", clock.instant(), List.of(Identifier.email("bob@example.com")));
    assertThat(all(ids)).isEmpty();

    ids.rebuild(IdentityRules.defaults().limit(IdentifierType.EMAIL, 1));
    ProfileId work = ids.resolve(Identifier.email("ann.work@example.com")).orElseThrow();
    assertThat(work).isNotEqualTo(ann);
    assertThat(described(all(ids))).containsExactly("1 SPLIT " + ann + " " + work + " rebuild");

    ids.rebuild(IdentityRules.defaults());
    assertThat(ids.resolve(Identifier.email("ann.work@example.com"))).contains(ann);
    assertThat(described(all(ids))).containsExactly("1 SPLIT " + ann + " " + work + " rebuild",
        "2 MERGED " + ann + " " + work + " rebuild");
    assertThat(ids.resolve(Identifier.email("bob@example.com"))).contains(bob);
  }

  @Test
  void a_forgotten_value_appears_in_no_entry() {
    Identities ids = omni().identities();
    ids.link("e1", "web", clock.instant(), List.of(COOKIE));
    ids.link("e2", "app", clock.instant(), List.of(EMAIL, PHONE));
    ids.link("e3", "web", clock.instant(), List.of(COOKIE, EMAIL));
    ids.forget(EMAIL);
    ids.forget(PHONE);
    assertThat(all(ids)).hasSizeGreaterThanOrEqualTo(4).allSatisfy(change -> assertThat(change.toString())
        .doesNotContain(EMAIL.value(), "ann@", PHONE.value(), "79161234567", COOKIE.value()));
  }

  @Test
  void prune_drops_entries_older_than_the_change_retention_and_a_consumer_sees_the_gap() {
    OmniStore store = newStore();
    Omni omni = Omni.builder().store(store).clock(clock).discoverProviders(false)
        .changeRetention(Duration.ofDays(2)).build();
    Identities ids = omni.identities();
    for (int i = 0; i < 3; i++) {
      ids.link("a" + i, "web", clock.instant(), List.of(Identifier.cookie("c-" + i)));
      ids.link("b" + i, "web", clock.instant(), List.of(Identifier.cookie("c-" + i), Identifier.email(i + "@example.com")));
      ids.link("c" + i, "app", clock.instant(), List.of(Identifier.account("acc-" + i)));
      ids.link("d" + i, "app", clock.instant(), List.of(Identifier.account("acc-" + i), Identifier.email(i + "@example.com")));
      clock.advance(Duration.ofDays(1));
    }
    Instant now = clock.instant(); // entries at now - 3, - 2 and - 1 days
    assertThat(omni.prune(now)).isEqualTo(new Pruned(0, 0, 1));
    assertThat(omni.prune(now)).as("an entry exactly at the horizon is kept").isEqualTo(new Pruned(0, 0, 0));
    List<ProfileChange> left = ids.changes(0, 100);
    assertThat(left).extracting(ProfileChange::position).containsExactly(2L, 3L);
    assertThat(left.get(0).position()).as("a consumer at cursor 0 sees it missed entry 1").isGreaterThan(1);
    assertThat(omni.prune(now.plusMillis(1))).isEqualTo(new Pruned(0, 0, 1));
    assertThat(omni.prune(now.plus(Duration.ofDays(30)))).isEqualTo(new Pruned(0, 0, 1));

    ids.link("visit", "web", clock.instant(), List.of(Identifier.cookie("c-9")));
    ids.link("later", "web", clock.instant(), List.of(Identifier.cookie("c-9"), Identifier.email("0@example.com")));
    assertThat(ids.changes(0, 100)).extracting(ProfileChange::position).as("positions go on after a prune")
        .containsExactly(4L);
  }

  @Test
  void a_negative_cursor_or_a_page_size_out_of_range_is_refused() {
    Identities ids = omni().identities();
    assertThatThrownBy(() -> ids.changes(-1, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor").hasMessageContaining("-1");
    assertThatThrownBy(() -> ids.changes(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max").hasMessageContaining("10000");
    assertThatThrownBy(() -> ids.changes(0, 10_001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10001");
    assertThatThrownBy(() -> Omni.builder().changeRetention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("changeRetention");
  }
}
