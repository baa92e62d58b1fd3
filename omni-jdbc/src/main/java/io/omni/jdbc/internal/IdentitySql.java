package io.omni.jdbc.internal;

/**
 * The statement text of the identity store that every database runs as it is; what differs per
 * database (finding a batch of identifiers, reserving profile numbers, bulk inserts, writing type
 * counts) is a method of {@link SqlDialect}, with its text in the dialect. See {@code
 * V001__identity.sql} for the tables and {@code V011__profile_type_counts.sql} for {@code
 * omni_profile.type_counts} ({@link TypeCountText}).
 */
final class IdentitySql {
  private IdentitySql() {
  }

  static final String FIND = """
      SELECT id, profile, conflicts, shared FROM omni_identifier WHERE id_type = ? AND id_value = ?""";
  /** Identifier rows by row id; the caller appends the condition on {@code id}. */
  static final String ROWS = "SELECT id, profile, conflicts, shared FROM omni_identifier WHERE ";
  /** Locks a profile's row and reads its type counts in the same round trip. */
  static final String LOCK_PROFILE = """
      SELECT id, alias_of, type_counts FROM omni_profile WHERE id = ?""";
  static final String PROFILE_ROW = """
      SELECT created_ms, alias_of FROM omni_profile WHERE id = ?""";
  static final String MEMBERS = """
      SELECT id, id_type, id_value, conflicts, shared FROM omni_identifier WHERE profile = ? ORDER BY id""";
  static final String MERGED_FROM = """
      SELECT id FROM omni_profile WHERE alias_of = ? ORDER BY id""";
  /** The aliases of some profiles, on the alias_of index; the caller appends the condition on it. */
  static final String ALIASES_OF = "SELECT id, alias_of FROM omni_profile WHERE ";
  static final String CONFLICTS = """
      SELECT i.id_type, i.id_value, c.kind, c.event_id, c.at_ms
      FROM omni_conflict c JOIN omni_identifier i ON i.id = c.identifier
      WHERE c.profile = ? ORDER BY c.id""";
  static final String SHARED = """
      SELECT i.id_type, i.id_value
      FROM omni_profile_shared s JOIN omni_identifier i ON i.id = s.identifier
      WHERE s.profile = ? ORDER BY s.identifier""";
  static final String EVIDENCE_COLUMNS = """
      SELECT e.seq, e.event_id, e.channel, e.at_ms, e.accepted, i.id_type, i.id_value
      FROM omni_evidence e
      JOIN omni_evidence_item it ON it.seq = e.seq
      JOIN omni_identifier i ON i.id = it.identifier
      """;
  static final String EVIDENCE_OF_PROFILE = EVIDENCE_COLUMNS + """
      WHERE e.seq IN (SELECT it2.seq FROM omni_evidence_item it2
                      JOIN omni_identifier i2 ON i2.id = it2.identifier WHERE i2.profile = ?)
      ORDER BY e.seq, it.pos""";
  static final String EVIDENCE_OF_EVENT = EVIDENCE_COLUMNS + """
      WHERE e.event_id = ?
      ORDER BY e.seq, it.pos""";
  static final String ALL_EVIDENCE = EVIDENCE_COLUMNS + """
      ORDER BY e.seq, it.pos""";
  static final String LIVE_PROFILES = """
      SELECT p.id FROM omni_profile p
      WHERE p.alias_of IS NULL AND EXISTS (SELECT 1 FROM omni_identifier i WHERE i.profile = p.id)
      ORDER BY p.id""";
  static final String STATS = """
      SELECT (SELECT COUNT(*) FROM omni_identifier),
             (SELECT COUNT(DISTINCT profile) FROM omni_identifier),
             (SELECT COUNT(*) FROM omni_evidence),
             (SELECT COUNT(*) FROM omni_identifier WHERE shared = TRUE)""";
  static final String PHONES_OF = """
      SELECT id_value FROM omni_identifier WHERE profile = ? AND id_type = ?""";
  /**
   * Type counts of profiles a transaction holds locked but whose counts it dropped; the caller
   * appends the condition on {@code id}. See {@code V011__profile_type_counts.sql}: kept by {@link
   * HeldBackWrites#flush} and the rare writes.
   */
  static final String TYPE_COUNTS_OF = "SELECT id, type_counts FROM omni_profile WHERE ";
  static final String SET_TYPE_COUNTS = """
      UPDATE omni_profile SET type_counts = ? WHERE id = ?""";
  static final String INSERT_PROFILE = """
      INSERT INTO omni_profile (created_ms) VALUES (?)""";
  static final String INSERT_IDENTIFIER = """
      INSERT INTO omni_identifier (id_type, id_value, profile, conflicts, shared) VALUES (?, ?, ?, 0, FALSE)""";
  static final String MOVE_MEMBERS = """
      UPDATE omni_identifier SET profile = ? WHERE profile = ?""";
  // two statements, each on an index: with "id = ? OR alias_of = ?" H2 scanned the table and
  // waited for rows other writers had locked, a deadlock it only broke by its lock timeout
  // a profile merged away holds no counts: its survivor counts its members
  static final String MAKE_ALIAS = """
      UPDATE omni_profile SET alias_of = ?, type_counts = NULL WHERE id = ?""";
  static final String MOVE_ALIASES = """
      UPDATE omni_profile SET alias_of = ? WHERE alias_of = ?""";
  static final String INSERT_EVIDENCE = """
      INSERT INTO omni_evidence (event_id, channel, at_ms, accepted) VALUES (?, ?, ?, ?)""";
  static final String INSERT_ITEM = """
      INSERT INTO omni_evidence_item (seq, pos, identifier) VALUES (?, ?, ?)""";
  static final String LOCK_PROFILES = "SELECT id, alias_of, type_counts FROM omni_profile WHERE ";
  /** Dates a profile row reserved ahead and gives it its first type counts. */
  static final String SET_CREATED = """
      UPDATE omni_profile SET created_ms = ?, type_counts = ? WHERE id = ?""";
  static final String DELETE_PROFILE = """
      DELETE FROM omni_profile WHERE id = ?""";
  static final String SET_ACCEPTED = """
      UPDATE omni_evidence SET accepted = ? WHERE seq = ?""";
  static final String DELETE_ITEMS = """
      DELETE FROM omni_evidence_item WHERE seq = ?""";
  static final String DELETE_EVIDENCE = """
      DELETE FROM omni_evidence WHERE seq = ?""";
  static final String COUNT_CONFLICT = """
      UPDATE omni_identifier SET conflicts = CASE WHEN conflicts < 127 THEN conflicts + 1 ELSE 127 END
      WHERE id = ?""";
  static final String CONFLICT_COUNT = """
      SELECT conflicts FROM omni_identifier WHERE id = ?""";
  static final String INSERT_CONFLICT = """
      INSERT INTO omni_conflict (profile, identifier, kind, event_id, at_ms) VALUES (?, ?, ?, ?, ?)""";
  static final String MARK_SHARED = """
      UPDATE omni_identifier SET shared = TRUE WHERE id = ?""";
  static final String DELETE_CONFLICTS_OF = """
      DELETE FROM omni_conflict WHERE identifier = ?""";
  static final String DELETE_SHARED_OF = """
      DELETE FROM omni_profile_shared WHERE identifier = ?""";
  static final String DELETE_IDENTIFIER = """
      DELETE FROM omni_identifier WHERE id = ?""";
  static final String REASSIGN = """
      UPDATE omni_identifier SET profile = ? WHERE id_type = ? AND id_value = ?""";
  /** See {@link IdentifierCache}: a forget or a split tells the caches of every instance. */
  static final String BUMP_EPOCH = """
      UPDATE omni_identity_epoch SET epoch = epoch + 1 WHERE id = 1""";
  static final String EPOCH = """
      SELECT epoch FROM omni_identity_epoch WHERE id = 1""";
}
