package io.omni.channel;

/** What sort of channel a {@link Channel} is. */
public enum ChannelKind {
  /** A web site. */
  WEB,
  /** A mobile app. */
  APP,
  /** A physical store and its POS. */
  STORE,
  /** A phone line or call center. */
  PHONE,
  /** Email. */
  EMAIL,
  /** SMS. */
  SMS,
  /** A messenger: Viber, WhatsApp, Telegram. */
  MESSENGER,
  /** A social network. */
  SOCIAL
}
