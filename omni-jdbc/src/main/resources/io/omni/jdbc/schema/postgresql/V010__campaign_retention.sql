-- Omni campaign retention, version 10, for PostgreSQL. A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/postgresql); Omni's own migrator runs the same file. Every statement is
-- idempotent (IF NOT EXISTS).

-- When an ended run ended (epoch milliseconds), NULL while it runs: what omni.prune finds ended runs
-- by. Runs that ended before this version are dated from their JSON by the first prune.
ALTER TABLE omni_campaign_run ADD COLUMN IF NOT EXISTS ended_ms BIGINT NULL;
CREATE INDEX IF NOT EXISTS omni_campaign_run_ended ON omni_campaign_run (ended_ms);
