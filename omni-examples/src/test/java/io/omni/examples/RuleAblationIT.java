package io.omni.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.identity.IdentityRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's population — 20,000 customers, 30 % in households sharing a tablet, its cookie and in
 * a quarter of them a landline — resolved under the default rules and with weak fixed lines turned
 * off: the defaults fuse no household, a landline as strong as a mobile fuses many.
 */
final class RuleAblationIT {
  private static Population population;
  private static Map<String, RuleAblation.Row> rows;

  @BeforeAll
  static void resolve() {
    population = Population.generate(20_000, 7, Population.Shape.HOUSEHOLDS);
    Map<String, IdentityRules> variants = new LinkedHashMap<>();
    variants.put("defaults", IdentityRules.defaults());
    variants.put("fixed-line phones strong", IdentityRules.defaults().fixedLinesWeak(false));
    rows = new LinkedHashMap<>();
    for (RuleAblation.Row row : RuleAblation.run(population, variants)) {
      rows.put(row.name(), row);
    }
  }

  @Test
  void the_population_has_households_with_landlines_and_the_evidence_joins_everything() {
    assertThat(population.people()).hasSize(20_000);
    assertThat(population.landlines()).isGreaterThan(300);
    assertThat(population.kiosks()).isEqualTo(25);
    long inHouseholds = population.people().stream().filter(p -> p.tablet != null).count();
    assertThat(inHouseholds).isBetween(5_000L, 7_000L); // 30 %
    assertThat(rows.get("evidence ceiling").score().recall()).isEqualTo(1.0);
  }

  @Test
  void default_rules_keep_households_apart_and_join_each_member_whole() {
    RuleAblation.Row defaults = rows.get("defaults");
    assertThat(defaults.score().precision()).isGreaterThanOrEqualTo(0.99);
    assertThat(defaults.score().recall()).isGreaterThanOrEqualTo(0.99);
    assertThat(defaults.fusedProfiles()).isZero();
  }

  @Test
  void a_landline_as_strong_as_a_mobile_fuses_households() {
    RuleAblation.Row strongLines = rows.get("fixed-line phones strong");
    assertThat(strongLines.fusedProfiles()).isGreaterThan(100);
    assertThat(strongLines.score().precision()).isLessThan(0.99);
  }

  @Test
  void the_ablation_compares_the_defaults_with_each_guard_off() {
    assertThat(RuleAblation.variants().keySet()).containsExactly("defaults", "fixed-line phones strong",
        "devices and cookies strong", "shared detection off", "built-in junk list off", "limits off",
        "junk list and shared detection off", "every guard off");
    List<String> names = List.copyOf(rows.keySet());
    assertThat(names).containsExactly("evidence ceiling", "defaults", "fixed-line phones strong");
  }
}
