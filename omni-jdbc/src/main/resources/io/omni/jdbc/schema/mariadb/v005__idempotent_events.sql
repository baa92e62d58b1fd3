-- Omni events, version 5, for MariaDB/MySQL. Replaces ../v005__idempotent_events.sql: MariaDB
-- deletes with a join instead of a subquery on the table it deletes from.

DELETE l FROM omni_order_line l
  JOIN omni_order o ON l.order_ref = o.id
  JOIN omni_order earlier ON earlier.order_id = o.order_id AND earlier.id < o.id;
DELETE o FROM omni_order o
  JOIN omni_order earlier ON earlier.order_id = o.order_id AND earlier.id < o.id;
CREATE UNIQUE INDEX IF NOT EXISTS omni_order_order_id ON omni_order (order_id);

DELETE t FROM omni_touchpoint t
  JOIN omni_touchpoint earlier ON earlier.event_id = t.event_id
    AND (earlier.profile < t.profile OR earlier.profile = t.profile AND earlier.seq < t.seq);
CREATE UNIQUE INDEX IF NOT EXISTS omni_touchpoint_event_id ON omni_touchpoint (event_id);
