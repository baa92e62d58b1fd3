package io.omni.jdbc.internal;

import io.omni.jdbc.OmniStorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema scripts shipped under {@code io/omni/jdbc/schema/}: {@code vNNN__name.sql},
 * where a file of the same name in the dialect's folder replaces the common one. Applied versions
 * are recorded in {@code omni_schema_history}; a migrating instance holds the one row of {@code
 * omni_schema_lock} with {@code SELECT … FOR UPDATE} on a connection of its own, so that instances
 * starting together migrate once, and a crashed one releases the lock with its connection.
 *
 * <p>Later state comes as further versions: add the script and its
 * {@link Migration} entry below.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final String SCHEMA_ROOT = "/io/omni/jdbc/schema/";
  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(?:\\r?\\n|$)");
  private static final int LOCK_ATTEMPTS = 120;

  /** One shipped schema version and the tables it creates. */
  public record Migration(int version, String name, List<String> tables) {
    /** The script's file name without {@code .sql}: {@code v001__identity}. */
    public String fileName() {
      return String.format(Locale.ROOT, "v%03d__%s", version, name);
    }
  }

  /** Every shipped version, in order. */
  public static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "identity", List.of("omni_profile", "omni_identifier", "omni_evidence",
          "omni_evidence_item", "omni_conflict", "omni_profile_shared")),
      new Migration(2, "events_campaigns", List.of("omni_processed_event", "omni_touchpoint", "omni_order",
          "omni_order_line", "omni_consent", "omni_campaign_run", "omni_cart_watch")),
      new Migration(3, "carts", List.of("omni_cart", "omni_cart_nonce")),
      new Migration(4, "outbox", List.of("omni_outbox")));

  private static final String CREATE_LOCK = """
      CREATE TABLE IF NOT EXISTS omni_schema_lock (
        id INT NOT NULL PRIMARY KEY
      )""";
  private static final String CREATE_HISTORY = """
      CREATE TABLE IF NOT EXISTS omni_schema_history (
        version    INT NOT NULL PRIMARY KEY,
        name       VARCHAR(100) NOT NULL,
        applied_ms BIGINT NOT NULL
      )""";
  private static final String TAKE_LOCK = """
      SELECT id FROM omni_schema_lock WHERE id = 1""";
  private static final String APPLIED = """
      SELECT version FROM omni_schema_history""";
  private static final String RECORD = """
      INSERT INTO omni_schema_history (version, name, applied_ms) VALUES (?, ?, ?)""";

  private final DataSource dataSource;
  private final SqlDialect dialect;

  /** A migrator for one database. */
  public Migrator(DataSource dataSource, SqlDialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** The text of a shipped script as this dialect runs it. */
  public static String script(SqlDialect dialect, Migration migration) {
    String own = SCHEMA_ROOT + dialect.schemaFolder() + "/" + migration.fileName() + ".sql";
    String common = SCHEMA_ROOT + migration.fileName() + ".sql";
    for (String path : List.of(own, common)) {
      try (InputStream in = Migrator.class.getResourceAsStream(path)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new OmniStorageException("could not read schema script " + path + ": " + e.getMessage(), null, e);
      }
    }
    throw new OmniStorageException("schema script " + common + " is missing from the jar", null, null);
  }

  /** Splits a script into statements: each ends with {@code ;} at the end of a line. */
  public static List<String> statements(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\\r?\\n")) {
      if (!line.strip().startsWith("--")) {
        text.append(line).append('\n');
      }
    }
    List<String> result = new ArrayList<>();
    for (String statement : STATEMENT_END.split(text)) {
      if (!statement.isBlank()) {
        result.add(statement.strip());
      }
    }
    return result;
  }

  /** Applies every missing version; returns the versions it applied. */
  public List<Integer> migrate() {
    try {
      if (missing(appliedOrNone()).isEmpty()) {
        return List.of();
      }
      createBookkeeping();
      for (int attempt = 1; ; attempt++) {
        try {
          return migrateUnderLock();
        } catch (SQLException e) {
          if (!dialect.isTransient(e) || attempt >= LOCK_ATTEMPTS) {
            throw e;
          }
          LOG.debug("waiting for another instance to finish migrating ({})", e.getMessage());
        }
      }
    } catch (SQLException e) {
      throw OmniStorageException.of("migrating the Omni schema on " + dialect + " failed: " + e.getMessage(), e);
    }
  }

  private List<Integer> migrateUnderLock() throws SQLException {
    try (Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(false);
      try {
        try (PreparedStatement take = lock.prepareStatement(TAKE_LOCK + dialect.forUpdate());
            ResultSet rs = take.executeQuery()) {
          if (!rs.next()) {
            throw new OmniStorageException("the lock row of omni_schema_lock is missing", null, null);
          }
        }
        List<Integer> applied = new ArrayList<>();
        try (Connection work = dataSource.getConnection()) {
          Set<Integer> done = applied(work);
          for (Migration migration : missing(done)) {
            apply(work, migration);
            applied.add(migration.version());
          }
        }
        lock.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        lock.rollback();
        throw e;
      }
    }
  }

  private void apply(Connection work, Migration migration) throws SQLException {
    LOG.info("applying Omni schema {} on {}", migration.fileName(), dialect);
    boolean autoCommit = work.getAutoCommit();
    work.setAutoCommit(false);
    try (Statement statement = work.createStatement()) {
      for (String sql : statements(script(dialect, migration))) {
        statement.execute(sql);
      }
      try (PreparedStatement record = work.prepareStatement(RECORD)) {
        record.setInt(1, migration.version());
        record.setString(2, migration.name());
        record.setLong(3, System.currentTimeMillis());
        record.executeUpdate();
      }
      work.commit();
    } catch (SQLException | RuntimeException e) {
      work.rollback();
      throw e;
    } finally {
      work.setAutoCommit(autoCommit);
    }
  }

  private void createBookkeeping() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute(CREATE_LOCK);
          statement.execute(CREATE_HISTORY);
        }
        try (PreparedStatement insert = connection.prepareStatement(dialect.insertIfAbsent("omni_schema_lock", "id"))) {
          insert.setInt(1, 1);
          insert.executeUpdate();
        }
        return;
      } catch (SQLException e) {
        // two instances creating the same table at once: PostgreSQL may report 23505, 42P07
        // (duplicate table) or 42710 (duplicate object: the table's row type)
        boolean race = dialect.isTransient(e) || "42P07".equals(e.getSQLState()) || "42710".equals(e.getSQLState());
        if (!race || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private Set<Integer> appliedOrNone() throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (!tables(connection).contains("omni_schema_history")) {
        return Set.of();
      }
      return applied(connection);
    }
  }

  private static Set<Integer> applied(Connection connection) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    try (PreparedStatement select = connection.prepareStatement(APPLIED); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
    return versions;
  }

  private static List<Migration> missing(Set<Integer> applied) {
    List<Migration> result = new ArrayList<>();
    for (Migration migration : MIGRATIONS) {
      if (!applied.contains(migration.version())) {
        result.add(migration);
      }
    }
    return result;
  }

  /**
   * Checks that every table of every shipped version exists, whoever created it.
   *
   * @throws OmniStorageException naming the missing tables and the scripts that create them
   */
  public void validate() {
    try (Connection connection = dataSource.getConnection()) {
      Set<String> present = tables(connection);
      Set<String> missing = new TreeSet<>();
      Set<String> scripts = new TreeSet<>();
      for (Migration migration : MIGRATIONS) {
        for (String table : migration.tables()) {
          if (!present.contains(table)) {
            missing.add(table);
            scripts.add(migration.fileName() + ".sql");
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new OmniStorageException("the Omni schema on " + dialect + " lacks tables " + missing
            + "; run " + scripts + " from io/omni/jdbc/schema/ (the " + dialect.schemaFolder()
            + "/ file where there is one) or use SchemaMode.CREATE", null, null);
      }
    } catch (SQLException e) {
      throw OmniStorageException.of("validating the Omni schema failed: " + e.getMessage(), e);
    }
  }

  /** The lower-case names of the tables in the connection's current catalog and schema. */
  static Set<String> tables(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    Set<String> names = new HashSet<>();
    try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
