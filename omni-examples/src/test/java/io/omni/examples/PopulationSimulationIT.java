package io.omni.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulation at a small size with a fixed seed. The bounds come from the truth: the ceiling is
 * what the evidence allows at all (an event joins only its own customer's identifiers), and Omni
 * must come within a few points of it while fusing no strangers.
 */
final class PopulationSimulationIT {
  private static PopulationSimulation.Report report;

  @BeforeAll
  static void simulate() {
    PopulationSimulation.Options options = new PopulationSimulation.Options(2_000, 7, Optional.empty(), Duration.ofSeconds(60));
    report = PopulationSimulation.run(options, new PrintStream(OutputStream.nullOutputStream()));
  }

  @Test
  void omni_fuses_no_strangers_where_a_plain_union_find_fuses_nearly_everyone() {
    assertThat(report.omni().precision()).isGreaterThanOrEqualTo(0.999);
    assertThat(report.fusedProfiles()).isZero();
    assertThat(report.naive().precision()).isLessThan(0.5).isLessThan(report.omni().precision());
    assertThat(report.omni().f1()).isGreaterThan(report.naive().f1());
  }

  @Test
  void omni_joins_nearly_all_that_the_evidence_allows() {
    assertThat(report.ceiling().precision()).isEqualTo(1.0);
    assertThat(report.omni().recall()).isGreaterThanOrEqualTo(report.ceiling().recall() - 0.02);
    assertThat(report.omni().recall()).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void profiles_outnumber_customers_only_by_what_the_evidence_cannot_join() {
    assertThat(report.customers()).isEqualTo(2_000);
    assertThat(report.customerProfiles()).isGreaterThanOrEqualTo(2_000);
    assertThat(report.sharedIdentifiers()).isGreaterThanOrEqualTo(report.kiosks());
  }

  @Test
  void carts_edited_on_three_replicas_converge_and_a_removed_line_stays_removed() {
    PopulationSimulation.CartReplicas carts = report.carts();
    assertThat(carts.customers()).isPositive();
    assertThat(carts.converged()).isEqualTo(carts.customers());
    assertThat(carts.removedCameBack()).isZero();
    // jeans (quantity 2 from the app), belt from the POS, cap from the server; the shirt was removed
    assertThat(carts.lines()).isEqualTo(3 * carts.customers());
  }

  @Test
  void campaigns_send_and_hold_back_reminders_for_customers_who_ordered() {
    PopulationSimulation.CampaignOutcome campaigns = report.campaigns();
    assertThat(campaigns.promoRuns()).isPositive();
    assertThat(campaigns.promoConverted() + campaigns.promoExhausted()).isEqualTo(campaigns.promoRuns());
    assertThat(campaigns.promoConverted()).isPositive();
    assertThat(campaigns.reminderMessages()).isPositive();
    assertThat(campaigns.remindersSuppressed()).isPositive();
    assertThat(campaigns.sent()).isEqualTo(campaigns.promoMessages() + campaigns.reminderMessages());
  }

  @Test
  void every_event_is_ingested() {
    assertThat(report.events()).isGreaterThan(10 * report.customers());
    assertThat(report.eventsPerSecond()).isPositive();
  }

  @Test
  void on_a_database_the_same_population_resolves_the_same() {
    PopulationSimulation.Options onH2 = new PopulationSimulation.Options(300, 7,
        Optional.of("jdbc:h2:mem:simulation-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"), Duration.ofSeconds(60));
    PopulationSimulation.Options inMemory = new PopulationSimulation.Options(300, 7, Optional.empty(), Duration.ofSeconds(60));
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    PopulationSimulation.Report database = PopulationSimulation.run(onH2, quiet);
    PopulationSimulation.Report memory = PopulationSimulation.run(inMemory, quiet);

    assertThat(database.omni()).isEqualTo(memory.omni());
    assertThat(database.profiles()).isEqualTo(memory.profiles());
    assertThat(database.sharedIdentifiers()).isEqualTo(memory.sharedIdentifiers());
  }

  @Test
  void flags_are_read_and_a_bad_one_is_named() {
    PopulationSimulation.Options options = PopulationSimulation.Options.parse("--customers", "5,000", "--seed", "11");
    assertThat(options.customers()).isEqualTo(5_000);
    assertThat(options.seed()).isEqualTo(11);
    assertThat(PopulationSimulation.Options.parse().customers()).isEqualTo(100_000);
    assertThatThrownBy(() -> PopulationSimulation.Options.parse("--size", "3")).hasMessageContaining("--size");
    assertThatThrownBy(() -> PopulationSimulation.Options.parse("--customers", "0")).hasMessageContaining("--customers");
    assertThat(options.shape()).isEqualTo(Population.Shape.CLASSIC);
    assertThat(PopulationSimulation.Options.parse("--shape", "Households").shape()).isEqualTo(Population.Shape.HOUSEHOLDS);
    assertThatThrownBy(() -> PopulationSimulation.Options.parse("--shape", "villages")).hasMessageContaining("villages");
  }
}
