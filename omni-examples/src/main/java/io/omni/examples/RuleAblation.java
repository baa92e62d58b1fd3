package io.omni.examples;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import io.omni.identity.Identities;
import io.omni.identity.IdentityRules;
import io.omni.identity.ProfileId;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each guard of the default {@link IdentityRules} buys: the population of households sharing
 * landlines and tablets ({@link Population.Shape#HOUSEHOLDS}) linked under the defaults and under
 * the defaults with one guard turned off at a time (and two guards that back each other up, the junk
 * list and shared detection, both off), each scored for pairwise precision and recall
 * against the truth, with how many profiles fuse several customers.
 *
 * <p>Run from the repository root (defaults: 20,000 customers, seed 7, households):
 *
 * <pre>
 * mvn -B -q -pl omni-examples -am -DskipTests package exec:java \
 *     -Dexec.mainClass=io.omni.examples.RuleAblation -Dexec.args="--customers 20000 --seed 7 --shape households"
 * </pre>
 *
 * <p>Each event's identifiers are linked with {@code identities().link(channel, …)} in time order,
 * as {@code ingest} links them; nothing else of the events is applied.
 */
public final class RuleAblation {

  /**
   * One rule set and how it scored.
   *
   * @param name what was turned off
   * @param score pairwise precision and recall over identifiers owned by one person
   * @param fusedProfiles profiles holding identifiers of more than one customer
   * @param sharedIdentifiers identifiers marked shared
   */
  public record Row(String name, PairwiseScore score, long fusedProfiles, long sharedIdentifiers) {}

  /** The rule sets compared: the defaults, then the defaults with one guard off each. */
  static Map<String, IdentityRules> variants() {
    IdentityRules defaults = IdentityRules.defaults();
    Map<String, IdentityRules> variants = new java.util.LinkedHashMap<>();
    variants.put("defaults", defaults);
    variants.put("fixed-line phones strong", defaults.fixedLinesWeak(false));
    variants.put("devices and cookies strong", defaults.strong(IdentifierType.DEVICE, IdentifierType.COOKIE));
    variants.put("shared detection off", defaults.sharedAfter(0));
    variants.put("built-in junk list off", defaults.builtInBlocklist(false));
    // relaxed() differs from the defaults by limits, weak types, the junk list, shared detection
    // and weak landlines: give the others back and only the limits stay off
    variants.put("limits off", IdentityRules.relaxed().weak(IdentifierType.DEVICE, IdentifierType.COOKIE)
        .builtInBlocklist(true).sharedAfter(IdentityRules.DEFAULT_SHARED_AFTER).fixedLinesWeak(true));
    variants.put("junk list and shared detection off", defaults.builtInBlocklist(false).sharedAfter(0));
    variants.put("every guard off", IdentityRules.relaxed());
    return variants;
  }

  private RuleAblation() {}

  /** Runs the ablation with the simulation's flags ({@code --customers --seed --shape}) and prints the table. */
  public static void main(String[] args) {
    PopulationSimulation.Options options;
    try {
      String[] withShape = new String[args.length + 2];
      withShape[0] = "--shape";
      withShape[1] = "households";
      System.arraycopy(args, 0, withShape, 2, args.length);
      PopulationSimulation.Options parsed = PopulationSimulation.Options.parse(withShape);
      boolean customersGiven = List.of(args).contains("--customers");
      options = customersGiven ? parsed : new PopulationSimulation.Options(20_000, parsed.seed(), parsed.jdbcUrl(),
          parsed.progressEvery(), parsed.shape());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Population population = Population.generate(options.customers(), options.seed(), options.shape());
    print(population, run(population, variants()), System.out);
  }

  /**
   * The most any resolution can join without a false pair: each event joins only the identifiers of
   * the customer who left it.
   */
  static PairwiseScore ceiling(Population population) {
    PlainUnionFind ceiling = new PlainUnionFind();
    Map<Identifier, Integer> owner = population.owner();
    for (Population.Planned event : population.events()) {
      Integer person = event.person();
      ceiling.link(event.identifiers().stream().filter(i -> person.equals(owner.get(i))).toList());
    }
    return PairwiseScore.of(owner, ceiling::root);
  }

  /** Links the population under each rule set and scores it; the evidence ceiling comes first. */
  static List<Row> run(Population population, Map<String, IdentityRules> variants) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("evidence ceiling", ceiling(population), 0, 0));
    variants.forEach((name, rules) -> rows.add(score(population, name, rules)));
    return rows;
  }

  /** Links every event of the population under the rules and scores the outcome. */
  static Row score(Population population, String name, IdentityRules rules) {
    Omni omni = Omni.builder().identityRules(rules).build();
    Identities ids = omni.identities();
    for (Population.Planned event : population.events()) {
      ids.link(event.channel(), event.identifiers().toArray(Identifier[]::new));
    }
    Map<Identifier, Integer> owner = population.owner();
    Map<Identifier, ProfileId> profileOf = new HashMap<>(owner.size() * 2);
    Map<ProfileId, Set<Integer>> people = new HashMap<>();
    owner.forEach((identifier, person) -> ids.resolve(identifier).ifPresent(p -> {
      profileOf.put(identifier, p);
      people.computeIfAbsent(p, k -> new HashSet<>(2)).add(person);
    }));
    long fused = people.values().stream().filter(s -> s.size() > 1).count();
    return new Row(name, PairwiseScore.of(owner, profileOf::get), fused, ids.stats().sharedIdentifiers());
  }

  static void print(Population population, List<Row> rows, PrintStream out) {
    out.printf("%,d customers, %,d events, %,d households sharing a landline, %,d store kiosks%n%n",
        population.people().size(), population.events().size(), population.landlines(), population.kiosks());
    out.println("| rules | precision | recall | false pairs | missed pairs | fused profiles | shared identifiers |");
    out.println("|---|---|---|---|---|---|---|");
    for (Row row : rows) {
      PairwiseScore s = row.score();
      out.printf("| %s | %.4f | %.4f | %,d | %,d | %,d | %,d |%n", row.name(), s.precision(), s.recall(), s.falsePairs(),
          s.missedPairs(), row.fusedProfiles(), row.sharedIdentifiers());
    }
  }
}
