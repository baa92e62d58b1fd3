package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileChange.Kind;
import io.omni.identity.ProfileId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change log kept column-wise answers the entries it was given, positioned, and prunes by time. */
final class InMemoryChangeLogTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");

  @Test
  void answers_every_entry_as_it_came_with_its_position() {
    InMemoryChangeLog log = new InMemoryChangeLog();
    List<ProfileChange> given = new ArrayList<>();
    String[] causes = {"evidence-12", "evidence-0", "evidence-012", "evidence-", "evidence-1x", "order-7",
        "rebuild", "evidence-123456789012345678", "evidence-1234567890123456789", "evidence-9"};
    for (int k = 0; k < causes.length; k++) {
      given.add(ProfileChange.of(k % 2 == 0 ? Kind.MERGED : Kind.SPLIT, ProfileId.ofNumber(k + 1),
          ProfileId.ofNumber(100 + k), causes[k], T0.plusSeconds(k)));
    }
    given.add(ProfileChange.of(Kind.MERGED, new ProfileId("p-01"), ProfileId.ofNumber(3), "x", T0)); // kept whole
    given.add(ProfileChange.of(Kind.MERGED, ProfileId.ofNumber(3), new ProfileId("legacy"), "x", T0));
    given.forEach(log::append);

    List<ProfileChange> all = log.after(0, 100);
    assertThat(all).hasSize(given.size());
    for (int k = 0; k < given.size(); k++) {
      assertThat(all.get(k)).isEqualTo(given.get(k).withPosition(k + 1));
    }
    assertThat(log.after(3, 2)).extracting(ProfileChange::position).containsExactly(4L, 5L);
    assertThat(log.after(given.size(), 10)).isEmpty();
    assertThat(InMemoryChangeLog.generatedSequence("evidence-42")).isEqualTo(42);
    assertThat(InMemoryChangeLog.generatedSequence("evidence-4a")).isZero();
    assertThat(InMemoryChangeLog.generatedSequence("evidence-/")).isZero();
  }

  @Test
  void prunes_entries_before_a_time_and_keeps_positions() {
    InMemoryChangeLog log = new InMemoryChangeLog();
    for (int k = 0; k < 40; k++) {
      log.append(ProfileChange.of(Kind.MERGED, ProfileId.ofNumber(k + 1), ProfileId.ofNumber(k + 2), "evidence-" + (k + 1),
          T0.plusSeconds(k % 2 == 0 ? k : 100)));
    }
    log.append(ProfileChange.of(Kind.MERGED, new ProfileId("old"), ProfileId.ofNumber(1), "x", T0));
    assertThat(log.pruneBefore(T0.plusSeconds(20))).isEqualTo(10 + 1);
    List<ProfileChange> left = log.after(0, 100);
    assertThat(left).hasSize(30);
    assertThat(left).allMatch(c -> !c.at().isBefore(T0.plusSeconds(20)));
    assertThat(left.get(0).position()).isEqualTo(2);
    assertThat(left.get(0).cause()).isEqualTo("evidence-2");
    assertThat(log.after(21, 1)).extracting(ProfileChange::position).containsExactly(22L);
    log.append(ProfileChange.of(Kind.SPLIT, ProfileId.ofNumber(5), ProfileId.ofNumber(6), "forget", T0));
    assertThat(log.after(40, 5)).extracting(ProfileChange::position).containsExactly(42L);
  }
}
