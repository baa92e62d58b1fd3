package io.omni.internal.identity;

import static io.omni.identity.IdentifierType.ACCOUNT;
import static io.omni.identity.IdentifierType.COOKIE;
import static io.omni.identity.IdentifierType.DEVICE;
import static io.omni.identity.IdentifierType.EMAIL;
import static io.omni.identity.IdentifierType.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.Conflict;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.IdentityRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One link planned on its own: which of its identifiers join the group, and which guard refuses
 * the others. Each identifier is new or belongs to a profile (a cluster) that already holds so many
 * identifiers of each type.
 */
final class LinkPlannerTest {
  private static final IdentityRules RULES = IdentityRules.defaults();

  /**
   * A profile the link touches: its key in the plan, what it already holds per type, and whether
   * its phones are all weak landlines (its strong-by-type counts then hide that it is anonymous).
   */
  private record Cluster(int key, int[] counts, boolean onlyLandlines) {
    Cluster(int key, int[] counts) {
      this(key, counts, false);
    }
  }

  /** A cluster holding nothing strong but a household landline. */
  private static Cluster landlineOnly(int key, Object... typesAndCounts) {
    return new Cluster(key, cluster(key, typesAndCounts).counts(), true);
  }

  /**
   * One identifier of the link: its type, its cluster ({@code null} when new), whether it is shared,
   * and whether it is a fixed-line phone.
   */
  private record Candidate(IdentifierType type, Cluster cluster, boolean shared, boolean fixedLine) {
    Candidate(IdentifierType type, Cluster cluster, boolean shared) {
      this(type, cluster, shared, false);
    }

    /** An identifier of its kind: a Moscow landline, a mobile, or a value of its type. */
    Identifier identifier(int i) {
      if (type == PHONE) {
        return Identifier.phone(fixedLine ? "+7495123456" + i : "+7916123456" + i);
      }
      return Identifier.of(type, type == EMAIL ? "v-" + i + "@mail.io" : "v-" + i);
    }
  }

  /** A household's landline (Moscow, fixed line), new or in a cluster. */
  private static Candidate landline(Cluster cluster) {
    return new Candidate(PHONE, cluster, false, true);
  }

  private static Cluster cluster(int key, Object... typesAndCounts) {
    int[] counts = new int[IdentifierType.count()];
    for (int k = 0; k < typesAndCounts.length; k += 2) {
      counts[((IdentifierType) typesAndCounts[k]).ordinal()] = (Integer) typesAndCounts[k + 1];
    }
    return new Cluster(key, counts);
  }

  private static Candidate fresh(IdentifierType type) {
    return new Candidate(type, null, false);
  }

  private static Candidate in(Cluster cluster, IdentifierType type) {
    return new Candidate(type, cluster, false);
  }

  private static Candidate shared(IdentifierType type) {
    return new Candidate(type, null, true);
  }

