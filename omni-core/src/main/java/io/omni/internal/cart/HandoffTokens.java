package io.omni.internal.cart;

import io.omni.InvalidTokenException;
import io.omni.InvalidTokenException.Reason;
import io.omni.cart.Stamp;
import io.omni.identity.ProfileId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-off tokens: {@code base64url(payload || HMAC-SHA256(key, payload))} without padding. The
 * payload is a format byte, the profile id, the cart's latest stamp (if any), the expiry in epoch
 * millis and a 16-byte random nonce.
 */
final class HandoffTokens {
  private static final byte FORMAT = 1;
  private static final int MAC_BYTES = 32;
  private static final int NONCE_BYTES = 16;
  private static final int MAX_TOKEN_CHARS = 1024;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  HandoffTokens(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** What a genuine token says. */
  record Claims(ProfileId profile, Stamp cartStamp, Instant expiresAt, String nonce) {}

  String issue(ProfileId profile, Stamp cartStamp, Instant expiresAt) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(profile.value());
      out.writeBoolean(cartStamp != null);
      if (cartStamp != null) {
        out.writeLong(cartStamp.millis());
        out.writeInt(cartStamp.logical());
        out.writeUTF(cartStamp.replica());
      }
      out.writeLong(expiresAt.toEpochMilli());
      out.write(nonce);
      out.write(mac(bytes.toByteArray(), bytes.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /** Reads a token and checks its signature; expiry and reuse are the caller's to check. */
  Claims verify(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw new InvalidTokenException(Reason.MALFORMED, "a token is 1 to " + MAX_TOKEN_CHARS + " characters, was " + token.length());
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "not base64url: " + e.getMessage());
    }
    if (bytes.length <= MAC_BYTES) {
      throw new InvalidTokenException(Reason.MALFORMED, "too short to hold a payload and a signature (" + bytes.length + " bytes)");
    }
    int payloadLength = bytes.length - MAC_BYTES;
    Claims claims;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, payloadLength))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new InvalidTokenException(Reason.MALFORMED, "unknown token format " + format);
      }
      ProfileId profile = ProfileId.of(in.readUTF());
      Stamp stamp = in.readBoolean() ? Stamp.of(in.readLong(), in.readInt(), in.readUTF()) : null;
      Instant expiresAt = Instant.ofEpochMilli(in.readLong());
      byte[] nonce = in.readNBytes(NONCE_BYTES);
      if (nonce.length != NONCE_BYTES || in.available() > 0) {
        throw new InvalidTokenException(Reason.MALFORMED, "the payload does not end after its nonce");
      }
      claims = new Claims(profile, stamp, expiresAt, Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "its fields cannot be read: " + e.getMessage());
    }
    byte[] expected = mac(bytes, payloadLength);
    byte[] given = java.util.Arrays.copyOfRange(bytes, payloadLength, bytes.length);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new InvalidTokenException(Reason.FORGED, "its signature does not match the handoffKey");
    }
    return claims;
  }

  private byte[] mac(byte[] bytes, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(bytes, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
