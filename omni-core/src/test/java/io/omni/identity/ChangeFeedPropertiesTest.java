package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.ProfileChange.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Laws of the change feed on random histories of links and forgets (in memory; the stores are
 * compared in omni-jdbc's {@code ChangeFeedContract}): every merge a listener hears is in the feed
 * once, in the same order; positions are 1…n; a split's part and a merge's survivor exist; no
 * identifier value is in any entry.
 */
final class ChangeFeedPropertiesTest {

  /** A step: link these identifiers, or (when {@code forget}) forget the first. */
  record Step(boolean forget, List<Identifier> identifiers) {}

  private static Arbitrary<Identifier> identifier() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 7);
    return Arbitraries.oneOf(
        n.map(i -> Identifier.email("user" + i + "@shop.io")),
        n.map(i -> Identifier.phone("+7916" + String.format("%07d", 1_000_000 + i))),
        n.map(i -> Identifier.account("acc-" + i)),
        n.map(i -> Identifier.cookie("ck-" + i)));
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9).map(k -> k == 0),
        identifier().list().ofMinSize(1).ofMaxSize(4)).as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 200)
  void every_merge_is_in_the_feed_once_in_order_and_no_value_is(@ForAll("histories") List<Step> history) {
    Identities ids = Omni.builder().identityRules(IdentityRules.defaults().sharedAfter(2)).build().identities();
    List<MergeEvent> heard = new ArrayList<>();
    ids.onMerge(heard::add);
    Set<Identifier> seen = new LinkedHashSet<>();
    for (Step step : history) {
      seen.addAll(step.identifiers());
      if (step.forget()) {
        ids.forget(step.identifiers().get(0));
      } else {
        ids.link("web", step.identifiers().toArray(Identifier[]::new));
      }
    }
    List<ProfileChange> feed = ids.changes(0, 10_000);

    assertThat(feed).extracting(ProfileChange::position)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, feed.size()).boxed().toList());
    assertThat(feed.stream().filter(c -> c.kind() == Kind.MERGED)
        .map(c -> c.profile() + ">" + c.other() + "@" + c.cause()).toList())
        .containsExactlyElementsOf(heard.stream().map(m -> m.survivor() + ">" + m.merged() + "@" + m.cause()).toList());
    long forgets = history.stream().filter(Step::forget).map(s -> s.identifiers().get(0)).count();
    assertThat(feed.stream().filter(c -> c.kind() == Kind.FORGOTTEN).count()).isLessThanOrEqualTo(forgets);
    for (ProfileChange change : feed) {
      if (change.other() != null) {
        assertThat(ids.resolve(change.other())).as("%s names an issued profile", change).isPresent();
      }
      for (Identifier id : seen) {
        assertThat(change.toString()).doesNotContain(id.value());
      }
    }
    // paging from any cursor reads the same feed
    List<ProfileChange> paged = new ArrayList<>();
    for (List<ProfileChange> page = ids.changes(0, 3); !page.isEmpty();
        page = ids.changes(page.get(page.size() - 1).position(), 3)) {
      paged.addAll(page);
    }
    assertThat(paged).isEqualTo(feed);
  }
}
