package io.omni.examples;

import static io.omni.campaign.CascadeStep.step;
import static java.time.Duration.ofHours;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.omni.Omni;
import io.omni.jdbc.JdbcStore;
import io.omni.campaign.AbandonedCartPolicy;
import io.omni.campaign.CampaignRun;
import io.omni.campaign.Cascade;
import io.omni.campaign.CascadeStep;
import io.omni.cart.CartState;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.Message;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.Profile;
import io.omni.identity.ProfileId;
import io.omni.journey.Journeys;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A synthetic shop population fed through {@code omni.ingest}, scored against the ground truth.
 * See {@link Population} for who the customers are and what counts as the truth.
 *
 * <p>Run from the repository root (defaults: 100,000 customers, seed 7, in memory):
 *
 * <pre>
 * mvn -B -q -pl omni-examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.omni.examples.PopulationSimulation -Dexec.args="--customers 100000 --seed 7"
 * </pre>
 *
 * <p>The report: profiles against true customers; pairwise precision, recall and F1 of Omni's
 * resolution, of a plain union-find over the same events with no guards, and of the best any
 * resolution could do from the evidence (the ceiling); carts edited on several replicas and whether
 * they converged; campaign messages sent and those Omni held back because the customer had already
 * ordered in another channel; events per second.
 */
public final class PopulationSimulation {
  /** How often the shop's scheduler calls {@code campaigns().advance(now)}, in simulated time. */
  static final Duration ADVANCE_EVERY = ofHours(12);
  /** About how many customers the campaigns run over; the in-memory campaign store scans its runs. */
  static final int CAMPAIGN_SAMPLE = 1_000;
  /** Reminders and the promotion go cheapest first, a day to react before the next channel. */
  static final Cascade CASCADE = Cascade.of(step("email", ofHours(24)), step("sms", ofHours(24)), step("viber", ofHours(24)));
  static final Duration ABANDONED_AFTER = ofHours(24);
  /** The promotion starts on day 20 for one customer in {@link #PROMO_SAMPLE}. */
  static final Duration PROMO_STARTS = Duration.ofDays(20);
  static final int PROMO_SAMPLE = 10;

  /**
   * The program's flags.
   *
   * @param customers how many customers to generate ({@code --customers}, default 100,000)
   * @param seed the random seed ({@code --seed}, default 7)
   * @param jdbcUrl a database to run on instead of memory ({@code --jdbc URL})
   * @param progressEvery how often to print progress ({@code --progress SECONDS}, default 5)
   * @param shape the population ({@code --shape classic|households}, default classic; see {@link
   *     Population})
   */
  public record Options(int customers, long seed, Optional<String> jdbcUrl, Duration progressEvery, Population.Shape shape) {
    /** Options for the classic population. */
    public Options(int customers, long seed, Optional<String> jdbcUrl, Duration progressEvery) {
      this(customers, seed, jdbcUrl, progressEvery, Population.Shape.CLASSIC);
    }

    /** The defaults. */
    public static Options defaults() {
      return new Options(100_000, 7, Optional.empty(), Duration.ofSeconds(5));
    }

    /** Reads {@code --customers N --seed S --jdbc URL --progress SECONDS --shape NAME}. */
    public static Options parse(String... args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        String value = args[++i];
        o = switch (flag) {
          case "--customers" -> new Options(positive(flag, value), o.seed, o.jdbcUrl, o.progressEvery, o.shape);
          case "--seed" -> new Options(o.customers, Long.parseLong(value), o.jdbcUrl, o.progressEvery, o.shape);
          case "--jdbc" -> new Options(o.customers, o.seed, Optional.of(value), o.progressEvery, o.shape);
          case "--progress" -> new Options(o.customers, o.seed, o.jdbcUrl, Duration.ofSeconds(positive(flag, value)), o.shape);
          case "--shape" -> new Options(o.customers, o.seed, o.jdbcUrl, o.progressEvery, Population.Shape.parse(value));
          default -> throw new IllegalArgumentException("unknown flag " + flag
              + "; the flags are --customers N, --seed S, --jdbc URL, --progress SECONDS, --shape classic|households");
        };
      }
      return o;
    }

