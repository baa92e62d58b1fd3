package io.omni.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.Conflict;
import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;
import io.omni.spi.Evidence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner and the replay under operator separations and joins, without a store. */
final class CorrectionsPlanTest {
  private static final IdentityRules RULES = IdentityRules.defaults();
  private static final Instant AT = Instant.parse("2026-12-02T06:00:00Z");

  /** Three emails, each in its own cluster (keys 0, 1, 2), one email each. */
  private static long planThreeClusters(long[] apart, Conflict.Kind[] refused) {
    IdentifierType[] types = {IdentifierType.EMAIL, IdentifierType.EMAIL, IdentifierType.EMAIL};
    int[] email = new int[IdentifierType.EMAIL.ordinal() + 1];
    email[IdentifierType.EMAIL.ordinal()] = 1;
    return LinkPlanner.plan(RULES, types, new boolean[3], new int[] {0, 1, 2}, new boolean[] {true, true, true},
        new boolean[3], new int[][] {email, email, email}, refused, apart);
  }

  @Test
  void a_cluster_kept_apart_from_one_in_the_group_is_refused_as_separated_and_the_rest_joins() {
    Conflict.Kind[] refused = new Conflict.Kind[3];
    long[] apart = {0b100, 0, 0b001}; // clusters 0 and 2 kept apart

    long accepted = planThreeClusters(apart, refused);

    assertThat(accepted).isEqualTo(0b011);
    assertThat(refused).containsExactly(null, null, Conflict.Kind.SEPARATED);
  }

  @Test
  void without_a_separation_every_cluster_joins() {
    Conflict.Kind[] refused = new Conflict.Kind[3];
    assertThat(planThreeClusters(null, refused)).isEqualTo(0b111);
    assertThat(planThreeClusters(new long[3], refused)).isEqualTo(0b111);
    assertThat(refused).containsOnlyNulls();
  }

  @Test
  void a_separation_from_a_cluster_outside_the_group_refuses_nothing() {
    Conflict.Kind[] refused = new Conflict.Kind[3];
    long[] apart = {0, 0b1000, 0}; // cluster 1 apart from a cluster the link does not join
    assertThat(planThreeClusters(apart, refused)).isEqualTo(0b111);
  }

  private static Evidence evidence(long sequence, String channel, Identifier... ids) {
    return new Evidence(sequence, null, channel, AT.plusSeconds(sequence), List.of(ids), (1L << ids.length) - 1);
  }

  private static io.omni.spi.StoredIdentifier member(Identifier id, long order) {
    return new io.omni.spi.StoredIdentifier(id, io.omni.identity.ProfileId.ofNumber(1), order, 0, false);
  }

