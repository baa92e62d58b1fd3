/**
 * Omni: one customer across every channel of a shop.
 *
 * <p>Start at {@link io.omni.Omni}. Exported: the facade ({@code io.omni}), identity resolution
 * ({@code io.omni.identity}), the cart CRDT ({@code io.omni.cart}), the storage SPI ({@code
 * io.omni.spi}) and the Jackson module ({@code io.omni.json}); the machinery under
 * {@code io.omni.internal} is not.
 */
module io.omni {
  requires org.slf4j;
  requires transitive com.fasterxml.jackson.databind; // OmniModule extends its SimpleModule
  requires com.github.benmanes.caffeine;
  requires com.google.i18n.phonenumbers.libphonenumber;

  exports io.omni;
  exports io.omni.identity;
  exports io.omni.cart;
  exports io.omni.journey;
  exports io.omni.spi;
  exports io.omni.json;
}