    private static int positive(String flag, String value) {
      int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
      }
      return n;
    }
  }

  /**
   * What the simulation measured.
   *
   * @param customers true customers generated
   * @param events events ingested
   * @param profiles live profiles Omni holds, those of shared devices and junk-free strays included
   * @param customerProfiles profiles holding at least one identifier of a real customer
   * @param splitCustomers customers whose identifiers ended up in more than one profile
   * @param fusedProfiles profiles holding identifiers of more than one customer
   * @param sharedIdentifiers identifiers Omni marked shared (tablets, kiosks)
   * @param omni Omni's resolution against the truth
   * @param naive a plain union-find over the same events, no guards
   * @param ceiling the best the evidence allows: each event joins only its own customer's identifiers
   * @param carts carts edited on several replicas and synced
   * @param campaigns the messaging outcome
   * @param ingestSeconds wall time spent in {@code ingest}
   */
  public record Report(Options options, int customers, int events, int junkEvents, int typos, int kiosks,
      long profiles, long customerProfiles, long splitCustomers, long fusedProfiles, long sharedIdentifiers,
      PairwiseScore omni, PairwiseScore naive, PairwiseScore ceiling, CartReplicas carts, CampaignOutcome campaigns,
      double ingestSeconds, double totalSeconds) {

    /** Events ingested per second of ingest. */
    public double eventsPerSecond() {
      return events / ingestSeconds;
    }

    /** Prints the report. */
    public void print(PrintStream out) {
      out.println();
      out.println("=== Omni population simulation: " + String.format("%,d", customers) + " customers, seed "
          + options.seed() + ", " + options.shape().name().toLowerCase(java.util.Locale.ROOT) + " shape, store "
          + options.jdbcUrl().orElse("in memory"));
      out.printf("Events ingested        %,d in %d channels (%,d carrying a junk id; %,d mistyped emails; %,d store kiosks)%n",
          events, options.shape() == Population.Shape.HOUSEHOLDS ? 8 : 7, junkEvents, typos, kiosks);
      out.printf("Profiles               %,d live, %,d holding a real customer's identifiers, for %,d true customers%n",
          profiles, customerProfiles, customers);
      out.printf("                       %,d customers split over several profiles, %,d profiles fusing several customers%n",
          splitCustomers, fusedProfiles);
      out.printf("                       %,d identifiers marked shared (family tablets, kiosks)%n", sharedIdentifiers);
      out.println("Resolution, pairwise over identifiers owned by one person:");
      out.println("  Omni (default guards) " + omni);
      out.println("  naive union-find      " + naive);
      out.println("  evidence ceiling      " + ceiling);
      out.println("  (the ceiling joins in each event only the identifiers of the customer who left it: the most any");
      out.println("   resolution can join without a false pair; what it misses was never seen beside the rest)");
      carts.print(out);
      campaigns.print(out);
      out.printf("Throughput             %,.0f events/s in ingest (%.1f s); whole run %.1f s%n",
          eventsPerSecond(), ingestSeconds, totalSeconds);
    }
  }

  /**
   * Carts edited concurrently on three replicas — the server, a POS terminal and the app, both
   * offline — then synced in both directions.
   *
   * @param customers carts checked
   * @param converged carts whose three replicas ended equal
   * @param removedCameBack carts where a line removed on one replica came back after the sync
   * @param lines live lines over all converged carts
   */
  public record CartReplicas(long customers, long converged, long removedCameBack, long lines) {
    void print(PrintStream out) {
      out.printf("Carts                  %,d edited on 3 replicas (server, POS offline, app offline): %,d converged, "
          + "%,d with a removed line back%n", customers, converged, removedCameBack);
    }
  }

  /**
   * Campaign messages sent and held back.
   *
   * @param customers the customers of the campaign sample
   * @param promoRuns runs of the day-20 promotion
   * @param promoConverted promotion runs converted by an order or the promo code in any channel
   * @param promoExhausted promotion runs that sent everything without a conversion
   * @param promoMessages promotion messages sent
   * @param promoSuppressed later promotion messages not sent because the customer had ordered
   *     (steps after the conversion that could have reached them)
   * @param reminderRuns abandoned-cart runs started
   * @param reminderMessages abandoned-cart messages sent
   * @param remindersSuppressed carts left with lines, idle past the threshold, whose owner had
   *     ordered in some channel since — a reminder a single-channel system would send, Omni did not
   */
  public record CampaignOutcome(long customers, long promoRuns, long promoConverted, long promoExhausted, long promoMessages,
      long promoSuppressed, long reminderRuns, long reminderMessages, long remindersSuppressed) {

    /** Messages sent in all. */
    public long sent() {
      return promoMessages + reminderMessages;
    }

    /** Messages held back in all. */
    public long suppressed() {
      return promoSuppressed + remindersSuppressed;
    }

    void print(PrintStream out) {
      out.printf("Messages               over a sample of %,d customers: %,d sent, %,d suppressed because the customer had already ordered%n",
          customers, sent(), suppressed());
      out.printf("  promotion (day 20)   %,d runs: %,d converted, %,d exhausted; %,d messages sent, %,d later steps not sent%n",
          promoRuns, promoConverted, promoExhausted, promoMessages, promoSuppressed);
      out.printf("  abandoned carts      %,d runs, %,d reminders sent; %,d idle carts not reminded because their owner ordered since%n",
          reminderRuns, reminderMessages, remindersSuppressed);
    }
  }

  private PopulationSimulation() {}

  /** Runs the simulation with the flags given and prints the report. */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(options, System.out).print(System.out);
    } catch (io.omni.OmniException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  /** A small pool on the database of {@code --jdbc}; the schema is created on first use. */
  private static HikariDataSource dataSource(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  /**
   * Runs the simulation, printing progress to {@code out}, and answers the report. With {@code
   * --jdbc URL} identity resolution runs on that database (a fresh one: the simulation's ids start
   * at {@code p-1}); the campaign sample stays in memory.
   */
  public static Report run(Options options, PrintStream out) {
    long began = System.nanoTime();
    out.printf("Generating %,d customers (seed %d)...%n", options.customers(), options.seed());
    Population population = Population.generate(options.customers(), options.seed(), options.shape());
    List<Population.Planned> events = population.events();
    out.printf("  %,d events over %d days%n", events.size(), Population.SPAN.toDays());

    ShopClock clock = new ShopClock(Population.START);
    // Resolution runs over everyone; campaigns over a sample of customers in an Omni of their own,
    // whose events it also ingests, so that the cascades see the same customers and orders.
    Omni.Builder resolution = Omni.builder().clock(clock);
    HikariDataSource dataSource = options.jdbcUrl().map(PopulationSimulation::dataSource).orElse(null);
    if (dataSource != null) {
      resolution.store(JdbcStore.builder(dataSource).build());
    }
    Omni omni = resolution.build();
    Omni shop = Omni.builder()
        .clock(clock)
        .abandonedCarts(AbandonedCartPolicy.after(ABANDONED_AFTER, CASCADE, "You left something in your cart"))
        .build();
    int every = Math.max(1, options.customers() / CAMPAIGN_SAMPLE);

    Feed feed = new Feed(population, clock, omni, shop, every);
    feed.ingestAll(options.progressEvery(), out);
    // Let the last cascades run out: four more days of the scheduler.
    feed.advanceTo(Population.START.plus(Population.SPAN).plus(Duration.ofDays(4)));
    out.println("  scoring against the truth...");

    Map<Identifier, Integer> owner = population.owner();
    Identities ids = omni.identities();
    Map<Identifier, ProfileId> profileOf = new HashMap<>(owner.size() * 2);
    owner.keySet().forEach(i -> ids.resolve(i).ifPresent(p -> profileOf.put(i, p)));
    PairwiseScore omniScore = PairwiseScore.of(owner, profileOf::get);
    PairwiseScore naiveScore = PairwiseScore.of(owner, feed.naive::root);
    PairwiseScore ceilingScore = PairwiseScore.of(owner, feed.ceiling::root);

    Map<ProfileId, Set<Integer>> peopleByProfile = new HashMap<>();
    Map<Integer, Set<ProfileId>> profilesByPerson = new HashMap<>();
    profileOf.forEach((identifier, profile) -> {
      int person = owner.get(identifier);
      peopleByProfile.computeIfAbsent(profile, p -> new HashSet<>(2)).add(person);
      profilesByPerson.computeIfAbsent(person, p -> new HashSet<>(2)).add(profile);
    });
    long split = profilesByPerson.values().stream().filter(s -> s.size() > 1).count();
    long fused = peopleByProfile.values().stream().filter(s -> s.size() > 1).count();

    Instant finished = clock.instant();
    out.println("  syncing carts across replicas...");
    CartReplicas carts = replicaCarts(population, clock, every);
    long sampled = population.people().stream().filter(p -> p.id % every == 0).count();
    CampaignOutcome outcome = campaignOutcome(shop, sampled, sampleProfiles(shop, population, every), feed.promoRuns,
        feed.sent, finished);
    Identities.Stats stats = ids.stats();
    double total = (System.nanoTime() - began) / 1e9;
    if (dataSource != null) {
      dataSource.close();
    }
    return new Report(options, population.people().size(), events.size(), population.junkEvents(), population.typos(),
        population.kiosks(), stats.profiles(), peopleByProfile.size(), split, fused, stats.sharedIdentifiers(),
        omniScore, naiveScore, ceilingScore, carts, outcome, feed.ingestNanos / 1e9, total);
  }

  /**
   * Feeds the population's events, in time order, to Omni (everyone), to the shop's campaign Omni
   * (the sample), to the plain union-find and to the ceiling — and plays the shop's scheduler,
   * calling {@code campaigns().advance(now)} every {@link #ADVANCE_EVERY} of simulated time.
   */
  private static final class Feed {
    final PlainUnionFind naive = new PlainUnionFind();
    final PlainUnionFind ceiling = new PlainUnionFind();
    final Set<String> promoRuns = new HashSet<>();
    final List<Message> sent = new ArrayList<>();
    long ingestNanos;
    private final Population population;
    private final ShopClock clock;
    private final Omni omni;
    private final Omni shop;
    private final int every;
    private final Instant promoStart = Population.START.plus(PROMO_STARTS);
    private Instant nextAdvance = Population.START.plus(ADVANCE_EVERY);
    private boolean promoStarted;

    Feed(Population population, ShopClock clock, Omni omni, Omni shop, int every) {
      this.population = population;
      this.clock = clock;
      this.omni = omni;
      this.shop = shop;
      this.every = every;
    }

    void ingestAll(Duration progressEvery, PrintStream out) {
      List<Population.Planned> events = population.events();
      long lastProgress = System.nanoTime();
      int done = 0;
      for (Population.Planned planned : events) {
        advanceTo(planned.at());
        clock.moveTo(planned.at());
        ingest(planned, toEvent(planned, done));
        done++;
        if (System.nanoTime() - lastProgress > progressEvery.toNanos()) {
          lastProgress = System.nanoTime();
          out.printf("  ingested %,d of %,d events (%d%%), simulated time %s, %,.0f events/s%n", done, events.size(),
              done * 100L / events.size(), planned.at(), done / (ingestNanos / 1e9));
        }
      }
    }

    private void ingest(Population.Planned planned, ChannelEvent event) {
      long t = System.nanoTime();
      omni.ingest(event);
      ingestNanos += System.nanoTime() - t;
      if (planned.person() % every == 0) {
        shop.ingest(event);
      }
      naive.link(planned.identifiers());
      Integer person = planned.person();
      ceiling.link(planned.identifiers().stream().filter(i -> person.equals(population.owner().get(i))).toList());
    }

    /** Runs the scheduler's ticks up to {@code now}; the promotion starts at its tick. */
    void advanceTo(Instant now) {
      while (!now.isBefore(nextAdvance)) {
        clock.moveTo(nextAdvance);
        if (!promoStarted && !nextAdvance.isBefore(promoStart)) {
          startPromotion(shop, population, every, promoRuns);
          promoStarted = true;
        }
        sent.addAll(shop.campaigns().advance(nextAdvance));
        nextAdvance = nextAdvance.plus(ADVANCE_EVERY);
      }
    }
  }

  private static ChannelEvent toEvent(Population.Planned planned, int number) {
    ChannelEvent.Builder builder = ChannelEvent.builder(planned.channel()).id("sim-" + number).at(planned.at())
        .identifiers(planned.identifiers()).type(planned.type());
    planned.lines().forEach(line -> builder.line(line, 1));
    if (planned.order() != null) {
      builder.attribute("order", planned.order());
    }
    return builder.build();
  }

  /**
   * For each sampled customer: the server holds a cart; a POS terminal and the app take copies and
   * go offline; each edits (the POS removes a line and adds one, the app changes a quantity, the
   * server adds one); they come back and sync in both directions. Three replicas of Omni, each with
   * its own store and replica id, stand for the three places a cart lives.
   */
  private static CartReplicas replicaCarts(Population population, ShopClock clock, int every) {
    Omni server = Omni.builder().clock(clock).replicaId("server").build();
    Omni pos = Omni.builder().clock(clock).replicaId("pos-terminal-7").build();
    Omni app = Omni.builder().clock(clock).replicaId("app-offline").build();
    LineKey shirt = LineKey.of("SHIRT", "M");
    LineKey jeans = LineKey.of("JEANS", "32");
    LineKey belt = LineKey.of("BELT");
    LineKey cap = LineKey.of("CAP");
    long checked = 0;
    long converged = 0;
    long cameBack = 0;
    long lines = 0;
    for (Population.Person person : population.people()) {
      if (person.id % every != 0) {
        continue;
      }
      Identifier who = person.login();
      server.carts().add(who, "web", shirt, 1);
      server.carts().add(who, "web", jeans, 1);
      pos.carts().sync(who, server.carts().get(who));
      app.carts().sync(who, server.carts().get(who));
      clock.advance(Duration.ofSeconds(1));
      // offline, concurrently
      pos.carts().remove(who, "pos", shirt);
      pos.carts().add(who, "pos", belt, 1);
      app.carts().setQuantity(who, "app", jeans, 2);
      server.carts().add(who, "web", cap, 1);
      clock.advance(Duration.ofSeconds(1));
      // back online, in either order
      CartState merged = server.carts().sync(who, app.carts().get(who));
      merged = server.carts().sync(who, pos.carts().get(who));
      pos.carts().sync(who, merged);
      app.carts().sync(who, merged);
      CartState atServer = server.carts().get(who);
      checked++;
      if (atServer.equals(pos.carts().get(who)) && atServer.equals(app.carts().get(who))) {
        converged++;
        lines += atServer.lines().size();
      }
      if (atServer.quantity(shirt) > 0) {
        cameBack++;
      }
    }
    return new CartReplicas(checked, converged, cameBack, lines);
  }

  /** The profiles the campaign sample's identifiers resolve to in the shop's Omni. */
  private static Set<ProfileId> sampleProfiles(Omni shop, Population population, int every) {
    Set<ProfileId> profiles = new HashSet<>();
    population.owner().forEach((identifier, person) -> {
      if (person % every == 0) {
        shop.identities().resolve(identifier).ifPresent(profiles::add);
      }
    });
    return profiles;
  }

  /** The shop's promotion for one sampled customer in ten who has been seen by now. */
  private static void startPromotion(Omni omni, Population population, int every, Set<String> promoRuns) {
    Set<ProfileId> started = new HashSet<>();
    for (Population.Person person : population.people()) {
      if (person.id % every != 0 || (person.id / every) % PROMO_SAMPLE != 0) {
        continue;
      }
      Optional<ProfileId> profile = omni.identities().resolve(person.emails.get(0));
      if (profile.isPresent() && started.add(profile.get())) {
        promoRuns.add(omni.campaigns().start(CASCADE, profile.get(), "Spring sale: 15% off").id());
      }
    }
  }

  private static CampaignOutcome campaignOutcome(Omni omni, long customers, Set<ProfileId> profiles, Set<String> promoRuns,
      List<Message> sent, Instant now) {
    long promoMessages = sent.stream().filter(m -> promoRuns.contains(m.runId())).count();
    long reminderMessages = sent.size() - promoMessages;
    long converted = 0;
    long exhausted = 0;
    long promoSuppressed = 0;
    for (String id : promoRuns) {
      CampaignRun run = omni.campaigns().run(id);
      if (run.state() == CampaignRun.State.CONVERTED) {
        converted++;
        promoSuppressed += reachableStepsLeft(omni, run);
      } else if (run.state() == CampaignRun.State.EXHAUSTED) {
        exhausted++;
      }
    }
    long reminderRuns = 0;
    long notReminded = 0;
    Journeys journeys = omni.journeys();
    for (ProfileId profile : profiles) {
      List<CampaignRun> reminders = omni.campaigns().runs(profile).stream().filter(CampaignRun::abandonedCart).toList();
      reminderRuns += reminders.size();
      Journeys.Resume resume = journeys.last(profile);
      if (resume.openCart() && resume.cartChangedAt().isPresent()) {
        Instant changed = resume.cartChangedAt().get();
        boolean idle = !now.isBefore(changed.plus(ABANDONED_AFTER));
        boolean orderedSince = journeys.orders(profile).stream().anyMatch(o -> !o.at().isBefore(changed));
        boolean reminded = reminders.stream().anyMatch(r -> r.cartChange().filter(changed::equals).isPresent());
        if (idle && orderedSince && !reminded) {
          notReminded++;
        }
      }
    }
    return new CampaignOutcome(customers, promoRuns.size(), converted, exhausted, promoMessages, promoSuppressed,
        reminderRuns, reminderMessages, notReminded);
  }

  /** The steps a converted run did not get to that could have reached the customer. */
  private static long reachableStepsLeft(Omni omni, CampaignRun run) {
    Profile profile = omni.identities().profile(run.profile());
    int next = run.stepSent() ? run.step() + 1 : run.step();
    long left = 0;
    for (CascadeStep step : run.steps().subList(Math.min(next, run.steps().size()), run.steps().size())) {
      IdentifierType reachedBy = omni.channel(step.channel()).reachedBy().orElseThrow();
      if (!profile.identifiers(reachedBy).isEmpty()) {
        left++;
      }
    }
    return left;
  }
}
