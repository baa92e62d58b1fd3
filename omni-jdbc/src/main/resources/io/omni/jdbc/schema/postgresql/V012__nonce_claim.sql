-- Omni cart hand-off, version 12, for PostgreSQL. A Flyway location as it is
-- (classpath:io/omni/jdbc/schema/postgresql); Omni's own migrator runs the same file. Every statement is
-- idempotent (IF NOT EXISTS).

-- Which redeem spent a hand-off nonce: a random claim the redeem draws and inserts with the nonce,
-- so that a redeem whose insert committed but whose acknowledgement was lost finds its own row
-- rather than refusing its token as reused. NULL for nonces spent before this version.
ALTER TABLE omni_cart_nonce ADD COLUMN IF NOT EXISTS claim VARCHAR(36) NULL;
