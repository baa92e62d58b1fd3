-- Omni identity graph, version 9, for H2: type counts kept by the writes. A Flyway location as it
-- is (classpath:io/omni/jdbc/schema/h2); Omni's own migrator runs the same file. Every statement is
-- idempotent. (Version 8 is another change's.) The foreign keys that PostgreSQL and MariaDB drop
-- in this version stay on H2: version 1 left them unnamed here, and H2 is not a back-fill target.

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
