package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidIdentifierException;
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
}
