package io.omni.examples.spring;

import com.fasterxml.jackson.databind.Module;
import io.omni.Omni;
import io.omni.OmniMetrics;
import io.omni.jdbc.JdbcStore;
import io.omni.jdbc.SchemaMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Omni as a Spring bean. The README's "Spring Boot" section shows these methods as they are
 * ({@code ReadmeSpringSnippetTest} checks it).
 */
@Configuration(proxyBeanMethods = false)
class OmniConfiguration {

  // Flyway (spring.flyway.locations) applies Omni's scripts first; Omni only checks them.
  @Bean
  @DependsOnDatabaseInitialization
  Omni omni(DataSource dataSource, Clock clock, SentMessages gateways,
      @Value("${shop.handoff-key}") String handoffKey) {
    return Omni.builder()
        .store(JdbcStore.builder(dataSource).schemaMode(SchemaMode.VALIDATE).build())
        .clock(clock)
        .defaultRegion("RU")
        .handoffKey(handoffKey.getBytes(StandardCharsets.UTF_8))
        .sender("email", gateways::send)   // your mailer, SMS gateway and Viber bot
        .sender("sms", gateways::send)
        .sender("viber", gateways::send)
        .build();                          // closed with the context (Omni is AutoCloseable)
  }

  // Boot's ObjectMapper picks up every Module bean: carts, identifiers and profile ids as
  // OmniModule writes them, national phone numbers read in the Omni's region
  @Bean
  Module omniJsonModule(Omni omni) {
    return omni.jsonModule();
  }

  // Boot binds every MeterBinder to its MeterRegistry: omni.* under /actuator/metrics
  @Bean
  OmniMetrics omniMetrics(Omni omni) {
    return new OmniMetrics(omni);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
