-- Omni owed merge carries, version 13, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb); Omni's own migrator runs the same file. Every statement is
-- idempotent; the index is inline so that CREATE TABLE IF NOT EXISTS guards it too.

-- One row per identity merge whose carrying to the other stores (the merged profile's cart, campaign
-- runs, journey) is owed: inserted in the transaction of the identity write that merged, deleted once
-- Omni has carried it. campaigns().advance(now) carries the rows noted more than a grace period ago:
-- what a carrying that failed after the commit, and was never retried, or a process that died in
-- between, left. merged and survivor are profile numbers (the id is "p-" + number); a profile is merged
-- away once, so merged is the key. at_ms is the merging event's time, noted_ms when the row was noted.
CREATE TABLE IF NOT EXISTS omni_owed_carry (
  merged   BIGINT NOT NULL PRIMARY KEY,
  survivor BIGINT NOT NULL,
  cause    VARCHAR(255) NOT NULL,
  channel  VARCHAR(255) NOT NULL,
  at_ms    BIGINT NOT NULL,
  noted_ms BIGINT NOT NULL,
  INDEX omni_owed_carry_noted (noted_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
