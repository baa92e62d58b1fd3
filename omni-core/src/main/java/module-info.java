/**
 * Omni: one customer across every channel of a shop.
 *
 * <p>Start at {@link io.omni.Omni}. Exported: the facade ({@code io.omni}), identity resolution
 * ({@code io.omni.identity}), carts, channels and events ({@code io.omni.channel}), journeys,
 * campaigns, the SPI ({@code io.omni.spi}: channel providers and storage) and the Jackson
 * module ({@code io.omni.json}); the machinery
 * under {@code io.omni.internal} is not. Channel providers plug in with {@code provides
 * io.omni.spi.ChannelProvider with ...}.
 */
// libphonenumber and Micrometer are automatic modules (a name in their manifests): nothing else to require
@SuppressWarnings("requires-automatic")
module io.omni {
  requires org.slf4j;
  requires transitive com.fasterxml.jackson.databind; // OmniModule extends its SimpleModule
  requires com.github.benmanes.caffeine;
  requires com.google.i18n.phonenumbers.libphonenumber;
  // optional: only io.omni.OmniMetrics uses it. Not transitive: a module that reads io.omni
  // without Micrometer must still compile; one that binds the metrics requires Micrometer itself.
  requires static micrometer.core;

  exports io.omni;
  exports io.omni.identity;
  exports io.omni.cart;
  exports io.omni.channel;
  exports io.omni.journey;
  exports io.omni.campaign;
  exports io.omni.spi;
  exports io.omni.json;

  uses io.omni.spi.ChannelProvider;
}
