package io.omni.internal;

/**
 * What Omni reports as it works, for a metrics binding ({@code io.omni.OmniMetrics} binds it to
 * Micrometer). Every method does nothing by default; each is called after the work it reports has
 * committed, on the caller's thread, and must be cheap and must not throw.
 */
public interface Metrics {
  /** Reports nothing. */
  Metrics NONE = new Metrics() {};

  /** Links applied (a batch counts each of its links). */
  default void linked(int links) {}

  /** Profiles merged into others. */
  default void merged(int merges) {}

  /** Identifiers the guards held back from a link, and identifiers newly marked shared. */
  default void conflicts(int conflicts, int sharedMarks) {}

  /** An identifier forgotten. */
  default void forgot() {}

  /** An event (or a batch of events) taken in, and how long it took. */
  default void ingested(String channel, long nanos) {}

  /** An event (or a batch) refused or failed, by the simple name of the exception. */
  default void ingestFailed(String channel, String exception) {}

  /** A campaign message handed to its channel's sender. */
  default void sent(String channel) {}

  /** A campaign message whose sender threw. */
  default void sendFailed(String channel) {}

  /**
   * What one sweep of the owed merge carries did ({@code campaigns().advance}): merges it carried
   * that their own write had not, and merges whose carrying failed again (postponed).
   */
  default void owedCarries(int carried, int failed) {}
}
