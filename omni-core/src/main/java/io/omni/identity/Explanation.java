package io.omni.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why two identifiers belong to one profile: the shortest chain of evidence that joins them. Each
 * step is one event in which identifiers were seen together; consecutive steps share an
 * identifier.
 *
 * <pre>{@code
 * ids.explain(Identifier.cookie("c-81"), Identifier.phone("+79161234567"))
 *    .ifPresent(why -> why.steps().forEach(System.out::println));
 * // Step[eventId=evt-1, channel=web, at=…, identifiers=[cookie:c-81, email:ann@example.com]]
 * // Step[eventId=evt-7, channel=call-center, at=…, identifiers=[email:ann@example.com, phone:+79161234567]]
 * }</pre>
 *
 * <p>Operator corrections show here too. A {@link Correction.Kind#JOIN} on the chain is a step
 * of its own (channel {@code "omni:correction:<id>"}, event id {@code "correction-<id>"}) and is
 * named in {@link #corrections()} with its author and reason. When the two identifiers are in
 * different profiles because an active {@link Correction.Kind#SEPARATE} keeps them apart, the
 * explanation has no step and names that separation ({@link #separated()}).
 *
 * @param from the identifier the chain starts at
 * @param to the identifier the chain ends at
 * @param steps the evidence, from {@code from} to {@code to}; empty when they are equal or kept
 *     apart
 * @param corrections the active corrections that decide it: the joins on the chain, in chain
 *     order, or the separations that keep the two profiles apart, by id
 */
public record Explanation(Identifier from, Identifier to, List<Step> steps, List<Correction> corrections) {

  /** Copies the steps and the corrections. */
  public Explanation {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    steps = List.copyOf(steps);
    corrections = List.copyOf(corrections);
  }

  /** A chain of evidence that no correction decided. */
  public Explanation(Identifier from, Identifier to, List<Step> steps) {
    this(from, to, steps, List.of());
  }

  /**
   * Whether the two identifiers are in different profiles because an active separation keeps
   * them apart: there is no step, and {@link #corrections()} names the separations.
   */
  public boolean separated() {
    return steps.isEmpty() && !from.equals(to) && !corrections.isEmpty();
  }

  /**
   * One piece of evidence: these identifiers were seen together in one event.
   *
   * @param eventId the event's id, given by the caller or generated
   * @param channel the channel the event came from
   * @param at when it happened
   * @param identifiers the identifiers the event joined
   */
  public record Step(String eventId, String channel, Instant at, List<Identifier> identifiers) {
    /** Copies the identifiers. */
    public Step {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(at, "at");
      identifiers = List.copyOf(identifiers);
    }
  }
}
