package io.omni.examples;

import io.omni.Omni;
import io.omni.identity.Explanation;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.Profile;
import io.omni.identity.ProfileId;

/**
 * A short walk through identity resolution on the in-memory default: a customer browses
 * anonymously, signs up, uses the app and calls; a family tablet and a store kiosk are seen with
 * several customers and fuse none of them.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl omni-examples -am -DskipTests package exec:java
 * -Dexec.mainClass=io.omni.examples.IdentityTour}
 */
public final class IdentityTour {
  private IdentityTour() {}

  /** Runs the tour and prints what happens. */
  public static void main(String[] args) {
    Omni omni = Omni.builder().defaultRegion("RU").build();
    Identities ids = omni.identities();

    say("Ann browses the shop anonymously: her cookie gets a profile of its own.");
    ProfileId anon = ids.link("web", Identifier.cookie("c-81"));
    say("  cookie c-81 -> " + anon);

    say("She signs up with her email in the same browser: the anonymous profile becomes hers.");
    ProfileId ann = ids.link("web", Identifier.cookie("c-81"), Identifier.email(" Ann@Example.COM "));
    say("  email ann@example.com -> " + ann);

    say("She logs into the app; the app knows her phone in national format.");
    ids.link("app", Identifier.email("ann@example.com"), ids.phone("8 (916) 123-45-67"),
        Identifier.device("IDFA-ANN-PHONE"));

    say("The family tablet is used by Ann, then by her brother Boris with his own account.");
    ids.link("app", Identifier.device("tablet-home"), Identifier.email("ann@example.com"));
    ProfileId boris = ids.link("app", Identifier.device("tablet-home"), Identifier.account("boris-7"));
    say("  Ann and Boris stay apart: " + ann + " and " + boris);

    say("A store kiosk is used by three more customers: after three refusals it is marked shared.");
    ids.link("pos", Identifier.device("kiosk-12"), Identifier.loyaltyCard("4000 1111"));
    ids.link("pos", Identifier.device("kiosk-12"), Identifier.loyaltyCard("4000 2222"));
    ids.link("pos", Identifier.device("kiosk-12"), Identifier.loyaltyCard("4000 3333"));
    ids.link("pos", Identifier.device("kiosk-12"), Identifier.loyaltyCard("4000 4444"));
    say("  loyalty cards 1111 and 2222 are " + (same(ids, Identifier.loyaltyCard("40001111"),
        Identifier.loyaltyCard("40002222")) ? "ONE profile (wrong!)" : "different profiles"));

    Profile profile = ids.profile(ann);
    say("Ann's profile " + profile.id() + ": " + profile.identifiers() + " seen in " + profile.channels());
    say("  held back: " + profile.conflicts());

    Explanation why = ids.explain(Identifier.cookie("c-81"), Identifier.phone("+79161234567")).orElseThrow();
    say("Why is cookie c-81 the same person as +79161234567?");
    why.steps().forEach(step -> say("  " + step.channel() + " event " + step.eventId() + ": " + step.identifiers()));

    say("Ann asks to be forgotten by email: the email goes, and with it the only bridge");
    say("between her browser and her app.");
    ids.forget(Identifier.email("ann@example.com"));
    say("  cookie c-81 -> " + ids.resolve(Identifier.cookie("c-81")).orElseThrow()
        + ", phone -> " + ids.resolve(Identifier.phone("+79161234567")).orElseThrow());
    say("  email ann@example.com -> " + ids.resolve(Identifier.email("ann@example.com")));
    say("Stats: " + ids.stats());
  }

  private static boolean same(Identities ids, Identifier a, Identifier b) {
    return ids.resolve(a).equals(ids.resolve(b));
  }

  @SuppressWarnings("java:S106") // a demo prints
  private static void say(String line) {
    System.out.println(line);
  }
}
