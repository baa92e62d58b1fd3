-- Omni campaign outbox, version 4, for MariaDB 10.6+/MySQL 8 (InnoDB). A Flyway
-- location as it is (classpath:io/omni/jdbc/schema/mariadb). Unlike the other copies:
-- AUTO_INCREMENT instead of an identity column, indexes inline, MEDIUMTEXT, and a binary collation
-- so that ids compare exactly. See the PostgreSQL copy for the columns.

CREATE TABLE IF NOT EXISTS omni_outbox (
  ord          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_id       VARCHAR(255) NOT NULL,
  step         INT NOT NULL,
  channel      VARCHAR(255) NOT NULL,
  to_type      VARCHAR(32) NOT NULL,
  to_value     VARCHAR(256) NOT NULL,
  profile      VARCHAR(255) NOT NULL,
  body         MEDIUMTEXT NOT NULL,
  promo_code   VARCHAR(255) NOT NULL,
  at_ms        BIGINT NOT NULL,
  at_ns        INT NOT NULL,
  status       VARCHAR(16) NOT NULL,
  attempts     INT NOT NULL,
  claims       INT NOT NULL,
  due_us       BIGINT NOT NULL,
  lease_us     BIGINT NULL,
  last_failure MEDIUMTEXT NULL,
  UNIQUE KEY omni_outbox_run_step (run_id, step),
  KEY omni_outbox_due (status, due_us),
  KEY omni_outbox_to (to_value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
