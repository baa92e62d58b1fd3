-- Omni identity graph, version 9, for PostgreSQL: type counts kept by the writes, and a leaner
-- ingest path. A Flyway location as it is (classpath:io/omni/jdbc/schema/postgresql); Omni's own
-- migrator runs the same file. Every statement is idempotent. (Version 8 is another change's.)

-- How many identifiers of each type a live profile's cluster holds, kept exact by every write that
-- adds, merges, splits or forgets (a link reads a few rows here instead of counting the cluster).
-- A profile merged away has no rows; a count may be 0 after a forget.
CREATE TABLE IF NOT EXISTS omni_type_count (
  profile BIGINT NOT NULL,
  id_type VARCHAR(32) NOT NULL,
  n       INT NOT NULL,
  PRIMARY KEY (profile, id_type)
);

-- Backfilled once from the identifiers there are (skipped when it ran already).
INSERT INTO omni_type_count (profile, id_type, n)
SELECT profile, id_type, COUNT(*) FROM omni_identifier
WHERE NOT EXISTS (SELECT 1 FROM omni_type_count)
GROUP BY profile, id_type;

-- Foreign keys that only cost: each one a row lock and an index probe per inserted row on the
-- ingest path, and the writes keep these references right by themselves (evidence items are
-- written after their evidence and identifiers in one transaction and deleted before them).
-- The conflict and shared tables keep theirs (written rarely).
ALTER TABLE omni_evidence_item DROP CONSTRAINT IF EXISTS omni_evidence_item_seq_fkey;
ALTER TABLE omni_evidence_item DROP CONSTRAINT IF EXISTS omni_evidence_item_identifier_fkey;
ALTER TABLE omni_identifier DROP CONSTRAINT IF EXISTS omni_identifier_profile_fkey;
