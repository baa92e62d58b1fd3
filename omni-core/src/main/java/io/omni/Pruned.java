package io.omni;

/**
 * What one {@link Omni#prune(java.time.Instant)} removed.
 *
 * @param processedEvents how many processed event ids were forgotten: a later delivery of one of
 *     those events is applied again
 * @param touchpoints how many touchpoints left the journeys, by age and by the limit per profile
 * @param changes how many entries of the change feed were older than the change retention
 * @param campaignRuns how many campaign runs had ended longer ago than the campaign retention;
 *     their outbox entries went with them
 */
public record Pruned(long processedEvents, long touchpoints, long changes, long campaignRuns) {

  /** What a prune removed when it removed no campaign run. */
  public Pruned(long processedEvents, long touchpoints, long changes) {
    this(processedEvents, touchpoints, changes, 0);
  }

  /** What a prune removed when it removed no entry of the change feed and no campaign run. */
  public Pruned(long processedEvents, long touchpoints) {
    this(processedEvents, touchpoints, 0, 0);
  }
}
