-- Omni identity graph, version 9, for MariaDB: type counts kept by the writes, and a leaner
-- ingest path. A Flyway location as it is (classpath:io/omni/jdbc/schema/mariadb); Omni's own
-- migrator runs the same file. Every statement is idempotent. (Version 8 is another change's.)

-- How many identifiers of each type a live profile's cluster holds, kept exact by every write that
-- adds, merges, splits or forgets (a link reads a few rows here instead of counting the cluster).
-- A profile merged away has no rows; a count may be 0 after a forget.
CREATE TABLE IF NOT EXISTS omni_type_count (
  profile BIGINT NOT NULL,
  id_type VARCHAR(32) NOT NULL,
  n       INT NOT NULL,
  PRIMARY KEY (profile, id_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Backfilled once from the identifiers there are (skipped when it ran already).
INSERT INTO omni_type_count (profile, id_type, n)
SELECT profile, id_type, COUNT(*) FROM omni_identifier
WHERE NOT EXISTS (SELECT 1 FROM omni_type_count)
GROUP BY profile, id_type;

-- Foreign keys that only cost: each one a lookup and a shared lock per inserted row on the
-- ingest path, and the writes keep these references right by themselves (evidence items are
-- written after their evidence and identifiers in one transaction and deleted before them).
-- Their indexes stay (the reads use them). The conflict and shared tables keep theirs.
ALTER TABLE omni_evidence_item DROP FOREIGN KEY IF EXISTS omni_evidence_item_seq_fk;
ALTER TABLE omni_evidence_item DROP FOREIGN KEY IF EXISTS omni_evidence_item_identifier_fk;
ALTER TABLE omni_identifier DROP FOREIGN KEY IF EXISTS omni_identifier_profile_fk;
