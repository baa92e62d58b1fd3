package io.omni.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small shop service with Omni inside: Spring Boot 3.5, PostgreSQL, Flyway applying Omni's
 * scripts and the shop's own. Every instance runs the same code, campaign scheduler included.
 *
 * <pre>
 * SHOP_DB_URL='jdbc:postgresql://127.0.0.1:5432/shop?user=postgres' \
 *   mvn -B -q -pl omni-examples/spring-boot -am -DskipTests package exec:java
 * </pre>
 */
@SpringBootApplication
@EnableScheduling
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }
}
