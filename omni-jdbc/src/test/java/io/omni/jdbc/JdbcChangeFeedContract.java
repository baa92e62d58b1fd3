package io.omni.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.Identities;
import io.omni.identity.ProfileChange;
import io.omni.identity.ProfileChange.Kind;
import io.omni.spi.OmniStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change feed contract on a database, plus what only a shared database has to keep: an entry
 * commits with its change or not at all, whatever round trip fails, and a consumer polling while
 * two instances merge at once skips no entry. Each test gets a fresh database.
 */
abstract class JdbcChangeFeedContract extends ChangeFeedContract {
  @RegisterExtension
  final FreshDatabase db = new FreshDatabase(this::dialect);

  abstract Dialect dialect();

  @Override
  OmniStore newStore() {
    return JdbcStore.builder(db.pool(3)).build();
  }

  private List<ProfileChange> after(Identities ids, long cursor) {
    return ids.changes(cursor, 10_000);
  }

  private static long last(List<ProfileChange> changes) {
    return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).position();
  }

  /**
   * Runs {@code write} with the k-th round trip failing, for every k until the write needs fewer;
   * after each run checks {@code check} (the state a failure left), then retries an interrupted write.
   *
   * @return how many round trips were interrupted
   */
  private int interruptEveryRoundTrip(FailingDataSource source, Consumer<Integer> prepare, Consumer<Integer> write,
      Consumer<Integer> check) {
    return source.interruptEachRoundTrip(prepare::accept, write::accept, (k, interrupted, thrown) -> {
      check.accept(k);
      if (interrupted) {
        write.accept(k); // the caller's retry
      }
    });
  }

  @Test
  void a_merge_interrupted_at_any_round_trip_has_its_entry_exactly_when_it_committed() {
    FailingDataSource source = new FailingDataSource(db.pool(2));
    Identities ids = omni(JdbcStore.builder(source.dataSource).cacheSize(0).build()).identities();
    Instant t = clock.instant();
    long[] cursor = {0};
    int interrupted = interruptEveryRoundTrip(source,
        k -> {
          ids.link("v" + k, "web", t, List.of(Identifier.cookie("c-" + k)));
          ids.link("k" + k, "app", t, List.of(Identifier.email(k + "@example.com")));
          cursor[0] = last(after(ids, 0));
        },
        k -> ids.link("login" + k, "web", t, List.of(Identifier.cookie("c-" + k), Identifier.email(k + "@example.com"))),
        k -> {
          boolean merged = ids.resolve(Identifier.cookie("c-" + k)).equals(ids.resolve(Identifier.email(k + "@example.com")));
          List<ProfileChange> entries = after(ids, cursor[0]);
          assertThat(entries).as("round trip %d failed; merged: %s", k, merged).hasSize(merged ? 1 : 0);
        });
    assertThat(interrupted).isGreaterThan(3);
    List<ProfileChange> everything = after(ids, 0);
    assertThat(everything).extracting(ProfileChange::cause)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, interrupted + 1).mapToObj(k -> "login" + k).toList());
    assertThat(everything).extracting(ProfileChange::position)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, interrupted + 1).boxed().toList());
  }

  @Test
  void a_forget_interrupted_at_any_round_trip_has_its_entries_exactly_when_it_committed() {
    FailingDataSource source = new FailingDataSource(db.pool(2));
    Identities ids = omni(JdbcStore.builder(source.dataSource).cacheSize(0).build()).identities();
    Instant t = clock.instant();
    long[] cursor = {0};
    int interrupted = interruptEveryRoundTrip(source,
        k -> {
          ids.link("a" + k, "app", t, List.of(Identifier.email(k + "@example.com"), Identifier.account("acc-" + k)));
          ids.link("b" + k, "app", t, List.of(Identifier.email(k + "@example.com"), Identifier.phone(String.format("+7916%07d", k))));
          cursor[0] = last(after(ids, 0));
        },
        k -> ids.forget(Identifier.email(k + "@example.com")),
        k -> {
          boolean forgotten = ids.resolve(Identifier.email(k + "@example.com")).isEmpty();
          List<ProfileChange> entries = after(ids, cursor[0]);
          assertThat(entries).extracting(ProfileChange::kind).as("round trip %d failed; forgotten: %s", k, forgotten)
              .containsExactlyElementsOf(forgotten ? List.of(Kind.FORGOTTEN, Kind.SPLIT) : List.of());
        });
    assertThat(interrupted).isGreaterThan(3);
    assertThat(after(ids, 0)).hasSize(2 * (interrupted + 1));
  }

  @Test
  void a_consumer_polling_while_two_instances_merge_at_once_skips_no_entry() throws Exception {
    List<Identities> writers = List.of(omni(JdbcStore.builder(db.pool(3)).cacheSize(0).build()).identities(),
        omni(JdbcStore.builder(db.pool(3)).cacheSize(0).build()).identities());
    Identities reader = omni(JdbcStore.builder(db.pool(2)).cacheSize(0).build()).identities();
    int perWriter = 40;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean writersDone = new AtomicBoolean();
    try {
      Future<List<ProfileChange>> consumed = pool.submit(() -> {
        List<ProfileChange> seen = new ArrayList<>();
        long cursor = 0;
        while (true) {
          boolean finished = writersDone.get(); // read before the page: a finished write is in it
          List<ProfileChange> page = reader.changes(cursor, 3);
          seen.addAll(page);
          cursor = page.isEmpty() ? cursor : last(page);
          if (page.isEmpty() && finished) {
            return seen;
          }
        }
      });
      List<Future<?>> writing = new ArrayList<>();
      for (int w = 0; w < writers.size(); w++) {
        Identities ids = writers.get(w);
        String tag = "w" + w;
        writing.add(pool.submit(() -> {
          for (int i = 0; i < perWriter; i++) {
            Instant t = clock.instant();
            ids.link(tag + "-v" + i, "web", t, List.of(Identifier.cookie(tag + "-c" + i)));
            ids.link(tag + "-k" + i, "app", t, List.of(Identifier.email(tag + "." + i + "@example.com")));
            ids.link(tag + "-login" + i, "web", t,
                List.of(Identifier.cookie(tag + "-c" + i), Identifier.email(tag + "." + i + "@example.com")));
          }
          return null;
        }));
      }
      for (Future<?> f : writing) {
        f.get(5, TimeUnit.MINUTES);
      }
      writersDone.set(true);
      List<ProfileChange> seen = consumed.get(1, TimeUnit.MINUTES);
      List<ProfileChange> everything = after(reader, 0);
      assertThat(everything).hasSize(2 * perWriter);
      assertThat(everything).extracting(ProfileChange::position)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * perWriter).boxed().toList());
      assertThat(seen).as("what the polling consumer saw, in order").isEqualTo(everything);
      for (String tag : List.of("w0", "w1")) {
        assertThat(everything).filteredOn(c -> c.cause().startsWith(tag)).extracting(ProfileChange::cause)
            .as("each writer's merges in the order it made them")
            .containsExactlyElementsOf(LongStream.range(0, perWriter).mapToObj(i -> tag + "-login" + i).toList());
      }
    } finally {
      writersDone.set(true);
      pool.shutdownNow();
    }
  }
}
