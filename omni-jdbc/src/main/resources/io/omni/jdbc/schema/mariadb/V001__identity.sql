-- Omni identity graph, version 1, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Unlike the
-- PostgreSQL and H2 copies: AUTO_INCREMENT instead of identity columns, indexes declared inline,
-- and a binary collation so that identifier values compare exactly (cookie "Ab" and "ab" are two
-- identifiers).

CREATE TABLE IF NOT EXISTS omni_profile (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  created_ms BIGINT NOT NULL,
  alias_of   BIGINT NULL,
  KEY omni_profile_alias_of (alias_of),
  CONSTRAINT omni_profile_alias_fk FOREIGN KEY (alias_of) REFERENCES omni_profile (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_identifier (
  id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id_type   VARCHAR(32) NOT NULL,
  id_value  VARCHAR(256) NOT NULL,
  profile   BIGINT NOT NULL,
  conflicts INT NOT NULL DEFAULT 0,
  shared    BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE KEY omni_identifier_type_value (id_type, id_value),
  KEY omni_identifier_profile (profile),
  CONSTRAINT omni_identifier_profile_fk FOREIGN KEY (profile) REFERENCES omni_profile (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_evidence (
  seq      BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id VARCHAR(255) NULL,
  channel  VARCHAR(255) NOT NULL,
  at_ms    BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  UNIQUE KEY omni_evidence_event_id (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_evidence_item (
  seq        BIGINT NOT NULL,
  pos        SMALLINT NOT NULL,
  identifier BIGINT NOT NULL,
  PRIMARY KEY (seq, pos),
  KEY omni_evidence_item_identifier (identifier),
  CONSTRAINT omni_evidence_item_seq_fk FOREIGN KEY (seq) REFERENCES omni_evidence (seq),
  CONSTRAINT omni_evidence_item_identifier_fk FOREIGN KEY (identifier) REFERENCES omni_identifier (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_conflict (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  profile    BIGINT NOT NULL,
  identifier BIGINT NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  event_id   VARCHAR(255) NOT NULL,
  at_ms      BIGINT NOT NULL,
  KEY omni_conflict_profile (profile),
  KEY omni_conflict_identifier (identifier),
  CONSTRAINT omni_conflict_profile_fk FOREIGN KEY (profile) REFERENCES omni_profile (id),
  CONSTRAINT omni_conflict_identifier_fk FOREIGN KEY (identifier) REFERENCES omni_identifier (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS omni_profile_shared (
  profile    BIGINT NOT NULL,
  identifier BIGINT NOT NULL,
  PRIMARY KEY (profile, identifier),
  KEY omni_profile_shared_identifier (identifier),
  CONSTRAINT omni_profile_shared_profile_fk FOREIGN KEY (profile) REFERENCES omni_profile (id),
  CONSTRAINT omni_profile_shared_identifier_fk FOREIGN KEY (identifier) REFERENCES omni_identifier (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
