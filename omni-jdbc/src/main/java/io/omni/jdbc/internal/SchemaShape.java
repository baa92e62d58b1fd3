package io.omni.jdbc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables and columns a shipped script makes, read from its {@code CREATE TABLE} and {@code
 * ALTER TABLE … ADD [COLUMN] …} / {@code DROP [COLUMN] …} statements, so that {@link
 * Migrator#validate()} checks exactly what the scripts create and a new script needs no second list
 * kept beside it.
 */
final class SchemaShape {
  private static final Pattern CREATE = Pattern.compile(
      "(?is)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s*\\((.*)\\)[^)]*");
  private static final Pattern ADD = Pattern.compile(
      "(?is)ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)\\s+ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s.*");
  private static final Pattern DROP = Pattern.compile(
      "(?is)ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)\\s+DROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?(\\w+)\\s*");
  private static final Pattern DROP_TABLE = Pattern.compile(
      "(?is)DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)\\s*");
  /** Words that open a table constraint rather than a column. */
  private static final Set<String> NOT_COLUMNS = Set.of("constraint", "primary", "unique", "key", "index",
      "foreign", "check", "fulltext", "spatial");
  /** Words after ADD that add something other than a column. */
  private static final Set<String> NOT_ADDED_COLUMNS = Set.of("constraint", "primary", "unique", "key", "index",
      "foreign", "check");

  private SchemaShape() {}

  /**
   * Table → columns (lower case, in script order) that the script creates and leaves: a table it
   * drops ({@code DROP TABLE}) after making it is not in the shape.
   */
  static Map<String, Set<String>> of(String script) {
    Map<String, Set<String>> shape = new LinkedHashMap<>();
    for (String statement : Migrator.statements(script)) {
      Matcher create = CREATE.matcher(statement);
      if (create.matches()) {
        Set<String> columns = shape.computeIfAbsent(lower(create.group(1)), t -> new LinkedHashSet<>());
        for (String element : topLevel(create.group(2))) {
          String first = element.strip().split("\\s+", 2)[0];
          if (!first.isEmpty() && !NOT_COLUMNS.contains(lower(first))) {
            columns.add(lower(first));
          }
        }
        continue;
      }
      Matcher add = ADD.matcher(statement);
      if (add.matches() && !NOT_ADDED_COLUMNS.contains(lower(add.group(2)))) {
        shape.computeIfAbsent(lower(add.group(1)), t -> new LinkedHashSet<>()).add(lower(add.group(2)));
        continue;
      }
      Matcher dropTable = DROP_TABLE.matcher(statement);
      if (dropTable.matches()) {
        shape.remove(lower(dropTable.group(1)));
        continue;
      }
      Matcher drop = DROP.matcher(statement);
      if (drop.matches() && !NOT_ADDED_COLUMNS.contains(lower(drop.group(2)))) {
        Set<String> columns = shape.get(lower(drop.group(1)));
        if (columns != null) {
          columns.remove(lower(drop.group(2)));
        }
      }
    }
    return shape;
  }

  /**
   * The tables (lower case) the script drops with {@code DROP TABLE}: a later version's script
   * that drops a table an earlier one made tells {@link Migrator#validate()} not to look for it.
   */
  static Set<String> droppedTables(String script) {
    Set<String> dropped = new LinkedHashSet<>();
    for (String statement : Migrator.statements(script)) {
      Matcher drop = DROP_TABLE.matcher(statement);
      if (drop.matches()) {
        dropped.add(lower(drop.group(1)));
      }
    }
    return dropped;
  }

  /** The comma-separated parts of a table body, splitting only outside parentheses. */
  private static List<String> topLevel(String body) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(body.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(body.substring(from));
    return parts;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
