-- Omni erasure across instances and retention, version 6. PostgreSQL and H2 run this file;
-- MariaDB/MySQL run mariadb/v006__retention.sql instead. Every statement is idempotent.

-- omni.prune(now) deletes processed event ids and touchpoints older than the retention settings:
-- indexes on their times, so that a prune reads only the rows it deletes.
CREATE INDEX IF NOT EXISTS omni_processed_event_at ON omni_processed_event (at_ms);
CREATE INDEX IF NOT EXISTS omni_touchpoint_at ON omni_touchpoint (at_ms);

-- One row whose epoch every identity write that forgets an identifier or splits a profile adds one
-- to, in its own transaction. Each instance reads it, at most every erasureCheckInterval, before
-- answering from its identifier cache, and drops the cache when it moved: a forgotten identifier
-- or a split profile, which no alias covers, reaches every instance within that interval.
CREATE TABLE IF NOT EXISTS omni_identity_epoch (
  id    INT NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
);
INSERT INTO omni_identity_epoch (id, epoch)
SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM omni_identity_epoch WHERE id = 1);
