package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Correction;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An operator's separation committed by one instance while another instance's link that would
 * merge the two customers is in flight: whichever commits first, the separation holds at the end.
 * The link is paused at the moment that matters — it has read the identifiers and their profiles,
 * and not yet locked those profiles — while the separation runs to its commit on the other instance
 * (or waits for the link's locks, if it must: then the link goes on after a generous safety net and
 * the separation splits what it merged).
 */
final class ConcurrentSeparationTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void a_separation_committed_while_a_merging_link_waits_for_its_locks_holds(Dialect dialect) throws Exception {
    try (TestDatabase db = TestDatabase.create(dialect)) {
      JdbcStore.builder(db.pool(2)).build();
      CountingDataSource network = new CountingDataSource(db.pool(2));
      AtomicBoolean armed = new AtomicBoolean();
      CountDownLatch linkPaused = new CountDownLatch(1);
      CountDownLatch separated = new CountDownLatch(1);
      network.beforeStatement = sql -> {
        // the link's first lock of profiles: it has read both identifiers' profiles by now
        if (sql.contains("FOR UPDATE") && sql.contains("omni_profile") && armed.compareAndSet(true, false)) {
          linkPaused.countDown();
          try {
            separated.await(10, TimeUnit.SECONDS); // a safety net, should the separation wait for this link
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Omni linking = Omni.builder().store(JdbcStore.builder(network.dataSource).build()).discoverProviders(false)
          .build();
      Omni operator = Omni.builder().store(JdbcStore.builder(db.pool(2)).build()).discoverProviders(false).build();
      Identifier ann = Identifier.email("ann@example.com");
      Identifier annCookie = Identifier.cookie("ann-cookie");
      Identifier bobPhone = Identifier.phone("+79161234567");
      Identifier bobDevice = Identifier.device("bob-device");
      operator.identities().link("web", ann, annCookie);
      operator.identities().link("app", bobPhone, bobDevice);

      armed.set(true);
      List<Throwable> failed = new CopyOnWriteArrayList<>();
      Thread link = new Thread(() -> {
        try {
          linking.identities().link("pos", ann, bobPhone); // would merge Ann's and Bob's profiles
        } catch (Throwable e) {
          failed.add(e);
        }
      }, "merging-link");
      link.start();
      assertThat(linkPaused.await(30, TimeUnit.SECONDS)).as("the link reached its locks").isTrue();
      Correction apart = operator.identities().separate(ann, bobPhone, "ops@shop", "two customers, one shared till");
      separated.countDown();
      link.join();

      assertThat(failed).isEmpty();
      ProfileId annNow = operator.identities().resolve(ann).orElseThrow();
      ProfileId bobNow = operator.identities().resolve(bobPhone).orElseThrow();
      assertThat(annNow).as("Ann's profile, kept apart from Bob's by correction " + apart.id()).isNotEqualTo(bobNow);
      assertThat(operator.identities().resolve(annCookie)).contains(annNow);
      assertThat(operator.identities().resolve(bobDevice)).contains(bobNow);
      // and later links honour it too, on either instance
      linking.identities().link("pos", annCookie, bobDevice);
      assertThat(operator.identities().resolve(ann)).isNotEqualTo(operator.identities().resolve(bobPhone));
    }
  }
}
