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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema scripts shipped under {@code io/omni/jdbc/schema/<database>/}: {@code
 * VNNN__name.sql}, one complete copy per database ({@code h2/}, {@code postgresql/}, {@code
 * mariadb/}), so that each folder is a Flyway location as it is. Applied versions are recorded in
 * {@code omni_schema_history}; a migrating instance holds the one row of {@code omni_schema_lock}
 * with {@code SELECT … FOR UPDATE} on a connection of its own, so that instances starting together
 * migrate once, and a crashed one releases the lock with its connection.
 *
 * <p>{@link #validate()} checks a schema made by anyone (this migrator, Flyway, a DBA): every
 * version recorded, where a history records Omni's scripts, and every table and column the scripts
 * create and no later script drops, read from the database's metadata.
 *
 * <p>About 445 lines on purpose: applying, locking, validating and the script parser share one
 * notion of a migration and its statements, and split apart each would be read against the others.
 *
 * <p>Later state comes as further versions: add {@code VNNN__name.sql} to each database's folder
 * and its {@link Migration} entry below (omni-jdbc's README: "To add a migration").
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final String SCHEMA_ROOT = "io/omni/jdbc/schema/";
  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*(?:\\r?\\n|$)");
  private static final int LOCK_ATTEMPTS = 120;
  /** The history table Flyway keeps unless told otherwise. */
  static final String FLYWAY_HISTORY = "flyway_schema_history";

  /** One shipped schema version. */
  public record Migration(int version, String name) {
    /** The script's file name without {@code .sql}: {@code V001__identity}. */
    public String fileName() {
      return String.format(Locale.ROOT, "V%03d__%s", version, name);
    }
  }

  /** Every shipped version, in order. */
  public static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "identity"),
      new Migration(2, "events_campaigns"),
      new Migration(3, "carts"),
      new Migration(4, "outbox"),
      new Migration(5, "idempotent_events"),
      new Migration(6, "retention"),
      new Migration(7, "change_feed"),
      new Migration(8, "corrections"),
      new Migration(9, "type_counts"),
      new Migration(10, "campaign_retention"),
      new Migration(11, "profile_type_counts"),
      new Migration(12, "nonce_claim"),
      new Migration(13, "owed_carries"));

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
  private final int upTo;

  /** A migrator for one database. */
  public Migrator(DataSource dataSource, SqlDialect dialect) {
    this(dataSource, dialect, Integer.MAX_VALUE);
  }

  /**
   * A migrator that applies the shipped versions up to {@code upTo} only: a database left at an
   * earlier version, as an upgrade test or a staged rollout needs it.
   */
  public Migrator(DataSource dataSource, SqlDialect dialect, int upTo) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.upTo = upTo;
  }

  /**
   * Where this dialect's scripts are, as a Flyway location: {@code
   * classpath:io/omni/jdbc/schema/postgresql}.
   */
  public static String location(SqlDialect dialect) {
    return "classpath:" + SCHEMA_ROOT + dialect.schemaFolder();
  }

  /** The text of a shipped script of this dialect. */
  public static String script(SqlDialect dialect, Migration migration) {
    String path = "/" + SCHEMA_ROOT + dialect.schemaFolder() + "/" + migration.fileName() + ".sql";
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new OmniStorageException("schema script " + path + " is missing from the jar", null, null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OmniStorageException("could not read schema script " + path + ": " + e.getMessage(), null, e);
    }
  }

  /**
   * For each version, in order, the tables the versions after it drop: one pass from the last
   * version back, each script read once.
   */
  private static List<Set<String>> droppedAfter(SqlDialect dialect) {
    List<Set<String>> after = new ArrayList<>(MIGRATIONS.size());
    Set<String> dropped = new HashSet<>();
    for (int m = MIGRATIONS.size() - 1; m >= 0; m--) {
      after.add(0, Set.copyOf(dropped));
      dropped.addAll(SchemaShape.droppedTables(script(dialect, MIGRATIONS.get(m))));
    }
    return after;
  }

  /** The tables and columns (lower case) that this dialect's script of a version creates. */
  public static Map<String, Set<String>> shape(SqlDialect dialect, Migration migration) {
    return SchemaShape.of(script(dialect, migration));
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
        try {
          statement.execute(sql);
        } catch (SQLException e) {
          if (!dialect.existsAlready(e)) {
            throw e;
          }
          LOG.debug("{} exists already: {}", migration.fileName(), e.getMessage());
        }
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

  private List<Migration> missing(Set<Integer> applied) {
    List<Migration> result = new ArrayList<>();
    for (Migration migration : MIGRATIONS) {
      if (migration.version() <= upTo && !applied.contains(migration.version())) {
        result.add(migration);
      }
    }
    return result;
  }

  /**
   * Checks a schema made by anyone: every table and column the shipped scripts create is there
   * (read from the database's metadata), and, where {@code omni_schema_history} or Flyway's {@code
   * flyway_schema_history} records Omni's scripts, every version is recorded.
   *
   * @throws OmniStorageException naming the missing versions, tables and columns, the scripts that
   *     make them and where they are
   */
  public void validate() {
    List<String> problems = new ArrayList<>();
    Set<Migration> toRun = new LinkedHashSet<>();
    try (Connection connection = dataSource.getConnection()) {
      Map<String, Set<String>> present = columns(connection);
      Optional<Set<Integer>> recorded = recordedVersions(connection, present.keySet());
      List<Set<String>> droppedAfter = droppedAfter(dialect);
      for (int m = 0; m < MIGRATIONS.size(); m++) {
        Migration migration = MIGRATIONS.get(m);
        String script = migration.fileName() + ".sql";
        Set<String> droppedLater = droppedAfter.get(m);
        if (recorded.isPresent() && !recorded.get().contains(migration.version())) {
          problems.add("version " + migration.version() + " (" + script + ") is not recorded as applied");
          toRun.add(migration);
        }
        for (Map.Entry<String, Set<String>> table : shape(dialect, migration).entrySet()) {
          if (droppedLater.contains(table.getKey())) {
            continue; // a later version replaced it (version 11 drops version 9's omni_type_count)
          }
          Set<String> columns = present.get(table.getKey());
          if (columns == null) {
            problems.add("table " + table.getKey() + " (" + script + ") is missing");
            toRun.add(migration);
            continue;
          }
          for (String column : table.getValue()) {
            if (!columns.contains(column)) {
              problems.add("column " + table.getKey() + "." + column + " (" + script + ") is missing");
              toRun.add(migration);
            }
          }
        }
      }
    } catch (SQLException e) {
      throw OmniStorageException.of("validating the Omni schema failed: " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      int latest = MIGRATIONS.get(MIGRATIONS.size() - 1).version();
      List<String> scripts = toRun.stream().map(m -> m.fileName() + ".sql").toList();
      String shown = problems.size() <= 12 ? String.join("; ", problems)
          : String.join("; ", problems.subList(0, 12)) + "; and " + (problems.size() - 12) + " more";
      throw new OmniStorageException("the Omni schema on " + dialect + " is not at version " + latest + ": "
          + shown + ". Run " + scripts + " from " + location(dialect)
          + " (with Flyway: add that location to Flyway's locations), or use SchemaMode.CREATE", null, null);
    }
  }

  /**
   * The versions of Omni's scripts recorded as applied by this migrator or by Flyway, or empty
   * when neither history records any (the scripts were run some other way: the columns decide).
   */
  private Optional<Set<Integer>> recordedVersions(Connection connection, Set<String> tables) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    boolean any = false;
    if (tables.contains("omni_schema_history")) {
      versions.addAll(applied(connection));
      any = true;
    }
    if (tables.contains(FLYWAY_HISTORY)) {
      Set<Integer> flyway = flywayVersions(connection);
      any |= !flyway.isEmpty();
      versions.addAll(flyway);
    }
    return any ? Optional.of(versions) : Optional.empty();
  }

  /** The versions of Omni's scripts that Flyway's history records as applied successfully. */
  private static Set<Integer> flywayVersions(Connection connection) throws SQLException {
    Map<String, Integer> byScript = new HashMap<>();
    for (Migration migration : MIGRATIONS) {
      byScript.put((migration.fileName() + ".sql").toLowerCase(Locale.ROOT), migration.version());
    }
    // Flyway quotes its names (lower-case even on H2): quote them the same way to find them
    String q = connection.getMetaData().getIdentifierQuoteString().strip();
    String table = exactName(connection, FLYWAY_HISTORY);
    Set<Integer> versions = new HashSet<>();
    try (Statement select = connection.createStatement();
        ResultSet rs = select.executeQuery("SELECT " + q + "script" + q + ", " + q + "success" + q
            + " FROM " + q + table + q)) {
      while (rs.next()) {
        String script = rs.getString(1);
        String file = script == null ? "" : script.substring(script.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (rs.getBoolean(2) && byScript.containsKey(file)) {
          versions.add(byScript.get(file));
        }
      }
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
    return versions;
  }

  private static String exactName(Connection connection, String lowerCase) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equalsIgnoreCase(lowerCase)) {
          return rs.getString("TABLE_NAME");
        }
      }
    }
    return lowerCase;
  }

  /** The lower-case names of the columns of each table in the connection's catalog and schema. */
  static Map<String, Set<String>> columns(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    Map<String, Set<String>> columns = new HashMap<>();
    for (String table : tables(connection)) {
      columns.put(table, new HashSet<>());
    }
    try (ResultSet rs = meta.getColumns(connection.getCatalog(), connection.getSchema(), "%", "%")) {
      while (rs.next()) {
        Set<String> of = columns.get(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        if (of != null) {
          of.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return columns;
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
