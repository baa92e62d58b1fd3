-- Omni erasure across instances and retention, version 6, for MariaDB/MySQL (InnoDB). Replaces
-- ../v006__retention.sql: the engine and collation as in the other versions.

CREATE TABLE IF NOT EXISTS omni_identity_epoch (
  id    INT NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO omni_identity_epoch (id, epoch) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id;
