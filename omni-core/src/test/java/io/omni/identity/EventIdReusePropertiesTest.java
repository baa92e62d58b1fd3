package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.omni.EventIdReusedException;
import io.omni.Omni;
import io.omni.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For generated histories of links (junk values, limits and weak bridges among them): a redelivery
 * of a link — its identifiers shuffled and repeated, another channel, another time, alone or in a
 * batch — is answered as before and changes nothing; a link with the same event id and a different
 * set of identifiers is always refused, alone or in a batch, and changes nothing.
 */
final class EventIdReusePropertiesTest {
  static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
  /** No shared marks: a shared identifier re-resolves profiles, and a split moves a redelivery's answer. */
  static final IdentityRules RULES = IdentityRules.defaults().limit(IdentifierType.EMAIL, 2).sharedAfter(0);

  @Provide
  Arbitrary<List<List<Identifier>>> histories() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 9);
    Arbitrary<Identifier> identifier = Arbitraries.oneOf(
        n.map(i -> Identifier.email("u" + i + "@shop.io")),
        n.map(i -> Identifier.phone("+7916" + (1_000_000 + i))),
        n.map(i -> Identifier.account("acc-" + i)),
        n.map(i -> Identifier.cookie("ck-" + i)),
        n.map(i -> Identifier.device("dev-" + i)),
        Arbitraries.of(Identifier.cookie("undefined"), Identifier.device("00000000-0000-0000-0000-000000000000"),
            Identifier.email("test@test.com"))); // junk: never stored
    return identifier.list().ofMinSize(1).ofMaxSize(5).filter(ids -> !ids.stream().allMatch(RULES::isBlocked))
        .list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 200)
  void a_redelivery_is_answered_as_before_and_a_reused_id_is_refused(
      @ForAll("histories") List<List<Identifier>> history, @ForAll Random random) {
    Identities ids = Omni.builder().clock(new TestClock()).discoverProviders(false).identityRules(RULES).build()
        .identities();
    List<ProfileId> first = new ArrayList<>();
    for (int k = 0; k < history.size(); k++) {
      first.add(ids.link("evt-" + k, "web", T0.plusSeconds(k), history.get(k)));
    }
    Identities.Stats stats = ids.stats();
    Map<Identifier, Optional<ProfileId>> graph = resolved(ids, history);

    List<Link> redelivered = new ArrayList<>();
    for (int k = 0; k < history.size(); k++) {
      List<Identifier> again = new ArrayList<>(history.get(k));
      again.add(again.get(random.nextInt(again.size()))); // a repeat changes nothing
      Collections.shuffle(again, random);
      ProfileId expected = ids.resolve(first.get(k)).orElseThrow();
      assertThat(ids.link("evt-" + k, "app", T0.plusSeconds(999), again)).as("redelivery of evt-%s", k)
          .isEqualTo(expected);
      redelivered.add(new Link("evt-" + k, "pos", null, again));
    }
    Collections.shuffle(redelivered, random);
    List<ProfileId> answers = ids.linkAll(redelivered);
    for (int k = 0; k < answers.size(); k++) {
      int event = Integer.parseInt(redelivered.get(k).eventId().substring(4));
      assertThat(answers.get(k)).isEqualTo(ids.resolve(first.get(event)).orElseThrow());
    }
    assertThat(ids.stats()).isEqualTo(stats);

    for (int k = 0; k < history.size(); k++) {
      List<Identifier> other = differentSet(history.get(k), random);
      String id = "evt-" + k;
      assertThat(catchThrowable(() -> ids.link(id, "web", T0, other))).as("%s as %s", id, other)
          .isInstanceOf(EventIdReusedException.class);
      List<Link> batch = new ArrayList<>(List.of(new Link("fresh-" + k, "web", T0, other),
          new Link(id, "web", T0, other)));
      Collections.shuffle(batch, random);
      assertThat(catchThrowable(() -> ids.linkAll(batch))).as("batch with %s as %s", id, other)
          .isInstanceOf(EventIdReusedException.class);
      List<Link> twice = List.of(new Link("fresh-" + k, "web", T0, history.get(k)),
          new Link("fresh-" + k, "web", T0, other));
      assertThat(catchThrowable(() -> ids.linkAll(twice))).as("fresh-%s twice", k)
          .isInstanceOf(EventIdReusedException.class);
    }
    assertThat(ids.stats()).isEqualTo(stats);
    assertThat(resolved(ids, history)).isEqualTo(graph);
  }

  /** The identifiers, with one that is not blocked added, removed or replaced: another set. */
  static List<Identifier> differentSet(List<Identifier> ids, Random random) {
    Set<Identifier> kept = new LinkedHashSet<>();
    for (Identifier id : ids) {
      if (!RULES.isBlocked(id)) {
        kept.add(id);
      }
    }
    List<Identifier> other = new ArrayList<>(kept);
    Identifier stranger = Identifier.email("stranger-" + random.nextInt(1000) + "@shop.io");
    switch (kept.size() > 1 ? random.nextInt(3) : random.nextInt(2)) {
      case 0 -> other.add(stranger);
      case 1 -> other.set(random.nextInt(other.size()), stranger);
      default -> other.remove(random.nextInt(other.size()));
    }
    Collections.shuffle(other, random);
    return other;
  }

  private static Map<Identifier, Optional<ProfileId>> resolved(Identities ids, List<List<Identifier>> history) {
    Map<Identifier, Optional<ProfileId>> graph = new HashMap<>();
    for (List<Identifier> link : history) {
      for (Identifier id : link) {
        graph.put(id, ids.resolve(id));
      }
    }
    return graph;
  }
}
