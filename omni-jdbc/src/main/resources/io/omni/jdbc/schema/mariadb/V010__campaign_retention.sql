-- Omni campaign retention, version 10, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb). Unlike the other copies: no IF NOT EXISTS, which MySQL 8
-- lacks for columns and indexes; on a re-run the migrator goes past a column or an index that exists
-- (errors 1060 and 1061, MariaDbDialect.existsAlready).

-- When an ended run ended (epoch milliseconds), NULL while it runs: what omni.prune finds ended runs
-- by. Runs that ended before this version are dated from their JSON by the first prune.
ALTER TABLE omni_campaign_run ADD COLUMN ended_ms BIGINT NULL;
CREATE INDEX omni_campaign_run_ended ON omni_campaign_run (ended_ms);
