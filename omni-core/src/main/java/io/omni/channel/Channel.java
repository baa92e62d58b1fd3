package io.omni.channel;

import io.omni.identity.IdentifierType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A channel the shop meets its customers in: an id ({@code "web"}, {@code "sms"}), a kind, what one
 * message there costs, and the identifier type that reaches the customer there — if messages can
 * be sent in it at all.
 *
 * <p>The standard channels are known to every Omni; add others with {@code
 * Omni.Builder.channel(Channel)} or a {@link io.omni.spi.ChannelProvider}. Costs are in the shop's
 * currency per message and only their order matters: {@code Cascade.cheapestFirst(...)} sorts
 * steps by them. The standard costs are typical list prices in US dollars:
 *
 * <table>
 *   <caption>Standard channels</caption>
 *   <tr><th>id</th><th>kind</th><th>cost</th><th>reached by</th></tr>
 *   <tr><td>web, app, pos, call-center</td><td>WEB, APP, STORE, PHONE</td><td>0</td><td>nobody (no outbound messages)</td></tr>
 *   <tr><td>email</td><td>EMAIL</td><td>0.001</td><td>email</td></tr>
 *   <tr><td>telegram</td><td>MESSENGER</td><td>0.002</td><td>{@code IdentifierType.of("telegram")}</td></tr>
 *   <tr><td>viber</td><td>MESSENGER</td><td>0.02</td><td>phone</td></tr>
 *   <tr><td>whatsapp</td><td>MESSENGER</td><td>0.03</td><td>phone</td></tr>
 *   <tr><td>sms</td><td>SMS</td><td>0.05</td><td>phone</td></tr>
 * </table>
 *
 * <pre>{@code
 * Channel kiosk = Channel.of("kiosk", ChannelKind.STORE);
 * Channel instagram = Channel.messaging("instagram", ChannelKind.SOCIAL, new BigDecimal("0.01"),
 *     IdentifierType.of("instagram"));
 * }</pre>
 *
 * @param id the channel's id: a lower-case letter, then up to 63 lower-case letters, digits,
 *     {@code -}, {@code _} or {@code .}
 * @param kind what sort of channel it is
 * @param costPerMessage what one message costs, 0 or more
 * @param reachedBy the identifier type a message is addressed to there; empty when the channel
 *     carries no outbound messages
 */
public record Channel(String id, ChannelKind kind, BigDecimal costPerMessage, Optional<IdentifierType> reachedBy) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** The shop's web site. */
  public static final Channel WEB = of("web", ChannelKind.WEB);
  /** The shop's mobile app. */
  public static final Channel APP = of("app", ChannelKind.APP);
  /** The point of sale in a store. */
  public static final Channel POS = of("pos", ChannelKind.STORE);
  /** The call center. */
  public static final Channel CALL_CENTER = of("call-center", ChannelKind.PHONE);
  /** Email, reached by an email address. */
  public static final Channel EMAIL = messaging("email", ChannelKind.EMAIL, "0.001", IdentifierType.EMAIL);
  /** SMS, reached by a phone number. */
  public static final Channel SMS = messaging("sms", ChannelKind.SMS, "0.05", IdentifierType.PHONE);
  /** Viber, reached by a phone number. */
  public static final Channel VIBER = messaging("viber", ChannelKind.MESSENGER, "0.02", IdentifierType.PHONE);
  /** WhatsApp, reached by a phone number. */
  public static final Channel WHATSAPP = messaging("whatsapp", ChannelKind.MESSENGER, "0.03", IdentifierType.PHONE);
  /** Telegram, reached by a Telegram handle ({@code IdentifierType.of("telegram")}). */
  public static final Channel TELEGRAM =
      messaging("telegram", ChannelKind.MESSENGER, "0.002", IdentifierType.of("telegram"));

  /** Checks the fields. */
  public Channel {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("channel id must be a lower-case letter then up to 63 lower-case letters,"
          + " digits, '-', '_' or '.', was '" + id + "'");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(costPerMessage, "costPerMessage");
    if (costPerMessage.signum() < 0) {
      throw new IllegalArgumentException("channel " + id + " cost per message must be 0 or more, was " + costPerMessage);
    }
    Objects.requireNonNull(reachedBy, "reachedBy");
  }

  /** A channel that carries no outbound messages (a site, a store, a call center); cost 0. */
  public static Channel of(String id, ChannelKind kind) {
    return new Channel(id, kind, BigDecimal.ZERO, Optional.empty());
  }

  /** A channel that messages reach customers in, addressed to an identifier of {@code reachedBy}. */
  public static Channel messaging(String id, ChannelKind kind, BigDecimal costPerMessage, IdentifierType reachedBy) {
    return new Channel(id, kind, costPerMessage, Optional.of(Objects.requireNonNull(reachedBy, "reachedBy")));
  }

  private static Channel messaging(String id, ChannelKind kind, String cost, IdentifierType reachedBy) {
    return messaging(id, kind, new BigDecimal(cost), reachedBy);
  }

  /** The standard channels every Omni knows: web, app, pos, call-center, email, sms, viber, whatsapp, telegram. */
  public static List<Channel> standard() {
    return List.of(WEB, APP, POS, CALL_CENTER, EMAIL, SMS, VIBER, WHATSAPP, TELEGRAM);
  }

  /** Whether messages can be sent in this channel. */
  public boolean carriesMessages() {
    return reachedBy.isPresent();
  }
}
