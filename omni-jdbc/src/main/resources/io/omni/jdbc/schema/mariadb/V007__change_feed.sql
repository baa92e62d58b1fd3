-- Omni change feed, version 7, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Every statement is
-- idempotent; the index is inline so that CREATE TABLE IF NOT EXISTS guards it too.

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
  at_ms         BIGINT NOT NULL,
  INDEX omni_change_at (at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The last position given out. A write that records entries adds their number to it last, just
-- before it commits, and holds the row's lock to the commit: positions are given in commit order,
-- and a write that rolls back gives its positions back, so a reader past position n has seen every
-- committed entry up to n.
CREATE TABLE IF NOT EXISTS omni_change_head (
  id  INT NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO omni_change_head (id, seq) VALUES (1, 0) ON DUPLICATE KEY UPDATE id = id;
