-- Omni operator corrections, version 8, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Every statement is
-- idempotent; the index is inline so that CREATE TABLE IF NOT EXISTS guards it too.

-- One row per correction (ids.separate / ids.join): kind SEPARATE or JOIN, the two identifiers it
-- names (type and normalized value, as in omni_identifier), who made it, when (epoch ms) and why;
-- withdrawn_by / withdrawn_ms are set by ids.withdraw and the row is kept. A join's evidence is an
-- omni_evidence row on the channel 'omni:correction:<id>'. A forget of either identifier deletes the
-- row, active or withdrawn, so that the erased value is kept nowhere. Operators make few
-- corrections: a link reads the active separations only when it would merge two profiles.
CREATE TABLE IF NOT EXISTS omni_correction (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind         VARCHAR(16) NOT NULL,
  a_type       VARCHAR(32) NOT NULL,
  a_value      VARCHAR(256) NOT NULL,
  b_type       VARCHAR(32) NOT NULL,
  b_value      VARCHAR(256) NOT NULL,
  author       VARCHAR(255) NOT NULL,
  reason       VARCHAR(1000) NOT NULL,
  at_ms        BIGINT NOT NULL,
  withdrawn_by VARCHAR(255) NULL,
  withdrawn_ms BIGINT NULL,
  INDEX omni_correction_active (kind, withdrawn_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
