package io.omni;

/**
 * What one {@link Omni#prune(java.time.Instant)} removed.
 *
 * @param processedEvents how many processed event ids were forgotten: a later delivery of one of
 *     those events is applied again
 * @param touchpoints how many touchpoints left the journeys, by age and by the limit per profile
 */
public record Pruned(long processedEvents, long touchpoints) {}
