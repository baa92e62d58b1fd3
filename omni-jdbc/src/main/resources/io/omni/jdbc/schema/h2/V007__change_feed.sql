-- Omni change feed, version 7, for H2. A Flyway location as it is (classpath:io/omni/jdbc/schema/h2);
-- Omni's own migrator runs the same file. Every statement is idempotent.

-- One row per entry of ids.changes(cursor, max): a merge, a split or a forget, written in the
-- transaction of the identity change it describes. Entries name profiles (p-<id>) and causes (event
-- ids, "rebuild", "forget"), never an identifier's value. seq is the entry's position; at_ms is when
-- it was recorded, indexed for omni.prune(now).
CREATE TABLE IF NOT EXISTS omni_change (
  seq           BIGINT NOT NULL PRIMARY KEY,
  kind          VARCHAR(16) NOT NULL,
  profile       VARCHAR(255) NOT NULL,
  other_profile VARCHAR(255),
  cause         VARCHAR(255) NOT NULL,
  at_ms         BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS omni_change_at ON omni_change (at_ms);

-- The last position given out. A write that records entries adds their number to it last, just
-- before it commits, and holds the row's lock to the commit: positions are given in commit order,
-- and a write that rolls back gives its positions back, so a reader past position n has seen every
-- committed entry up to n.
CREATE TABLE IF NOT EXISTS omni_change_head (
  id  INT NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
);
INSERT INTO omni_change_head (id, seq)
SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM omni_change_head WHERE id = 1);
