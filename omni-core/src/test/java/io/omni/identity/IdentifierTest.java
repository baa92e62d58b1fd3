package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidIdentifierException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

final class IdentifierTest {

  @Test
  void email_is_trimmed_and_lower_cased() {
    assertThat(Identifier.email("  Ann.Lee@Example.COM \t").value()).isEqualTo("ann.lee@example.com");
  }

  @Test
  void email_with_an_internationalized_domain_is_stored_in_ascii() {
    assertThat(Identifier.email("anna@пример.рф").value()).isEqualTo("anna@xn--e1afmkfd.xn--p1ai");
    assertThat(Identifier.email("Anna@Bücher.de")).isEqualTo(Identifier.email("anna@xn--bcher-kva.de"));
  }

  @Test
  void gmail_dots_and_tags_are_kept_unless_asked() {
    assertThat(Identifier.email("A.nn+shop@gmail.com").value()).isEqualTo("a.nn+shop@gmail.com");
    assertThat(Identifier.email("A.nn+shop@googlemail.com", true).value()).isEqualTo("ann@gmail.com");
    assertThat(Identifier.email("a.nn+shop@example.com", true).value()).isEqualTo("a.nn+shop@example.com");
  }

  @Test
  void malformed_emails_name_type_value_and_reason() {
    assertThatThrownBy(() -> Identifier.email("no-at-sign"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.type()).isEqualTo("email");
          assertThat(e.value()).isEqualTo("no-at-sign");
          assertThat(e.reason()).contains("'@'");
          assertThat(e.getMessage()).contains("email", "no-at-sign", "'@'");
        });
    assertThatThrownBy(() -> Identifier.email("a@b@c.com")).hasMessageContaining("more than one '@'");
    assertThatThrownBy(() -> Identifier.email("@example.com")).hasMessageContaining("before '@' is empty");
    assertThatThrownBy(() -> Identifier.email("ann@")).hasMessageContaining("domain");
    assertThatThrownBy(() -> Identifier.email("ann@localhost")).hasMessageContaining("no dot");
    assertThatThrownBy(() -> Identifier.email("ann@exa mple.com")).hasMessageContaining("domain");
    assertThatThrownBy(() -> Identifier.email("an n@example.com")).hasMessageContaining("white space");
  }

  @Test
  void phone_becomes_e164() {
    assertThat(Identifier.phone("+7 916 123-45-67").value()).isEqualTo("+79161234567");
    assertThat(Identifier.phone("8 (916) 123-45-67", "RU").value()).isEqualTo("+79161234567");
    assertThat(Identifier.phone("(202) 456-1111", "us").value()).isEqualTo("+12024561111");
  }

  @Test
  void national_phone_without_region_is_refused_with_the_reason() {
    assertThatThrownBy(() -> Identifier.phone("8 916 123-45-67"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class, e -> {
          assertThat(e.type()).isEqualTo("phone");
          assertThat(e.reason()).contains("region");
        });
  }

  @Test
  void impossible_phones_are_refused() {
    assertThatThrownBy(() -> Identifier.phone("+7 123")).isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> Identifier.phone("call me")).hasMessageContaining("not a phone number");
    assertThatThrownBy(() -> Identifier.phone("916 123 45 67", "XX")).hasMessageContaining("region 'XX'");
  }

  @Test
  void canonical_constructor_normalizes_too_so_equal_contacts_are_equal() {
    assertThat(new Identifier(IdentifierType.EMAIL, "ANN@EXAMPLE.COM")).isEqualTo(Identifier.email("ann@example.com"));
    assertThat(new Identifier(IdentifierType.PHONE, "+7 (916) 123 45 67")).isEqualTo(Identifier.phone("+79161234567"));
  }

  @Test
  void device_is_lower_cased_loyalty_card_loses_spaces_and_dashes() {
    assertThat(Identifier.device(" ABCD-EF ").value()).isEqualTo("abcd-ef");
    assertThat(Identifier.loyaltyCard("4000 1234-56 ab").value()).isEqualTo("4000123456AB");
    assertThat(Identifier.cookie(" c-81 ").value()).isEqualTo("c-81");
    assertThat(Identifier.account("Acc-1").value()).isEqualTo("Acc-1");
  }

  @Test
  void blank_or_control_characters_are_refused() {
    assertThatThrownBy(() -> Identifier.cookie("   ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Identifier.account("a\u0000b")).hasMessageContaining("control character");
    assertThatThrownBy(() -> Identifier.device(null)).hasMessageContaining("null");
    assertThatThrownBy(() -> Identifier.account("x".repeat(300))).hasMessageContaining("longer than");
  }

  @Test
  void custom_types_are_interned_by_name_and_strong() {
    IdentifierType telegram = IdentifierType.of("Telegram");
    assertThat(telegram).isSameAs(IdentifierType.of("telegram"));
    assertThat(telegram.weakByDefault()).isFalse();
    assertThat(IdentifierType.of("email")).isSameAs(IdentifierType.EMAIL);
    assertThat(Identifier.of(telegram, "@ann").toString()).isEqualTo("telegram:@ann");
    assertThatThrownBy(() -> IdentifierType.of("9lives")).isInstanceOf(InvalidIdentifierException.class);
    assertThatThrownBy(() -> IdentifierType.of("has space")).hasMessageContaining("type name");
  }

  @Test
  void an_email_may_be_254_characters_long_and_no_longer() {
    String domain = "@example.com";
    String longest = "a".repeat(254 - domain.length()) + domain;
    assertThat(Identifier.email(longest).value()).hasSize(254);
    assertThatThrownBy(() -> Identifier.email("a" + longest))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageContaining("is longer than 254 characters");
  }

  @Test
  void a_domain_holds_letters_digits_dashes_and_dots_only() {
    assertThat(Identifier.email("ann@zeta-09.example.com").value()).isEqualTo("ann@zeta-09.example.com");
    // the characters just outside each allowed range: before and after a-z, before and after 0-9
    for (char c : new char[] {'`', '{', '/', ':', '_'}) {
      assertThatThrownBy(() -> Identifier.email("ann@ex" + c + "ample.com"))
          .isInstanceOfSatisfying(InvalidIdentifierException.class,
              e -> assertThat(e.reason()).isEqualTo("the domain holds '" + c + "', which no host name may"));
    }
  }

  @Test
  void a_domain_with_any_character_past_ascii_is_read_as_an_internationalized_name() {
    // U+0080, the first character past ASCII, is a control character that IDN refuses
    assertThatThrownBy(() -> Identifier.email("ann@ex\u0080ample.com"))
        .isInstanceOfSatisfying(InvalidIdentifierException.class,
            e -> assertThat(e.reason()).isEqualTo("the domain is not a valid internationalized name"));
    assertThat(Identifier.email("ann@EXAMPLE.com").value()).isEqualTo("ann@example.com");
  }

  @Test
  void a_gmail_address_of_nothing_but_a_tag_is_refused_when_tags_are_dropped() {
    assertThat(Identifier.email("+promo@gmail.com").value()).isEqualTo("+promo@gmail.com");
    assertThatThrownBy(() -> Identifier.email("+promo@gmail.com", true))
        .isInstanceOfSatisfying(InvalidIdentifierException.class,
            e -> assertThat(e.reason()).isEqualTo("nothing is left of the Gmail address before '@'"));
    assertThat(Identifier.email("a+@gmail.com", true).value()).isEqualTo("a@gmail.com");
  }

  @Test
  void an_empty_or_missing_value_is_refused_naming_what_is_missing() {
    assertThatThrownBy(() -> Identifier.email(null)).hasMessageContaining("the value is null");
    assertThatThrownBy(() -> Identifier.email(null, true)).hasMessageContaining("the value is null");
    assertThatThrownBy(() -> Identifier.phone(null)).hasMessageContaining("the value is null");
    assertThatThrownBy(() -> Identifier.phone("  ")).hasMessageContaining("the value is empty");
    assertThatThrownBy(() -> Identifier.loyaltyCard(" - -")).hasMessageContaining("holds nothing but spaces and dashes");
  }

  @Test
  void a_domain_with_an_empty_label_is_refused() {
    for (String bad : new String[] {"ann@example..com", "ann@.example.com", "ann@example.com."}) {
      assertThatThrownBy(() -> Identifier.email(bad))
          .isInstanceOfSatisfying(InvalidIdentifierException.class,
              e -> assertThat(e.reason()).isEqualTo("the domain has an empty label"));
    }
  }

  @Test
  void an_international_number_with_an_unknown_country_code_is_refused_for_its_code_with_or_without_a_region() {
    for (ThrowingCallable parse : List.<ThrowingCallable>of(
        () -> Identifier.phone("+999 123 45 67"), () -> Identifier.phone("+999 123 45 67", "RU"))) {
      assertThatThrownBy(parse)
          .isInstanceOfSatisfying(InvalidIdentifierException.class,
              e -> assertThat(e.reason()).isEqualTo("the country calling code is not valid"));
    }
    assertThatThrownBy(() -> Identifier.phone("011", "US")).hasMessageContaining("is too short");
  }
}
