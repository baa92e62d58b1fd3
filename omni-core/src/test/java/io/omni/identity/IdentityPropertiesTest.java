package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws of identity resolution, checked on random link graphs. */
final class IdentityPropertiesTest {

  /** A link: which channel saw which identifiers together. */
  record Link(String channel, List<Identifier> identifiers) {}

  // -------------------------------------------------------------- generators

  private static Arbitrary<Identifier> identifier(int pool) {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, pool - 1);
    return Arbitraries.oneOf(
        n.map(i -> Identifier.email("user" + i + "@shop.io")),
        n.map(i -> Identifier.phone("+7916" + String.format("%07d", 1_000_000 + i))),
        n.map(i -> Identifier.phone("+7495" + String.format("%07d", 1_000_000 + i))), // a landline: weak
        n.map(i -> Identifier.account("acc-" + i)),
        n.map(i -> Identifier.loyaltyCard("L" + i)),
        n.map(i -> Identifier.device("dev-" + i)),
        n.map(i -> Identifier.cookie("ck-" + i)));
  }

  private static Arbitrary<List<Link>> links(int pool, int maxLinks) {
    Arbitrary<Link> link = Combinators.combine(
            Arbitraries.of("web", "app", "pos", "call-center"),
            identifier(pool).list().ofMinSize(1).ofMaxSize(4))
        .as(Link::new);
    return link.list().ofMinSize(1).ofMaxSize(maxLinks);
  }

  @Provide
  Arbitrary<List<Link>> smallGraphs() {
    return links(8, 40);
  }

  @Provide
  Arbitrary<List<Link>> largerGraphs() {
    return links(40, 200);
  }

  // -------------------------------------------------------------- helpers

  private static Omni omni(IdentityRules rules) {
    return Omni.builder().identityRules(rules).build();
  }

  private static void apply(Identities ids, List<Link> links) {
    for (Link link : links) {
      ids.link(link.channel(), link.identifiers().toArray(Identifier[]::new));
    }
  }

  private static Set<Identifier> identifiersOf(List<Link> links) {
    Set<Identifier> all = new LinkedHashSet<>();
    links.forEach(l -> all.addAll(l.identifiers()));
    return all;
  }

  /** The partition Omni holds, as a set of sets, over the given identifiers. */
  private static Set<Set<Identifier>> partition(Identities ids, Set<Identifier> identifiers) {
    Map<ProfileId, Set<Identifier>> byProfile = new HashMap<>();
    for (Identifier id : identifiers) {
      Optional<ProfileId> p = ids.resolve(id);
      p.ifPresent(profile -> byProfile.computeIfAbsent(profile, k -> new HashSet<>()).add(id));
    }
    return new HashSet<>(byProfile.values());
  }

  private static Map<Identifier, ProfileId> assignment(Identities ids, Set<Identifier> identifiers) {
    Map<Identifier, ProfileId> result = new HashMap<>();
    for (Identifier id : identifiers) {
      ids.resolve(id).ifPresent(p -> result.put(id, p));
    }
    return result;
  }

  /** The reference: connected components of the link graph by breadth-first search. */
  private static Set<Set<Identifier>> components(List<Link> links) {
    Map<Identifier, Set<Identifier>> adjacent = new HashMap<>();
    for (Link link : links) {
      for (Identifier a : link.identifiers()) {
        adjacent.computeIfAbsent(a, k -> new HashSet<>()).addAll(link.identifiers());
      }
    }
    Set<Identifier> seen = new HashSet<>();
    Set<Set<Identifier>> result = new HashSet<>();
    for (Identifier start : adjacent.keySet()) {
      if (!seen.add(start)) {
        continue;
      }
      Set<Identifier> component = new HashSet<>();
      ArrayDeque<Identifier> queue = new ArrayDeque<>(List.of(start));
      while (!queue.isEmpty()) {
        Identifier at = queue.poll();
        component.add(at);
        for (Identifier next : adjacent.get(at)) {
          if (seen.add(next)) {
            queue.add(next);
          }
        }
      }
      result.add(component);
    }
    return result;
  }

  // -------------------------------------------------------------- properties

  @Property(tries = 300)
  void with_guards_relaxed_the_partition_equals_the_connected_components(@ForAll("largerGraphs") List<Link> links) {
    Identities ids = omni(IdentityRules.relaxed()).identities();
    apply(ids, links);
    assertThat(partition(ids, identifiersOf(links))).isEqualTo(components(links));
  }

  @Property(tries = 300)
  void with_default_guards_no_profile_breaks_a_limit_and_weak_identifiers_bridge_no_two_known_customers(
      @ForAll("largerGraphs") List<Link> links) {
    IdentityRules rules = IdentityRules.defaults().limit(IdentifierType.EMAIL, 2).limit(IdentifierType.DEVICE, 2);
    Identities ids = omni(rules).identities();
    apply(ids, links);
    Set<ProfileId> profiles = new HashSet<>(assignment(ids, identifiersOf(links)).values());
    for (ProfileId p : profiles) {
      Profile profile = ids.profile(p);
      for (IdentifierType type : List.of(IdentifierType.ACCOUNT, IdentifierType.EMAIL, IdentifierType.PHONE,
          IdentifierType.LOYALTY_CARD, IdentifierType.DEVICE, IdentifierType.COOKIE)) {
        assertThat(profile.identifiers(type).size()).as("%s in %s", type, profile).isLessThanOrEqualTo(rules.limit(type));
      }
    }
    // every profile's strong identifiers are joined by evidence that holds strong identifiers only:
    // removing every weak identifier from the links never separates two strong identifiers of one profile
    List<Link> strongOnly = new ArrayList<>();
    for (Link link : links) {
      List<Identifier> strong = link.identifiers().stream().filter(i -> !rules.isWeak(i)).toList();
      if (!strong.isEmpty()) {
        strongOnly.add(new Link(link.channel(), strong));
      }
    }
    Map<Identifier, Set<Identifier>> strongComponent = new HashMap<>();
    for (Set<Identifier> component : components(strongOnly)) {
      component.forEach(i -> strongComponent.put(i, component));
    }
    for (ProfileId p : profiles) {
      List<Identifier> strong = ids.profile(p).identifiers().stream().filter(i -> !rules.isWeak(i)).toList();
      for (Identifier s : strong) {
        assertThat(strongComponent.get(s)).as("strong identifiers of %s", p).containsAll(strong);
      }
    }
  }

  @Property(tries = 40)
  void links_applied_from_eight_threads_give_the_same_partition_as_one_thread(
      @ForAll("largerGraphs") List<Link> links) throws Exception {
    Identities single = omni(IdentityRules.relaxed()).identities();
    apply(single, links);

    Identities shared = omni(IdentityRules.relaxed()).identities();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = from; i < links.size(); i += threads) {
            apply(shared, List.of(links.get(i)));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<Identifier> all = identifiersOf(links);
    assertThat(partition(shared, all)).isEqualTo(partition(single, all));
    assertThat(shared.stats().identifiers()).isEqualTo(all.size());
  }

  @Property(tries = 200)
  void the_stores_type_counts_match_the_profiles_members(@ForAll("largerGraphs") List<Link> links,
      @ForAll @IntRange(min = 0, max = 300) int handles) {
    IdentityRules rules = IdentityRules.relaxed().limit(IdentifierType.EMAIL, 1000);
    Omni omni = omni(rules);
    Identities ids = omni.identities();
    IdentifierType telegram = IdentifierType.of("telegram");
    IdentifierType instagram = IdentifierType.of("instagram");
    List<Link> withHandles = new ArrayList<>(links);
    for (int h = 0; h < handles; h++) { // custom types, and more than a byte's worth of one type
      Identifier first = links.get(0).identifiers().get(0);
      withHandles.add(new Link("telegram", List.of(first, Identifier.of(h % 2 == 0 ? telegram : instagram, "@u" + h))));
    }
    apply(ids, withHandles);
    if (!links.isEmpty()) {
      ids.forget(links.get(links.size() - 1).identifiers().get(0));
    }
    for (ProfileId p : new HashSet<>(assignment(ids, identifiersOf(withHandles)).values())) {
      int[] stored = omni.store().identities().write(tx -> tx.typeCounts(p));
      int[] expected = new int[Math.max(stored.length, IdentifierType.count())];
      ids.profile(p).identifiers().forEach(i -> expected[i.type().ordinal()]++);
      assertThat(java.util.Arrays.copyOf(stored, expected.length)).as("counts of %s", p).isEqualTo(expected);
    }
  }

  @Property(tries = 300)
  void forget_then_equals_a_rebuild_from_the_remaining_evidence(
      @ForAll("smallGraphs") List<Link> links, @ForAll @IntRange(min = 0, max = 1000) int pick) {
    Identities ids = omni(IdentityRules.relaxed()).identities();
    apply(ids, links);
    List<Identifier> all = new ArrayList<>(identifiersOf(links));
    Identifier forgotten = all.get(pick % all.size());

    ids.forget(forgotten);
    Map<Identifier, ProfileId> afterForget = assignment(ids, new HashSet<>(all));
    ids.rebuild();
    Map<Identifier, ProfileId> afterRebuild = assignment(ids, new HashSet<>(all));

    assertThat(afterForget).doesNotContainKey(forgotten);
    assertThat(afterRebuild).isEqualTo(afterForget);
    // and the same partition as never having seen the evidence that held it
    List<Link> remaining = links.stream().filter(l -> !l.identifiers().contains(forgotten)).toList();
    Set<Identifier> stillSeen = identifiersOf(remaining);
    assertThat(partition(ids, stillSeen)).isEqualTo(components(remaining));
  }

  @Property(tries = 200)
  void with_default_guards_a_rebuild_under_unchanged_rules_changes_nothing(@ForAll("largerGraphs") List<Link> links) {
    Identities ids = omni(IdentityRules.defaults().sharedAfter(0)).identities();
    apply(ids, links);
    Set<Identifier> all = identifiersOf(links);
    Map<Identifier, ProfileId> before = assignment(ids, all);
    ids.rebuild();
    assertThat(assignment(ids, all)).isEqualTo(before);
  }

  @Property(tries = 200)
  void the_same_evidence_in_the_same_order_gives_the_same_profile_ids(@ForAll("largerGraphs") List<Link> links,
      @ForAll @IntRange(min = 0, max = 1000) int pick) {
    Identities a = omni(IdentityRules.defaults()).identities();
    Identities b = omni(IdentityRules.defaults()).identities();
    apply(a, links);
    apply(b, links);
    Set<Identifier> all = identifiersOf(links);
    assertThat(assignment(b, all)).isEqualTo(assignment(a, all));

    Identifier forgotten = new ArrayList<>(all).get(pick % all.size());
    a.forget(forgotten);
    b.forget(forgotten);
    assertThat(assignment(b, all)).isEqualTo(assignment(a, all));
  }
  @Property(tries = 200)
  void a_batch_ends_exactly_where_the_same_links_one_by_one_end(@ForAll("largerGraphs") List<Link> links,
      @ForAll @IntRange(min = 1, max = 60) int batchSize) {
    IdentityRules rules = IdentityRules.defaults().sharedAfter(2); // refusals, shared marks and splits too
    Identities one = omni(rules).identities();
    Identities batched = omni(rules).identities();
    List<MergeEvent> heardOne = new ArrayList<>();
    List<MergeEvent> heardBatched = new ArrayList<>();
    one.onMerge(heardOne::add);
    batched.onMerge(heardBatched::add);
    java.time.Instant at = java.time.Instant.parse("2026-11-23T10:00:00Z");
    List<io.omni.identity.Link> events = new ArrayList<>();
    for (int k = 0; k < links.size(); k++) {
      // every seventh link redelivers the previous event (its identifiers in reverse order): a no-op
      // answering the current profile
      boolean again = k % 7 == 6;
      List<Identifier> identifiers = new ArrayList<>(links.get(again ? k - 1 : k).identifiers());
      if (again) {
        java.util.Collections.reverse(identifiers);
      }
      String eventId = again ? "evt-" + (k - 1) : "evt-" + k;
      events.add(new io.omni.identity.Link(eventId, links.get(k).channel(), at.plusSeconds(k), identifiers));
    }

    List<ProfileId> answersOne = new ArrayList<>();
    for (io.omni.identity.Link e : events) {
      answersOne.add(one.link(e.eventId(), e.channel(), e.at(), e.identifiers()));
    }
    List<ProfileId> answersBatched = new ArrayList<>();
    for (int from = 0; from < events.size(); from += batchSize) {
      answersBatched.addAll(batched.linkAll(events.subList(from, Math.min(events.size(), from + batchSize))));
    }

    Set<Identifier> all = identifiersOf(links);
    assertThat(answersBatched).isEqualTo(answersOne);
    assertThat(assignment(batched, all)).isEqualTo(assignment(one, all));
    assertThat(heardBatched).isEqualTo(heardOne);
    assertThat(batched.stats()).isEqualTo(one.stats());
    for (ProfileId p : new HashSet<>(assignment(one, all).values())) {
      assertThat(batched.profile(p)).isEqualTo(one.profile(p));
    }
  }
}
