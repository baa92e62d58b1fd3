-- Omni carts, version 3, for H2. A Flyway location as it is (classpath:io/omni/jdbc/schema/h2);
-- Omni's own migrator runs the same file. Every statement is idempotent (IF NOT EXISTS).

-- One cart per profile id: the CRDT state as JSON (io.omni.json.OmniModule's form), the optimistic
-- version (1 for the first save), the survivor it was folded into (NULL while active), and the ids
-- of the identity merges already folded into it (a JSON array) so that a replay is not summed twice.
CREATE TABLE IF NOT EXISTS omni_cart (
  profile        VARCHAR(255) NOT NULL PRIMARY KEY,
  version        BIGINT NOT NULL,
  merged_into    VARCHAR(255) NULL,
  state          TEXT NOT NULL,
  applied_merges TEXT NOT NULL
);

-- Consumed hand-off token nonces: the primary key makes each usable once across instances.
CREATE TABLE IF NOT EXISTS omni_cart_nonce (
  nonce      VARCHAR(255) NOT NULL PRIMARY KEY,
  expires_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS omni_cart_nonce_expires ON omni_cart_nonce (expires_ms);