  /** For each candidate of the link, in its order: "joins", the guard that refused it, or "skipped". */
  private static List<String> plan(IdentityRules rules, Candidate... link) {
    int n = link.length;
    IdentifierType[] types = new IdentifierType[n];
    boolean[] weak = new boolean[n];
    int[] cluster = new int[n];
    boolean[] shared = new boolean[n];
    int clusters = 0;
    for (Candidate c : link) {
      clusters = c.cluster() == null ? clusters : Math.max(clusters, c.cluster().key() + 1);
    }
    int[][] counts = new int[clusters][];
    boolean[] known = new boolean[clusters];
    for (int i = 0; i < n; i++) {
      types[i] = link[i].type();
      weak[i] = rules.isWeak(link[i].identifier(i));
      shared[i] = link[i].shared();
      cluster[i] = link[i].cluster() == null ? -1 : link[i].cluster().key();
      if (link[i].cluster() != null) {
        counts[cluster[i]] = link[i].cluster().counts();
        known[cluster[i]] = LinkPlanner.holdsStrong(rules, counts[cluster[i]]) && !link[i].cluster().onlyLandlines();
      }
    }
    Conflict.Kind[] refused = new Conflict.Kind[n];
    long accepted = LinkPlanner.plan(rules, types, weak, cluster, known, shared, counts, refused);
    List<String> outcome = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      outcome.add((accepted & (1L << i)) != 0 ? "joins" : refused[i] == null ? "skipped" : refused[i].name());
    }
    return outcome;
  }

  /** Plans {@code n} new emails in the scratch's own arrays, longer than the link. */
  private static long planNewEmails(LinkScratch scratch, int n) {
    for (int i = 0; i < n; i++) {
      scratch.types[i] = EMAIL;
      scratch.weak[i] = false;
      scratch.shared[i] = false;
      scratch.cluster[i] = -1;
    }
    return LinkPlanner.plan(RULES, n, scratch.types, scratch.weak, scratch.cluster, scratch.known, scratch.shared, 0,
        scratch.counts, scratch.refused, null, scratch);
  }

  @Test
  void arrays_reused_from_link_to_link_plan_as_fresh_ones_do() {
    LinkScratch scratch = new LinkScratch(64);
    // seven new emails: five join, the last two are over the limit, and the group counts five
    assertThat(planNewEmails(scratch, 7)).isEqualTo(0b11111);
    assertThat(scratch.refused[5]).isEqualTo(Conflict.Kind.LIMIT);
    // the next link starts from an empty group, and only its own identifiers are planned: what
    // the first left past them stays
    assertThat(planNewEmails(scratch, 3)).isEqualTo(0b111);
    assertThat(scratch.refused).startsWith(null, null, null, null, null, Conflict.Kind.LIMIT, Conflict.Kind.LIMIT);
  }

  @Test
  void new_identifiers_join_up_to_the_limit_of_their_type() {
    assertThat(plan(RULES, fresh(PHONE), fresh(EMAIL), fresh(EMAIL), fresh(EMAIL), fresh(EMAIL), fresh(EMAIL), fresh(EMAIL)))
        .containsExactly("joins", "joins", "joins", "joins", "joins", "joins", "LIMIT");
  }

  @Test
  void a_link_may_fill_a_profile_exactly_to_its_limit() {
    Cluster ann = cluster(0, ACCOUNT, 1, EMAIL, 4);
    Cluster annsOtherEmail = cluster(1, EMAIL, 1);
    assertThat(plan(RULES, in(ann, ACCOUNT), in(annsOtherEmail, EMAIL))).containsExactly("joins", "joins");
    assertThat(plan(RULES, in(ann, ACCOUNT), fresh(EMAIL))).containsExactly("joins", "joins");
    assertThat(plan(RULES, in(ann, ACCOUNT), fresh(EMAIL), in(annsOtherEmail, EMAIL)))
        .containsExactly("joins", "joins", "LIMIT");
  }

  @Test
  void a_profile_is_counted_whole_not_as_the_one_identifier_that_brings_it() {
    Cluster fiveEmails = cluster(0, PHONE, 1, EMAIL, 5);
    // the new email goes first (email outranks phone); the phone would bring five more emails
    assertThat(plan(RULES, in(fiveEmails, PHONE), fresh(EMAIL))).containsExactly("LIMIT", "joins");
  }

  @Test
  void a_profile_already_past_a_limit_still_takes_identifiers_of_other_types() {
    Cluster sevenEmails = cluster(0, EMAIL, 7); // linked before the limit was lowered to 5
    Cluster aPhone = cluster(1, PHONE, 1);
    assertThat(plan(RULES, in(sevenEmails, EMAIL), in(aPhone, PHONE), fresh(EMAIL)))
        .containsExactly("joins", "joins", "LIMIT");
  }

  @Test
  void two_identifiers_of_one_profile_both_join_and_count_it_once() {
    Cluster ann = cluster(0, ACCOUNT, 1, EMAIL, 2);
    Cluster threeEmails = cluster(1, EMAIL, 3);
    assertThat(plan(RULES, in(ann, ACCOUNT), in(threeEmails, EMAIL), in(threeEmails, EMAIL), fresh(PHONE)))
        .containsExactly("joins", "joins", "joins", "joins");
  }

  @Test
  void a_weak_identifier_never_bridges_two_known_customers_whatever_the_link_order() {
    Cluster ann = cluster(0, EMAIL, 1);
    Cluster boris = cluster(1, ACCOUNT, 1, DEVICE, 1); // the family tablet is already boris's
    assertThat(plan(RULES, in(ann, EMAIL), in(boris, DEVICE))).containsExactly("joins", "WEAK_BRIDGE");
    assertThat(plan(RULES, in(boris, DEVICE), in(ann, EMAIL))).containsExactly("WEAK_BRIDGE", "joins");
  }

  @Test
  void a_weak_identifier_does_not_bring_a_new_strong_identifier_into_a_known_profile() {
    Cluster ann = cluster(0, EMAIL, 1, DEVICE, 1);
    assertThat(plan(RULES, in(ann, DEVICE), fresh(PHONE))).containsExactly("WEAK_BRIDGE", "joins");
  }

  @Test
  void an_anonymous_visitor_joins_the_known_customer_and_a_new_weak_identifier_attaches_to_it() {
    Cluster ann = cluster(0, EMAIL, 1);
    Cluster visitor = cluster(1, COOKIE, 3); // nothing but cookies: anonymous
    assertThat(plan(RULES, in(ann, EMAIL), in(visitor, COOKIE), fresh(DEVICE))).containsExactly("joins", "joins", "joins");
    assertThat(plan(RULES, in(visitor, COOKIE), in(ann, EMAIL))).containsExactly("joins", "joins");
  }

  @Test
  void the_higher_priority_identifier_goes_first_and_the_lower_one_is_held_back() {
    Cluster ann = cluster(0, ACCOUNT, 1, PHONE, 1);
    Cluster bob = cluster(1, ACCOUNT, 1);
    // one account per profile: the account outranks the phone, so bob's account joins and ann's phone is held back
    assertThat(plan(RULES, in(ann, PHONE), in(bob, ACCOUNT))).containsExactly("LIMIT", "joins");
    assertThat(plan(RULES.priority(PHONE), in(ann, PHONE), in(bob, ACCOUNT))).containsExactly("joins", "LIMIT");
  }

  @Test
  void identifiers_that_tie_on_priority_are_planned_in_the_links_order() {
    Cluster ann = cluster(0, ACCOUNT, 1, EMAIL, 1);
    Cluster bob = cluster(1, ACCOUNT, 1, EMAIL, 1);
    assertThat(plan(RULES, in(ann, EMAIL), in(bob, EMAIL))).containsExactly("joins", "LIMIT");
    assertThat(plan(RULES, in(bob, EMAIL), in(ann, EMAIL))).containsExactly("joins", "LIMIT");
  }

  @Test
  void a_shared_identifier_joins_nobody_and_is_no_new_conflict() {
    assertThat(plan(RULES, shared(DEVICE), fresh(EMAIL))).containsExactly("skipped", "joins");
  }

  @Test
  void a_household_landline_never_joins_a_second_member_nor_brings_a_new_email_into_the_first() {
    Cluster ann = cluster(0, EMAIL, 1, PHONE, 1);   // ann called first: the landline is hers
    Cluster boris = cluster(1, ACCOUNT, 1, EMAIL, 1);
    assertThat(plan(RULES, landline(ann), in(boris, EMAIL))).containsExactly("WEAK_BRIDGE", "joins");
    assertThat(plan(RULES, in(boris, EMAIL), landline(ann))).containsExactly("joins", "WEAK_BRIDGE");
    assertThat(plan(RULES, landline(ann), fresh(EMAIL))).containsExactly("WEAK_BRIDGE", "joins");
    // the same links through a mobile join: a person's own phone is strong
    assertThat(plan(RULES, in(ann, PHONE), in(boris, EMAIL))).containsExactly("joins", "joins");
    assertThat(plan(RULES, in(ann, PHONE), fresh(EMAIL))).containsExactly("joins", "joins");
  }

  @Test
  void a_new_landline_attaches_to_the_known_customer_it_is_first_seen_with() {
    Cluster ann = cluster(0, EMAIL, 1);
    assertThat(plan(RULES, landline(null), in(ann, EMAIL))).containsExactly("joins", "joins");
    assertThat(plan(RULES, landline(null), fresh(EMAIL))).containsExactly("joins", "joins");
  }

  @Test
  void with_fixed_lines_strong_a_landline_joins_like_any_phone() {
    IdentityRules strongLines = RULES.fixedLinesWeak(false);
    Cluster ann = cluster(0, EMAIL, 1, PHONE, 1);
    Cluster boris = cluster(1, ACCOUNT, 1, EMAIL, 1);
    assertThat(plan(strongLines, landline(ann), in(boris, EMAIL))).containsExactly("joins", "joins");
    assertThat(plan(strongLines, landline(ann), fresh(EMAIL))).containsExactly("joins", "joins");
  }

  @Test
  void a_landline_first_seen_alone_still_attaches_to_the_first_customer_who_calls_from_it() {
    Cluster landline = landlineOnly(0, PHONE, 1, COOKIE, 1);
    assertThat(plan(RULES, landline(landline), fresh(EMAIL))).containsExactly("joins", "joins");
    Cluster ann = cluster(1, EMAIL, 1);
    assertThat(plan(RULES, landline(landline), in(ann, EMAIL))).containsExactly("joins", "joins");
  }

  @Test
  void counts_cannot_tell_a_cluster_known_when_its_only_strong_type_is_a_phone_and_fixed_lines_are_weak() {
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, cluster(0, PHONE, 1).counts())).isTrue();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, cluster(0, PHONE, 2, COOKIE, 3, DEVICE, 1).counts())).isTrue();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, cluster(0, PHONE, 1, EMAIL, 1).counts())).isFalse();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, cluster(0, EMAIL, 1).counts())).isFalse();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, cluster(0, COOKIE, 1).counts())).isFalse();
    // counts shorter than the phone's ordinal hold no phone
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, new int[] {1})).isFalse();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES, new int[] {1, 1})).isFalse();
    // strong phones or weak phones by type: the counts tell it
    assertThat(LinkPlanner.strongOnlyByPhones(RULES.fixedLinesWeak(false), cluster(0, PHONE, 1).counts())).isFalse();
    assertThat(LinkPlanner.strongOnlyByPhones(RULES.weak(PHONE), cluster(0, PHONE, 1).counts())).isFalse();
    // with emails made weak, the phone is the only strong type of a cluster holding both
    assertThat(LinkPlanner.strongOnlyByPhones(RULES.weak(EMAIL), cluster(0, PHONE, 1, EMAIL, 1).counts())).isTrue();
  }
}
