package io.omni.jdbc;

import io.omni.OmniException;
import java.sql.SQLException;

/**
 * The database refused or failed a storage operation. Carries the SQLState of the underlying
 * {@link SQLException} (when there was one) so that callers can tell a lost connection
 * ({@code 08…}) from a constraint ({@code 23…}) without reading the message.
 */
public class OmniStorageException extends OmniException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  /**
   * Creates the exception.
   *
   * @param message what was being done, naming the table or setting involved
   * @param sqlState the SQLState reported by the database, or {@code null}
   * @param cause the database's exception, or {@code null}
   */
  public OmniStorageException(String message, String sqlState, Throwable cause) {
    super(sqlState == null ? message : message + " (SQLState " + sqlState + ")", cause);
    this.sqlState = sqlState;
  }

  /** Wraps a database exception, keeping its SQLState. */
  public static OmniStorageException of(String message, SQLException cause) {
    return new OmniStorageException(message, cause.getSQLState(), cause);
  }

  /** The SQLState of the failure, or {@code null} when it did not come from the database. */
  public String sqlState() {
    return sqlState;
  }
}
