package io.omni.identity;

import static io.omni.identity.IdentifierType.ACCOUNT;
import static io.omni.identity.IdentifierType.COOKIE;
import static io.omni.identity.IdentifierType.DEVICE;
import static io.omni.identity.IdentifierType.EMAIL;
import static io.omni.identity.IdentifierType.LOYALTY_CARD;
import static io.omni.identity.IdentifierType.PHONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules as values: their defaults, the bounds of each setting, and what each setting changes. */
final class IdentityRulesTest {
  private static final IdentifierType TELEGRAM = IdentifierType.of("telegram");

  @Test
  void default_limits_are_the_designs_and_relaxed_rules_have_none() {
    IdentityRules rules = IdentityRules.defaults();
    assertThat(Stream.of(ACCOUNT, EMAIL, PHONE, LOYALTY_CARD, DEVICE, COOKIE, TELEGRAM).map(rules::limit))
        .containsExactly(1, 5, 5, 5, 10, 50, IdentityRules.DEFAULT_LIMIT);
    IdentityRules relaxed = IdentityRules.relaxed();
    assertThat(Stream.of(ACCOUNT, EMAIL, COOKIE, TELEGRAM).map(relaxed::limit)).containsOnly(Integer.MAX_VALUE);
  }

  @Test
  void a_limit_may_be_as_low_as_one_and_no_lower() {
    assertThat(IdentityRules.defaults().limit(EMAIL, 1).limit(EMAIL)).isEqualTo(1);
    assertThat(IdentityRules.relaxed().limit(EMAIL, 2).limit(EMAIL)).isEqualTo(2);
    assertThatThrownBy(() -> IdentityRules.defaults().limit(EMAIL, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit of email must be at least 1, was 0");
  }

  @Test
  void a_type_first_seen_after_the_rules_were_made_gets_the_default_limit_rank_and_strength() {
    IdentityRules rules = IdentityRules.defaults();
    IdentifierType later = IdentifierType.of("late" + System.nanoTime()); // new to this JVM, made after the rules
    assertThat(rules.limit(later)).isEqualTo(IdentityRules.DEFAULT_LIMIT);
    assertThat(rules.rank(later)).isEqualTo(rules.rank(TELEGRAM));
    assertThat(rules.isWeak(later)).isFalse();
    assertThat(rules.weak(later).isWeak(later)).isTrue();
    assertThat(rules.limit(later, 2).limit(later)).isEqualTo(2);
  }

  @Test
  void custom_types_rank_after_loyalty_card_and_before_device() {
    IdentityRules rules = IdentityRules.defaults();
    assertThat(byRank(rules, COOKIE, TELEGRAM, DEVICE, PHONE, LOYALTY_CARD, EMAIL, ACCOUNT))
        .containsExactly(ACCOUNT, EMAIL, PHONE, LOYALTY_CARD, TELEGRAM, DEVICE, COOKIE);
    assertThat(rules.priority(TELEGRAM).rank(TELEGRAM)).isLessThan(rules.priority(TELEGRAM).rank(ACCOUNT));
  }

  @Test
  void named_types_rank_first_and_the_others_keep_their_default_order_after_them() {
    IdentityRules rules = IdentityRules.defaults().priority(PHONE, LOYALTY_CARD);
    assertThat(byRank(rules, COOKIE, TELEGRAM, DEVICE, PHONE, LOYALTY_CARD, EMAIL, ACCOUNT))
        .containsExactly(PHONE, LOYALTY_CARD, ACCOUNT, EMAIL, TELEGRAM, DEVICE, COOKIE);
    assertThatThrownBy(() -> IdentityRules.defaults().priority(PHONE, EMAIL, PHONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("priority names phone twice");
  }

  @Test
  void device_and_cookie_are_weak_by_default_and_any_type_can_be_made_weak_or_strong() {
    IdentityRules rules = IdentityRules.defaults();
    assertThat(Stream.of(ACCOUNT, EMAIL, PHONE, LOYALTY_CARD, DEVICE, COOKIE, TELEGRAM).map(rules::isWeak))
        .containsExactly(false, false, false, false, true, true, false);
    assertThat(rules.strong(DEVICE).isWeak(DEVICE)).isFalse();
    assertThat(rules.strong(DEVICE).isWeak(COOKIE)).isTrue();
    assertThat(rules.weak(TELEGRAM, PHONE).isWeak(TELEGRAM)).isTrue();
    assertThat(rules.weak(TELEGRAM, PHONE).isWeak(PHONE)).isTrue();
    assertThat(IdentityRules.relaxed().isWeak(DEVICE)).isFalse();
  }

  @Test
  void types_are_counted_per_profile_only_while_a_limit_or_a_weak_type_needs_them() {
    assertThat(IdentityRules.defaults().countsTypes()).isTrue();
    assertThat(IdentityRules.relaxed().countsTypes()).isFalse();
    assertThat(IdentityRules.relaxed().limit(EMAIL, 3).countsTypes()).isTrue();
    assertThat(IdentityRules.relaxed().weak(COOKIE).countsTypes()).isTrue();
    assertThat(IdentityRules.relaxed().weak(TELEGRAM).countsTypes()).isTrue(); // a weak custom type
    assertThat(IdentityRules.relaxed().weak(TELEGRAM).strong(TELEGRAM).countsTypes()).isFalse();
  }

  @Test
  void a_pattern_blocks_whole_values_of_every_type_ignoring_case() {
    IdentityRules rules = IdentityRules.defaults().block(".*@mailinator\\.com");
    assertThat(rules.isBlocked(Identifier.email("x@mailinator.com"))).isTrue();
    assertThat(rules.isBlocked(Identifier.of(TELEGRAM, "X@Mailinator.COM"))).isTrue();
    assertThat(rules.isBlocked(Identifier.email("x@mailinator.com.ru"))).isFalse(); // the whole value must match
    assertThat(rules.isBlocked(Identifier.email("ann@example.org"))).isFalse();
    assertThatThrownBy(() -> rules.block("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("blocked pattern '(unclosed' does not compile: ");
  }

  @Test
  void a_pattern_of_one_type_blocks_values_of_that_type_only() {
    IdentityRules rules = IdentityRules.defaults().block(EMAIL, "ann@.*").block(EMAIL, "bob@.*");
    assertThat(rules.isBlocked(Identifier.email("ann@example.org"))).isTrue();
    assertThat(rules.isBlocked(Identifier.email("bob@example.org"))).isTrue();
    assertThat(rules.isBlocked(Identifier.account("ann@example.org"))).isFalse();
  }

  @Test
  void the_built_in_junk_list_can_be_turned_off_and_user_patterns_still_hold() {
    Identifier zeroIdfa = Identifier.device("00000000-0000-0000-0000-000000000000");
    assertThat(IdentityRules.defaults().isBlocked(zeroIdfa)).isTrue();
    IdentityRules noBuiltIns = IdentityRules.defaults().builtInBlocklist(false).block(DEVICE, "kiosk-.*");
    assertThat(noBuiltIns.isBlocked(zeroIdfa)).isFalse();
    assertThat(noBuiltIns.isBlocked(Identifier.device("kiosk-7"))).isTrue();
  }

  @Test
  void shared_detection_needs_a_count_of_zero_or_more() {
    assertThat(IdentityRules.defaults().sharedAfter()).isEqualTo(IdentityRules.DEFAULT_SHARED_AFTER);
    assertThat(IdentityRules.defaults().sharedAfter(0).sharedAfter()).isZero();
    assertThatThrownBy(() -> IdentityRules.defaults().sharedAfter(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sharedAfter must not be negative, was -1");
  }

  @Test
  void to_string_shows_every_setting() {
    assertThat(IdentityRules.defaults()).hasToString("IdentityRules{"
        + "limits={account=1, cookie=50, device=10, email=5, loyalty_card=5, phone=5} (others 5), "
        + "priority=[account, email, phone, loyalty_card, device, cookie], weak=[cookie, device], "
        + "fixedLinesWeak=true, builtInBlocklist=true, blocked=0, sharedAfter=3}");
    assertThat(IdentityRules.relaxed()).hasToString("IdentityRules{limits=off, "
        + "priority=[account, email, phone, loyalty_card, device, cookie], weak=[], "
        + "fixedLinesWeak=false, builtInBlocklist=false, blocked=0, sharedAfter=0}");
    IdentityRules custom = IdentityRules.defaults().limit(EMAIL, 3).priority(PHONE).weak(TELEGRAM).strong(COOKIE)
        .block("x").block(EMAIL, "a.*").block(EMAIL, "b.*").builtInBlocklist(false).sharedAfter(0).fixedLinesWeak(false);
    assertThat(custom).hasToString("IdentityRules{"
        + "limits={account=1, cookie=50, device=10, email=3, loyalty_card=5, phone=5} (others 5), "
        + "priority=[phone, account, email, loyalty_card, device, cookie], weak=[device, telegram], "
        + "fixedLinesWeak=false, builtInBlocklist=false, blocked=3, sharedAfter=0}");
  }

  @Test
  void a_fixed_line_phone_is_weak_by_default_and_a_mobile_stays_strong() {
    IdentityRules rules = IdentityRules.defaults();
    Identifier moscowLandline = Identifier.phone("+7 495 123-45-67");
    Identifier londonLandline = Identifier.phone("+44 20 7946 0000");
    Identifier mobile = Identifier.phone("+7 916 123-45-67");
    Identifier american = Identifier.phone("+1 201 555 0123"); // libphonenumber: FIXED_LINE_OR_MOBILE
    Identifier tollFree = Identifier.phone("+7 800 123-45-67");
    assertThat(rules.fixedLinesWeak()).isTrue();
    assertThat(rules.isWeak(moscowLandline)).isTrue();
    assertThat(rules.isWeak(londonLandline)).isTrue();
    assertThat(rules.isWeak(mobile)).isFalse();
    assertThat(rules.isWeak(american)).isFalse();
    assertThat(rules.isWeak(tollFree)).isFalse();
    // the type decides for every other identifier
    assertThat(rules.isWeak(Identifier.device("tablet-1"))).isTrue();
    assertThat(rules.isWeak(Identifier.email("ann@example.com"))).isFalse();
    assertThat(rules.strong(IdentifierType.DEVICE).isWeak(Identifier.device("tablet-1"))).isFalse();
    // a landline number that is weak by type stays weak with fixed lines strong
    assertThat(rules.weak(PHONE).fixedLinesWeak(false).isWeak(mobile)).isTrue();

    IdentityRules strongLines = rules.fixedLinesWeak(false);
    assertThat(strongLines.fixedLinesWeak()).isFalse();
    assertThat(strongLines.isWeak(moscowLandline)).isFalse();
    assertThat(IdentityRules.relaxed().isWeak(moscowLandline)).isFalse();
    assertThat(IdentityRules.relaxed().fixedLinesWeak(true).isWeak(moscowLandline)).isTrue();
    // weak landlines need each cluster's counts, even with every other guard off
    assertThat(IdentityRules.relaxed().fixedLinesWeak(true).countsTypes()).isTrue();
  }

  private static List<IdentifierType> byRank(IdentityRules rules, IdentifierType... types) {
    return Stream.of(types).sorted(Comparator.comparingInt(rules::rank)).toList();
  }
}