  @Test
  void a_replay_keeps_separated_members_apart_and_joins_a_join_whatever_the_rules() {
    Identifier a = Identifier.account("a");
    Identifier b = Identifier.account("b");
    Identifier c = Identifier.email("c@shop.io");
    Identifier d = Identifier.email("d@shop.io");
    Correction apart = new Correction(1, Correction.Kind.SEPARATE, c, d, "agent", "", AT, null, null);
    Correction withdrawn = new Correction(3, Correction.Kind.SEPARATE, a, c, "agent", "", AT, "agent", AT);
    Correction join = new Correction(2, Correction.Kind.JOIN, a, b, "agent", "", AT, null, null);
    Replay replay = new Replay(RULES, List.of(member(a, 1), member(b, 2), member(c, 3), member(d, 4)),
        List.of(apart, join, withdrawn));

    assertThat(replay.step(evidence(1, "web", a, c))).isEqualTo(0b11);
    // d would join c's cluster: refused, a and c stay
    assertThat(replay.step(evidence(2, "web", c, d))).isEqualTo(0b01);
    // b would bring d... no: b is joined to a later, so b and d are kept apart already
    assertThat(replay.step(evidence(3, "web", b, d))).isEqualTo(0b01);
    // the join: two accounts, over the limit of one, joined all the same
    assertThat(replay.step(evidence(4, Corrections.channelOf(2), a, b))).isEqualTo(0b11);

    List<List<io.omni.spi.StoredIdentifier>> parts = replay.parts();
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).extracting(io.omni.spi.StoredIdentifier::identifier).containsExactly(a, b, c);
    assertThat(parts.get(1)).extracting(io.omni.spi.StoredIdentifier::identifier).containsExactly(d);
    assertThat(replay.firstSeenMillis(a)).isEqualTo(AT.plusSeconds(1).toEpochMilli());
    assertThat(replay.firstSeenMillis(d)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void the_channel_of_a_join_names_its_correction_and_no_caller_may_link_on_it() {
    assertThat(Corrections.channelOf(42)).isEqualTo("omni:correction:42");
    assertThat(Corrections.joinOf(evidence(1, "omni:correction:42", Identifier.account("a")))).isEqualTo(42);
    assertThat(Corrections.joinOf(evidence(1, "web", Identifier.account("a")))).isZero();
    assertThat(Corrections.joinOf(evidence(1, "omni:correction:x", Identifier.account("a")))).isZero();
    assertThat(Corrections.joinOf(evidence(1, "omni:correction", Identifier.account("a")))).isZero();
    assertThat(Corrections.reserved("omni:anything")).isTrue();
    assertThat(Corrections.reserved("web")).isFalse();
    assertThat(Corrections.reserved("my-omni:x")).isFalse();
  }

  private static Correction correction(long id, Correction.Kind kind, Identifier a, Identifier b, boolean active) {
    Correction c = new Correction(id, kind, a, b, "agent", "", AT, null, null);
    return active ? c : c.withdrawn("boss", AT);
  }

  @Test
  void the_active_pairing_of_a_kind_is_found_in_either_order_and_nothing_else_is() {
    Identifier a = Identifier.account("a");
    Identifier b = Identifier.account("b");
    Identifier c = Identifier.account("c");
    Correction withdrawn = correction(1, Correction.Kind.SEPARATE, a, b, false);
    Correction join = correction(2, Correction.Kind.JOIN, a, b, true);
    Correction other = correction(3, Correction.Kind.SEPARATE, a, c, true);
    Correction apart = correction(4, Correction.Kind.SEPARATE, b, a, true);
    List<Correction> all = List.of(withdrawn, join, other, apart);
    assertThat(Corrections.activePairing(all, Correction.Kind.SEPARATE, a, b)).isSameAs(apart);
    assertThat(Corrections.activePairing(all, Correction.Kind.JOIN, b, a)).isSameAs(join);
    assertThat(Corrections.activePairing(List.of(withdrawn, other), Correction.Kind.SEPARATE, a, b)).isNull();
    assertThat(Corrections.byId(all, 3)).isSameAs(other);
    assertThat(Corrections.byId(all, 5)).isNull();
    assertThat(Corrections.naming(all, c)).containsExactly(other);
  }

  @Test
  void a_separation_of_two_identifiers_held_together_by_a_chain_of_joins_in_any_order_is_refused() {
    Identifier a = Identifier.account("a");
    Identifier b = Identifier.account("b");
    Identifier x = Identifier.account("x");
    Identifier y = Identifier.account("y");
    Correction xb = correction(1, Correction.Kind.JOIN, x, b, true);
    Correction ax = correction(2, Correction.Kind.JOIN, a, x, true);
    Correction ay = correction(3, Correction.Kind.JOIN, a, y, true);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corrections.checkSeparable(List.of(xb, ax, ay), a, b))
        .isInstanceOf(io.omni.CorrectionConflictException.class)
        .satisfies(e -> assertThat(((io.omni.CorrectionConflictException) e).blocking()).isSameAs(ax));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corrections.checkSeparable(List.of(xb, ax), b, a))
        .satisfies(e -> assertThat(((io.omni.CorrectionConflictException) e).blocking()).isSameAs(xb));
    // withdrawn joins, separations and joins elsewhere hold nothing together
    Corrections.checkSeparable(List.of(correction(1, Correction.Kind.JOIN, x, b, false), ax), a, b);
    Corrections.checkSeparable(List.of(correction(1, Correction.Kind.SEPARATE, x, b, true), ax), a, b);
    Corrections.checkSeparable(List.of(correction(1, Correction.Kind.JOIN, b, y, true), ax), a, b);
    Corrections.checkSeparable(List.of(), a, b);
  }
}
