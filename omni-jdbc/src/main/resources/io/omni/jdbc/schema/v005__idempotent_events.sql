-- Omni events, version 5: idempotent appends. PostgreSQL and H2 run this file; MariaDB/MySQL run
-- mariadb/v005__idempotent_events.sql instead.
-- An event's processed mark is written after its effects, so an ingest retried after a failure
-- midway appends its touchpoint and order again: these unique keys make the second append find the
-- first. Orders are one per shop order id, whichever path brought them (an ORDER event or
-- carts().checkout); copies of an order id stored before this version are dropped, keeping the first.

DELETE FROM omni_order_line WHERE order_ref IN (
  SELECT o.id FROM omni_order o WHERE EXISTS (
    SELECT 1 FROM omni_order earlier WHERE earlier.order_id = o.order_id AND earlier.id < o.id));
DELETE FROM omni_order WHERE id IN (
  SELECT o.id FROM omni_order o WHERE EXISTS (
    SELECT 1 FROM omni_order earlier WHERE earlier.order_id = o.order_id AND earlier.id < o.id));
CREATE UNIQUE INDEX IF NOT EXISTS omni_order_order_id ON omni_order (order_id);

DELETE FROM omni_touchpoint WHERE EXISTS (
  SELECT 1 FROM omni_touchpoint earlier WHERE earlier.event_id = omni_touchpoint.event_id
    AND (earlier.profile < omni_touchpoint.profile
      OR earlier.profile = omni_touchpoint.profile AND earlier.seq < omni_touchpoint.seq));
CREATE UNIQUE INDEX IF NOT EXISTS omni_touchpoint_event_id ON omni_touchpoint (event_id);
