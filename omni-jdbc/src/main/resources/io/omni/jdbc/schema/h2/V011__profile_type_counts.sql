-- Omni identity graph, version 11, for H2: a live profile's type counts in its own omni_profile row.
-- A Flyway location as it is (classpath:io/omni/jdbc/schema/h2); Omni's own migrator runs the same
-- file. Every statement is idempotent: a second run finds the column and no counts table, and
-- changes nothing.

-- How many identifiers of each type a live profile's cluster holds, as text: "type=count" pairs
-- joined by ',', in type-name order, counts of 0 left out ("email=2,phone=1"); NULL when it holds
-- none, and for a profile merged away. A type name is a letter then letters, digits, '_' or '-', so
-- neither '=' nor ',' can occur in one (io.omni.jdbc.internal.TypeCountText reads and writes it).
-- Kept exact by every write that adds, merges, splits or forgets: a new profile's counts go in the
-- statement that dates its row, an existing one's in an UPDATE of the row the link holds locked
-- already, and the lock that a link takes (SELECT ... FOR UPDATE) reads them in the same round trip.
-- This replaces version 9's omni_type_count.
ALTER TABLE omni_profile ADD COLUMN IF NOT EXISTS type_counts VARCHAR NULL;

-- Backfilled from version 9's table (made empty first when a run before dropped it already).
CREATE TABLE IF NOT EXISTS omni_type_count (
  profile BIGINT NOT NULL,
  id_type VARCHAR(32) NOT NULL,
  n       INT NOT NULL,
  PRIMARY KEY (profile, id_type)
);
UPDATE omni_profile p SET type_counts = (
  SELECT LISTAGG(t.id_type || '=' || CAST(t.n AS VARCHAR), ',') WITHIN GROUP (ORDER BY t.id_type)
  FROM omni_type_count t WHERE t.profile = p.id AND t.n <> 0)
WHERE p.alias_of IS NULL AND EXISTS (SELECT 1 FROM omni_type_count t WHERE t.profile = p.id AND t.n <> 0);
DROP TABLE IF EXISTS omni_type_count;
