package io.omni.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A realistic population — households sharing a family tablet, store kiosks used by everyone who
 * shops there — resolved with Omni's default guards and with limits and priority alone (what the
 * big customer-data platforms offer). Pairwise precision and recall against the ground truth.
 */
final class PopulationTest {

  /** Who really owns each identifier; shared devices are owned by nobody. */
  private final Map<Identifier, Integer> owner = new HashMap<>();
  private final List<List<Identifier>> links = new ArrayList<>();

  private void generate(long seed, int households) {
    generate(seed, households, false);
  }

  /**
   * With {@code landlines}, half the households of two or more also share a landline (a Moscow
   * fixed-line number), and each member calls the call center from it with a chance of one half,
   * giving their email or, having one, their account.
   */
  private void generate(long seed, int households, boolean landlines) {
    Random random = new Random(seed);
    List<Identifier> kiosks = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      kiosks.add(Identifier.device("kiosk-" + k));
    }
    int person = 0;
    for (int h = 0; h < households; h++) {
      Identifier tablet = Identifier.device("tablet-" + h);
      int members = 1 + random.nextInt(4);
      Identifier landline = landlines && members > 1 && random.nextBoolean()
          ? Identifier.phone("+7495" + (1_000_000 + h)) : null;
      for (int m = 0; m < members; m++, person++) {
        Identifier email = own(Identifier.email("p" + person + "@mail.io"), person);
        Identifier phone = own(Identifier.phone("+7916" + (1_000_000 + person)), person);
        Identifier ownPhone = own(Identifier.device("idfa-" + person), person);
        Identifier card = own(Identifier.loyaltyCard("C" + person), person);
        Identifier cookie = own(Identifier.cookie("ck-" + person), person);
        boolean hasAccount = random.nextBoolean();
        Identifier account = hasAccount ? own(Identifier.account("acc-" + person), person) : null;

        links.add(List.of(cookie, email));                         // web sign-in
        links.add(List.of(ownPhone, hasAccount ? account : email)); // app login on their own phone
        if (hasAccount) {
          links.add(List.of(account, email));
        }
        links.add(List.of(email, phone));                          // call center order
        links.add(List.of(tablet, random.nextBoolean() ? email : phone)); // the family tablet
        if (random.nextInt(3) == 0) {
          links.add(List.of(tablet, Identifier.cookie("tab-ck-" + person))); // browsing on the tablet
        }
        links.add(List.of(card, phone));                           // loyalty card sign-up
        if (landline != null && random.nextBoolean()) {            // a call from the household's landline
          links.add(List.of(landline, hasAccount && random.nextBoolean() ? account : email));
        }
        for (int visit = 0; visit < 2; visit++) {                  // store visits: kiosk + card
          links.add(List.of(kiosks.get(random.nextInt(kiosks.size())), card));
        }
      }
    }
    Collections.shuffle(links, random);
  }

  private Identifier own(Identifier id, int person) {
    owner.put(id, person);
    return id;
  }

  private record Score(double precision, double recall, long falsePairs) {}

  /** Pairwise precision and recall over identifiers that belong to one person. */
  private Score score(Identities ids) {
    Map<ProfileId, List<Integer>> ownersByProfile = new HashMap<>();
    Map<Integer, List<Optional<ProfileId>>> profilesByOwner = new HashMap<>();
    owner.forEach((id, person) -> {
      Optional<ProfileId> p = ids.resolve(id);
      p.ifPresent(profile -> ownersByProfile.computeIfAbsent(profile, k -> new ArrayList<>()).add(person));
      profilesByOwner.computeIfAbsent(person, k -> new ArrayList<>()).add(p);
    });
    long predicted = 0;
    long correct = 0;
    for (List<Integer> owners : ownersByProfile.values()) {
      Map<Integer, Long> perPerson = new HashMap<>();
      owners.forEach(o -> perPerson.merge(o, 1L, Long::sum));
      long n = owners.size();
      predicted += n * (n - 1) / 2;
      for (long c : perPerson.values()) {
        correct += c * (c - 1) / 2;
      }
    }
    long truePairs = 0;
    for (List<Optional<ProfileId>> ofPerson : profilesByOwner.values()) {
      long n = ofPerson.size();
      truePairs += n * (n - 1) / 2;
    }
    return new Score(predicted == 0 ? 1 : (double) correct / predicted, (double) correct / truePairs,
        predicted - correct);
  }

  private Identities resolve(IdentityRules rules) {
    Identities ids = Omni.builder().identityRules(rules).build().identities();
    for (List<Identifier> link : links) {
      ids.link("app", link.toArray(Identifier[]::new));
    }
    return ids;
  }

  @Test
  void weak_bridges_and_shared_detection_keep_families_and_kiosk_shoppers_apart_where_limits_alone_fuse_them() {
    generate(20261122L, 400);

    Identities omni = resolve(IdentityRules.defaults());
    IdentityRules limitsOnly = IdentityRules.defaults()
        .strong(IdentifierType.DEVICE, IdentifierType.COOKIE)
        .sharedAfter(0);
    Identities cdp = resolve(limitsOnly);

    Score withGuards = score(omni);
    Score withLimitsOnly = score(cdp);

    // limits and priority alone fuse strangers through tablets and kiosks
    assertThat(withLimitsOnly.precision()).isLessThan(0.5);
    // Omni's weak-bridge rule and shared detection do not fuse a single pair of strangers
    assertThat(withGuards.falsePairs()).isZero();
    assertThat(withGuards.precision()).isEqualTo(1.0);
    // and still join nearly everything a person really owns
    assertThat(withGuards.recall()).isGreaterThan(0.95);
    assertThat(omni.stats().sharedIdentifiers()).isGreaterThanOrEqualTo(6); // every kiosk
    for (int k = 0; k < 6; k++) {
      ProfileId kiosk = omni.resolve(Identifier.device("kiosk-" + k)).orElseThrow();
      assertThat(omni.profile(kiosk).identifiers()).containsExactly(Identifier.device("kiosk-" + k));
    }
  }

  @Test
  void household_landlines_are_weak_fixed_lines_and_fuse_no_two_members_where_a_strong_landline_does() {
    generate(20261202L, 400, true);

    Score withGuards = score(resolve(IdentityRules.defaults()));
    Score strongLandlines = score(resolve(IdentityRules.defaults().fixedLinesWeak(false)));

    assertThat(withGuards.falsePairs()).isZero();
    assertThat(withGuards.recall()).isGreaterThan(0.95);
    // a landline as strong as a mobile fuses the members who call from it
    assertThat(strongLandlines.falsePairs()).isPositive();
    assertThat(strongLandlines.precision()).isLessThan(0.99);
  }
}
