package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.InvalidTokenException;
import io.omni.InvalidTokenException.Reason;
import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.spi.OmniStore;
import io.omni.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Handing a cart to the POS by QR code: a signed, expiring, single-use token. */
final class CartHandoffTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  private static final Identifier ANN = Identifier.email("ann@example.com");
  private static final LineKey SKU1 = LineKey.of("SKU-1");

  private final TestClock clock = TestClock.at("2026-11-22T10:00:00Z");
  private final OmniStore store = OmniStore.inMemory();
  private final Omni omni = Omni.builder().store(store).clock(clock).handoffKey(KEY).build();
  private final Carts carts = omni.carts();

  @Test
  void a_token_hands_the_cart_to_the_pos_once() {
    carts.add(ANN, "web", SKU1, 2);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    assertThat(token).matches("[A-Za-z0-9_-]+"); // base64url, no padding

    CartState atPos = carts.redeem(token, "pos");
    assertThat(atPos).isEqualTo(carts.get(ANN));
    assertThat(atPos.quantity(SKU1)).isEqualTo(2);
  }

  @Test
  void the_token_names_the_cart_as_it_is_at_redeem_time() {
    carts.add(ANN, "web", SKU1, 2);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    carts.add(ANN, "web", SKU1, 1);
    assertThat(carts.redeem(token, "pos").quantity(SKU1)).isEqualTo(3);
  }

  @Test
  void a_reused_token_is_refused() {
    carts.add(ANN, "web", SKU1, 1);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    carts.redeem(token, "pos");
    assertRefused(() -> carts.redeem(token, "pos"), Reason.REUSED, "already redeemed");
  }

  @Test
  void an_expired_token_is_refused_and_not_consumed() {
    carts.add(ANN, "web", SKU1, 1);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(5).plusMillis(1));
    assertRefused(() -> carts.redeem(token, "pos"), Reason.EXPIRED, "expired at 2026-11-22T10:05:00Z");
    assertRefused(() -> carts.redeem(token, "pos"), Reason.EXPIRED, "expired");
  }

  @Test
  void a_token_is_still_good_at_the_very_millisecond_it_expires() {
    carts.add(ANN, "web", SKU1, 1);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(5));
    assertThat(carts.redeem(token, "pos").quantity(SKU1)).isEqualTo(1);
  }

  @Test
  void two_tokens_for_one_unchanged_cart_in_one_millisecond_are_each_redeemable_once() {
    carts.add(ANN, "web", SKU1, 1);
    String first = carts.handoff(ANN, Duration.ofMinutes(5));
    String second = carts.handoff(ANN, Duration.ofMinutes(5)); // same profile, cart and expiry: only the nonce differs
    assertThat(second).isNotEqualTo(first);
    assertThat(carts.redeem(first, "pos").quantity(SKU1)).isEqualTo(1);
    assertThat(carts.redeem(second, "pos").quantity(SKU1)).isEqualTo(1);
    assertRefused(() -> carts.redeem(first, "pos"), Reason.REUSED, "already redeemed");
  }

  @Test
  void a_token_signed_with_another_key_is_forged() {
    Omni other = Omni.builder().clock(clock).handoffKey(OTHER_KEY).build();
    other.carts().add(ANN, "web", SKU1, 1);
    String foreign = other.carts().handoff(ANN, Duration.ofMinutes(5));
    assertRefused(() -> carts.redeem(foreign, "pos"), Reason.FORGED, "signature");
  }

  @Test
  void an_altered_token_is_forged() {
    carts.add(ANN, "web", SKU1, 1);
    byte[] bytes = Base64.getUrlDecoder().decode(carts.handoff(ANN, Duration.ofMinutes(5)));
    bytes[bytes.length - 40] ^= 1; // a bit of the nonce
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertRefused(() -> carts.redeem(altered, "pos"), Reason.FORGED, "signature");
  }

  @Test
  void a_forged_token_does_not_consume_the_genuine_ones_nonce() {
    carts.add(ANN, "web", SKU1, 1);
    String token = carts.handoff(ANN, Duration.ofMinutes(5));
    byte[] bytes = Base64.getUrlDecoder().decode(token);
    bytes[bytes.length - 1] ^= 1; // a bit of the signature
    assertRefused(() -> carts.redeem(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), "pos"),
        Reason.FORGED, "signature");
    assertThat(carts.redeem(token, "pos").quantity(SKU1)).isEqualTo(1);
  }

  @Test
  void malformed_tokens_are_refused() {
    assertRefused(() -> carts.redeem("", "pos"), Reason.MALFORMED, "1 to 1024 characters");
    assertRefused(() -> carts.redeem("not a token!", "pos"), Reason.MALFORMED, "base64url");
    assertRefused(() -> carts.redeem("AAAA", "pos"), Reason.MALFORMED, "too short");
    String garbage = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[80]);
    assertRefused(() -> carts.redeem(garbage, "pos"), Reason.MALFORMED, "format");
  }

  @Test
  void a_token_may_be_1024_characters_long_and_must_hold_more_than_a_signature() {
    assertRefused(() -> carts.redeem("A".repeat(1025), "pos"), Reason.MALFORMED, "1 to 1024 characters, was 1025");
    // 1024 characters are read: these decode to zeros, an unknown format
    assertRefused(() -> carts.redeem("A".repeat(1024), "pos"), Reason.MALFORMED, "unknown token format 0");
    String signatureOnly = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertRefused(() -> carts.redeem(signatureOnly, "pos"), Reason.MALFORMED,
        "too short to hold a payload and a signature (32 bytes)");
    String oneBytePayload = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[33]);
    assertRefused(() -> carts.redeem(oneBytePayload, "pos"), Reason.MALFORMED, "unknown token format 0");
  }

  @Test
  void a_token_whose_payload_is_cut_short_or_runs_on_is_malformed() {
    carts.add(ANN, "web", SKU1, 1);
    byte[] genuine = Base64.getUrlDecoder().decode(carts.handoff(ANN, Duration.ofMinutes(5)));
    byte[] payload = Arrays.copyOf(genuine, genuine.length - 32);
    byte[] signature = Arrays.copyOfRange(genuine, genuine.length - 32, genuine.length);

    String cutShort = token(Arrays.copyOf(payload, 5), signature);
    assertRefused(() -> carts.redeem(cutShort, "pos"), Reason.MALFORMED, "its fields cannot be read");
    String nonceCutShort = token(Arrays.copyOf(payload, payload.length - 1), signature);
    assertRefused(() -> carts.redeem(nonceCutShort, "pos"), Reason.MALFORMED, "does not end after its nonce");
    String runsOn = token(Arrays.copyOf(payload, payload.length + 1), signature);
    assertRefused(() -> carts.redeem(runsOn, "pos"), Reason.MALFORMED, "does not end after its nonce");
  }

  private static String token(byte[] payload, byte[] signature) {
    byte[] bytes = Arrays.copyOf(payload, payload.length + signature.length);
    System.arraycopy(signature, 0, bytes, payload.length, signature.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void handoff_without_a_key_names_the_setting() {
    Omni keyless = Omni.builder().clock(clock).build();
    assertThatThrownBy(() -> keyless.carts().handoff(ANN, Duration.ofMinutes(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handoffKey");
    assertThatThrownBy(() -> keyless.carts().redeem("x", "pos"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handoffKey");
  }

  @Test
  void a_key_under_32_bytes_is_refused() {
    assertThatThrownBy(() -> Omni.builder().handoffKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handoffKey must be at least 32 bytes, was 31");
  }

  @Test
  void the_ttl_must_be_positive_and_at_most_a_day() {
    assertThatThrownBy(() -> carts.handoff(ANN, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> carts.handoff(ANN, Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT24H");
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String detail) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(reason.name())
        .hasMessageContaining(detail)
        .satisfies(e -> assertThat(((InvalidTokenException) e).reason()).isEqualTo(reason));
  }
}
