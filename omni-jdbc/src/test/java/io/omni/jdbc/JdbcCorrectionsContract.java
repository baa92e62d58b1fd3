package io.omni.jdbc;

import io.omni.spi.OmniStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The corrections contract on a database, on the shipped schema; each test gets a fresh database. */
abstract class JdbcCorrectionsContract extends CorrectionsContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);
  private DataSource source;

  abstract Dialect dialect();

  @Override
  OmniStore newStore() {
    source = db.pool(3);
    return JdbcStore.builder(source).build();
  }

  /** What the SPI reads, plus the rows of the identity tables and the corrections holding the value. */
  @Override
  long rowsHolding(OmniStore store, String value) {
    List<String> queries = List.of(
        "SELECT COUNT(*) FROM omni_identifier WHERE id_value = ?",
        "SELECT COUNT(*) FROM omni_correction WHERE a_value = ? OR b_value = ?",
        "SELECT COUNT(*) FROM omni_evidence_item it JOIN omni_identifier i ON i.id = it.identifier WHERE i.id_value = ?",
        "SELECT COUNT(*) FROM omni_correction WHERE reason LIKE ? ");
    long rows = super.rowsHolding(store, value);
    try (Connection c = source.getConnection()) {
      for (String q : queries) {
        try (PreparedStatement s = c.prepareStatement(q)) {
          int marks = (int) q.chars().filter(ch -> ch == '?').count();
          for (int k = 1; k <= marks; k++) {
            s.setString(k, q.contains("LIKE") ? "%" + value + "%" : value);
          }
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            rows += rs.getLong(1);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }
}
