-- Omni cart hand-off, version 12, for MariaDB/MySQL (InnoDB). A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/mariadb). Unlike the other copies: no IF NOT EXISTS, which MySQL 8
-- lacks for columns; on a re-run the migrator goes past a column that exists (error 1060,
-- MariaDbDialect.existsAlready).

-- Which redeem spent a hand-off nonce: a random claim the redeem draws and inserts with the nonce,
-- so that a redeem whose insert committed but whose acknowledgement was lost finds its own row
-- rather than refusing its token as reused. NULL for nonces spent before this version.
ALTER TABLE omni_cart_nonce ADD COLUMN claim VARCHAR(36) NULL;
