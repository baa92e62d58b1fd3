package io.omni;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.omni.internal.Metrics;
import io.omni.spi.OmniStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Omni's meters in a Micrometer {@link MeterRegistry}. Micrometer is an optional dependency of
 * omni-core: without it on the class path this class is never loaded and Omni works the same.
 *
 * <pre>{@code
 * new OmniMetrics(omni).bindTo(registry);   // in Spring Boot: return it from a @Bean method
 * }</pre>
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@code omni.identity.links}</td><td>counter</td><td></td><td>links asked for (a batch counts each)</td></tr>
 *   <tr><td>{@code omni.identity.merges}</td><td>counter</td><td></td><td>profiles merged into others</td></tr>
 *   <tr><td>{@code omni.identity.conflicts}</td><td>counter</td><td></td><td>identifiers the guards held back from a link</td></tr>
 *   <tr><td>{@code omni.identity.shared}</td><td>counter</td><td></td><td>identifiers marked shared</td></tr>
 *   <tr><td>{@code omni.identity.forgets}</td><td>counter</td><td></td><td>identifiers forgotten</td></tr>
 *   <tr><td>{@code omni.ingest}</td><td>timer</td><td>{@code channel}</td><td>events taken in, and how long each took
 *       ({@code channel} is the event's channel, {@code batch} for {@code ingestAll}, {@code other} for an unknown one)</td></tr>
 *   <tr><td>{@code omni.ingest.failures}</td><td>counter</td><td>{@code channel}, {@code exception}</td><td>events refused or
 *       failed, by the simple name of the exception ({@code InvalidEventException}, {@code OmniStorageException}, …)</td></tr>
 *   <tr><td>{@code omni.messages.sent}</td><td>counter</td><td>{@code channel}</td><td>campaign messages handed to a sender</td></tr>
 *   <tr><td>{@code omni.messages.failed}</td><td>counter</td><td>{@code channel}</td><td>campaign messages whose sender threw</td></tr>
 *   <tr><td>{@code omni.carries.repaired}</td><td>counter</td><td></td><td>merges whose carrying to the carts,
 *       campaigns and journeys their own write did not complete, carried by the sweep of {@code campaigns().advance}</td></tr>
 *   <tr><td>{@code omni.carries.failed}</td><td>counter</td><td></td><td>owed carries the sweep tried and failed (each
 *       is postponed by {@code carryRepairGrace} and tried again): a count that keeps growing needs a look at the logs</td></tr>
 *   <tr><td>{@code omni.store.cache.hits}</td><td>function counter</td><td></td><td>identifier lookups the store's cache answered</td></tr>
 *   <tr><td>{@code omni.store.cache.misses}</td><td>function counter</td><td></td><td>identifier lookups the cache could not answer</td></tr>
 * </table>
 *
 * <p>Every meter also carries the tags given to the constructor. An Omni reports to the registry
 * it was bound to last; bind it once (to a composite registry for several).
 */
// Micrometer's types in this API are not re-exported (Micrometer is optional): users of this class
// have Micrometer themselves
@SuppressWarnings("exports")
public final class OmniMetrics implements MeterBinder {
  private final Omni omni;
  private final Tags tags;

  /** The meters of this Omni, without tags of their own. */
  public OmniMetrics(Omni omni) {
    this(omni, Tags.empty());
  }

  /** The meters of this Omni, each with these tags too (an instance name, say). */
  public OmniMetrics(Omni omni, Iterable<Tag> tags) {
    this.omni = Objects.requireNonNull(omni, "omni");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    OmniStore store = omni.store();
    FunctionCounter.builder("omni.store.cache.hits", store, OmniStore::cacheHits).tags(tags)
        .description("identifier lookups the store's cache answered").register(registry);
    FunctionCounter.builder("omni.store.cache.misses", store, OmniStore::cacheMisses).tags(tags)
        .description("identifier lookups the store's cache could not answer").register(registry);
    omni.metrics(new Meters(registry, tags));
  }

  /** Omni's reports, counted on meters made once per tag value. */
  private static final class Meters implements Metrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter links;
    private final Counter merges;
    private final Counter conflicts;
    private final Counter shared;
    private final Counter forgets;
    private final Counter carriesRepaired;
    private final Counter carriesFailed;
    private final Map<String, Timer> ingest = new ConcurrentHashMap<>();
    private final Map<String, Counter> ingestFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();

    Meters(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
      this.links = counter("omni.identity.links", "links asked for", tags);
      this.merges = counter("omni.identity.merges", "profiles merged into others", tags);
      this.conflicts = counter("omni.identity.conflicts", "identifiers the guards held back from a link", tags);
      this.shared = counter("omni.identity.shared", "identifiers marked shared", tags);
      this.forgets = counter("omni.identity.forgets", "identifiers forgotten", tags);
      this.carriesRepaired = counter("omni.carries.repaired", "merges carried by the sweep of advance", tags);
      this.carriesFailed = counter("omni.carries.failed", "owed carries the sweep tried and failed", tags);
    }

    private Counter counter(String name, String description, Tags with) {
      return Counter.builder(name).tags(with).description(description).register(registry);
    }

    @Override
    public void linked(int count) {
      links.increment(count);
    }

    @Override
    public void merged(int count) {
      merges.increment(count);
    }

    @Override
    public void conflicts(int count, int sharedMarks) {
      if (count > 0) {
        conflicts.increment(count);
      }
      if (sharedMarks > 0) {
        shared.increment(sharedMarks);
      }
    }

    @Override
    public void forgot() {
      forgets.increment();
    }

    @Override
    public void owedCarries(int carried, int failed) {
      if (carried > 0) {
        carriesRepaired.increment(carried);
      }
      if (failed > 0) {
        carriesFailed.increment(failed);
      }
    }

    @Override
    public void ingested(String channel, long nanos) {
      ingest.computeIfAbsent(channel, c -> Timer.builder("omni.ingest").tags(tags).tag("channel", c)
          .description("events taken in").register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void ingestFailed(String channel, String exception) {
      ingestFailures.computeIfAbsent(channel + '\n' + exception, key -> counter("omni.ingest.failures",
          "events refused or failed", tags.and("channel", channel, "exception", exception))).increment();
    }

    @Override
    public void sent(String channel) {
      sent.computeIfAbsent(channel, c -> counter("omni.messages.sent", "campaign messages handed to a sender",
          tags.and("channel", c))).increment();
    }

    @Override
    public void sendFailed(String channel) {
      failed.computeIfAbsent(channel, c -> counter("omni.messages.failed", "campaign messages whose sender threw",
          tags.and("channel", c))).increment();
    }
  }
}
