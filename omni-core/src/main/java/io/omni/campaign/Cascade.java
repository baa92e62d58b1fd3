package io.omni.campaign;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The order in which a campaign tries channels: the first step's message goes out, its window
 * passes without the customer converting, the next step's goes out, and so on. Steps whose
 * channel the customer refused or cannot be reached in are skipped.
 *
 * <pre>{@code
 * Cascade cascade = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)), step("viber", ofHours(24)));
 * Cascade cheap = Cascade.cheapestFirst(step("sms", ofHours(24)), step("email", ofHours(24)));  // email, then sms
 * }</pre>
 *
 * @param steps the steps as given, at least one, each channel at most once
 * @param cheapestFirst whether the steps run ordered by the cost per message of their channels
 *     (ties keep the given order) rather than as given; the costs are those of the Omni the
 *     campaign starts in
 */
public record Cascade(List<CascadeStep> steps, boolean cheapestFirst) {

  /** Checks the steps. */
  public Cascade {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a cascade needs at least one step");
    }
    Set<String> seen = new HashSet<>();
    for (CascadeStep step : steps) {
      if (!seen.add(step.channel())) {
        throw new IllegalArgumentException("cascade lists channel " + step.channel() + " twice");
      }
    }
  }

  /** The steps in the order given. */
  public static Cascade of(CascadeStep... steps) {
    Objects.requireNonNull(steps, "steps");
    return new Cascade(List.of(steps), false);
  }

  /** The steps ordered by the cost per message of their channels, cheapest first. */
  public static Cascade cheapestFirst(CascadeStep... steps) {
    Objects.requireNonNull(steps, "steps");
    return new Cascade(List.of(steps), true);
  }
}
