-- Omni erasure across instances and retention, version 6, for MariaDB/MySQL (InnoDB). Replaces
-- ../v006__retention.sql: the engine and collation as in the other versions, and indexes created
-- without IF NOT EXISTS, which MySQL 8 lacks; on a re-run the migrator goes past an index that
-- exists (error 1061, MariaDbDialect.existsAlready).

CREATE INDEX omni_processed_event_at ON omni_processed_event (at_ms);
CREATE INDEX omni_touchpoint_at ON omni_touchpoint (at_ms);

CREATE TABLE IF NOT EXISTS omni_identity_epoch (
  id    INT NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO omni_identity_epoch (id, epoch) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id;
