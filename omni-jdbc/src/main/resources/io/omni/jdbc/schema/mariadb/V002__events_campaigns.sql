-- Omni events and campaigns, version 2, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Unlike the
-- PostgreSQL and H2 copies: AUTO_INCREMENT instead of identity columns, indexes inline, MEDIUMTEXT
-- for JSON, and a binary collation so that ids compare exactly.

CREATE TABLE IF NOT EXISTS omni_processed_event (
  event_id VARCHAR(255) NOT NULL PRIMARY KEY,
  at_ms    BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_touchpoint (
  profile    VARCHAR(255) NOT NULL,
  seq        INT NOT NULL,
  event_id   VARCHAR(255) NOT NULL,
  channel    VARCHAR(255) NOT NULL,
  event_type VARCHAR(32) NOT NULL,
  at_ms      BIGINT NOT NULL,
  at_ns      INT NOT NULL,
  attributes MEDIUMTEXT NOT NULL,
  PRIMARY KEY (profile, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_order (
  id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  profile   VARCHAR(255) NOT NULL,
  seq       INT NOT NULL,
  order_id  VARCHAR(255) NOT NULL,
  placed_by VARCHAR(255) NOT NULL,
  channel   VARCHAR(255) NOT NULL,
  at_ms     BIGINT NOT NULL,
  at_ns     INT NOT NULL,
  UNIQUE KEY omni_order_profile_seq (profile, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_order_line (
  order_ref  BIGINT NOT NULL,
  pos        INT NOT NULL,
  sku        VARCHAR(128) NOT NULL,
  variant    VARCHAR(128) NOT NULL,
  attributes MEDIUMTEXT NOT NULL,
  quantity   INT NOT NULL,
  PRIMARY KEY (order_ref, pos),
  CONSTRAINT omni_order_line_order_fk FOREIGN KEY (order_ref) REFERENCES omni_order (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_consent (
  profile VARCHAR(255) NOT NULL,
  channel VARCHAR(255) NOT NULL,
  granted BOOLEAN NOT NULL,
  at_ms   BIGINT NOT NULL,
  at_ns   INT NOT NULL,
  source  VARCHAR(255) NOT NULL,
  PRIMARY KEY (profile, channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_campaign_run (
  ord        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id         VARCHAR(255) NOT NULL,
  profile    VARCHAR(255) NOT NULL,
  promo_code VARCHAR(255) NOT NULL,
  state      VARCHAR(16) NOT NULL,
  run        MEDIUMTEXT NOT NULL,
  UNIQUE KEY omni_campaign_run_id (id),
  UNIQUE KEY omni_campaign_run_promo_code (promo_code),
  KEY omni_campaign_run_state (state),
  KEY omni_campaign_run_profile (profile)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_cart_watch (
  ord     BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  profile VARCHAR(255) NOT NULL,
  UNIQUE KEY omni_cart_watch_profile (profile)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
