package io.omni.jdbc.internal;

/** The statement text of {@link JdbcEventStore}, which every database runs as it is. */
final class EventSql {
  private EventSql() {
  }

  static final String MARK = """
      INSERT INTO omni_processed_event (event_id, at_ms) VALUES (?, ?)""";
  static final String PROCESSED = """
      SELECT 1 FROM omni_processed_event WHERE event_id = ?""";
  static final String HAS_TOUCHPOINT = """
      SELECT 1 FROM omni_touchpoint WHERE event_id = ?""";
  static final String LAST_TOUCHPOINT = """
      SELECT MAX(seq) FROM omni_touchpoint WHERE profile = ?""";
  static final String INSERT_TOUCHPOINT = """
      INSERT INTO omni_touchpoint (profile, seq, event_id, channel, event_type, at_ms, at_ns, attributes)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
  static final String TOUCHPOINTS = """
      SELECT event_id, channel, event_type, at_ms, at_ns, attributes FROM omni_touchpoint
      WHERE profile = ? ORDER BY seq""";
  static final String LAST_ORDER = """
      SELECT MAX(seq) FROM omni_order WHERE profile = ?""";
  static final String INSERT_ORDER = """
      INSERT INTO omni_order (profile, seq, order_id, placed_by, channel, at_ms, at_ns)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  static final String ORDER_BY_ID = """
      SELECT o.id, o.order_id, o.placed_by, o.channel, o.at_ms, o.at_ns,
             l.pos, l.sku, l.variant, l.attributes, l.quantity
      FROM omni_order o LEFT JOIN omni_order_line l ON l.order_ref = o.id
      WHERE o.order_id = ? ORDER BY l.pos""";
  static final String ORDER_REF = """
      SELECT id FROM omni_order WHERE profile = ? AND seq = ?""";
  static final String INSERT_ORDER_LINE = """
      INSERT INTO omni_order_line (order_ref, pos, sku, variant, attributes, quantity) VALUES (?, ?, ?, ?, ?, ?)""";
  static final String ORDERS = """
      SELECT o.id, o.order_id, o.placed_by, o.channel, o.at_ms, o.at_ns,
             l.pos, l.sku, l.variant, l.attributes, l.quantity
      FROM omni_order o LEFT JOIN omni_order_line l ON l.order_ref = o.id
      WHERE o.profile = ? ORDER BY o.seq, l.pos""";
  static final String DELETE_CONSENT = """
      DELETE FROM omni_consent WHERE profile = ? AND channel = ?""";
  static final String INSERT_CONSENT = """
      INSERT INTO omni_consent (profile, channel, granted, at_ms, at_ns, source) VALUES (?, ?, ?, ?, ?, ?)""";
  static final String CONSENT_OF_CHANNEL = """
      SELECT channel, granted, at_ms, at_ns, source FROM omni_consent WHERE profile = ? AND channel = ?""";
  static final String UPDATE_CONSENT = """
      UPDATE omni_consent SET granted = ?, at_ms = ?, at_ns = ?, source = ? WHERE profile = ? AND channel = ?""";
  static final String CONSENTS = """
      SELECT channel, granted, at_ms, at_ns, source FROM omni_consent WHERE profile = ? ORDER BY channel""";
  static final String REKEY_TOUCHPOINTS = """
      UPDATE omni_touchpoint SET profile = ?, seq = seq + ? WHERE profile = ?""";
  static final String REKEY_ORDERS = """
      UPDATE omni_order SET profile = ?, seq = seq + ? WHERE profile = ?""";
  static final String DROP_CONSENTS = """
      DELETE FROM omni_consent WHERE profile = ?""";
  static final String TOUCHPOINTS_HOLDING = """
      SELECT profile, seq, event_id, channel, event_type, at_ms, at_ns, attributes FROM omni_touchpoint
      WHERE LOWER(attributes) LIKE ? ESCAPE '!'""";
  static final String UPDATE_ATTRIBUTES = """
      UPDATE omni_touchpoint SET attributes = ? WHERE profile = ? AND seq = ?""";
  // retention: omni.prune(now); the time conditions use the at_ms indexes of v006
  static final String MARKED_BEFORE = "at_ms < ?";
  static final String HAPPENED_BEFORE = "at_ms < ? OR (at_ms = ? AND at_ns < ?)";
  static final String JOURNEYS_LONGER_THAN = """
      SELECT profile FROM omni_touchpoint GROUP BY profile HAVING COUNT(*) > ?""";
  static final String TOUCHPOINTS_LATEST_FIRST = """
      SELECT seq FROM omni_touchpoint WHERE profile = ? ORDER BY at_ms DESC, at_ns DESC, seq DESC""";
  static final String DELETE_TOUCHPOINT = """
      DELETE FROM omni_touchpoint WHERE profile = ? AND seq = ?""";
}
