-- Omni carts, version 3, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Unlike the
-- PostgreSQL and H2 copies: MEDIUMTEXT for JSON, indexes inline, a binary collation so that profile
-- ids and nonces compare exactly.

CREATE TABLE IF NOT EXISTS omni_cart (
  profile        VARCHAR(255) NOT NULL PRIMARY KEY,
  version        BIGINT NOT NULL,
  merged_into    VARCHAR(255) NULL,
  state          MEDIUMTEXT NOT NULL,
  applied_merges MEDIUMTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_cart_nonce (
  nonce      VARCHAR(255) NOT NULL PRIMARY KEY,
  expires_ms BIGINT NOT NULL,
  KEY omni_cart_nonce_expires (expires_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
