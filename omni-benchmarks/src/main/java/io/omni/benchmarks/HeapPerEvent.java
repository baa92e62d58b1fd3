package io.omni.benchmarks;

import io.omni.Omni;
import io.omni.cart.LineKey;
import io.omni.channel.ChannelEvent;
import io.omni.channel.EventType;
import io.omni.identity.Identifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes per ingested event of an in-memory {@link Omni}: threads ingest a shop's mix of events
 * (page views, cart adds and removes, logins that merge an anonymous visitor into a customer,
 * orders) for a while, then the used heap after a full GC, less the heap before, is divided by the
 * events ingested. Everything an event leaves is counted: its processed mark, its touchpoint, the
 * identity evidence, identifiers and profiles it added, cart state and orders — with the default
 * retention, so nothing was pruned yet. Run it with the parallel collector:
 *
 * <pre>{@code
 * java -XX:+UseParallelGC -Xms8g -Xmx8g -cp omni-benchmarks/target/benchmarks.jar \
 *     io.omni.benchmarks.HeapPerEvent 8 60
 * }</pre>
 *
 * (threads, seconds). Each thread serves its own customers: 1 in 6 events comes from a new
 * customer, so profiles keep growing as in a shop.
 */
public final class HeapPerEvent {
  private HeapPerEvent() {}

  public static void main(String[] args) throws InterruptedException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
    long before = HeapPerIdentifier.usedAfterGc();
    Omni omni = Omni.builder().discoverProviders(false).build();
    AtomicLong events = new AtomicLong();
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        try {
          long n = 0;
          while (System.nanoTime() < deadline) {
            omni.ingest(event(thread, n++, omni.clock().instant().minusSeconds(1)));
          }
          events.addAndGet(n);
        } finally {
          done.countDown();
        }
      }, "ingest-" + t);
      workers.add(worker);
      worker.start();
    }
    done.await();
    long used = HeapPerIdentifier.usedAfterGc() - before;
    System.out.printf("%,d events in %d s on %d threads (%,.0f events/s); heap %,d B: %.0f B per event%n",
        events.get(), seconds, threads, events.get() / (double) seconds, used, used / (double) events.get());
    java.lang.ref.Reference.reachabilityFence(omni);
  }

  /** The n-th event of a thread: six events per customer, the visitor's first three anonymous. */
  static ChannelEvent event(int thread, long n, Instant at) {
    long customer = n / 6;
    String who = thread + "-" + customer;
    Identifier cookie = Identifier.cookie("c-" + who);
    Identifier email = Identifier.email("u" + who + "@example.com");
    String id = "e-" + thread + "-" + n;
    LineKey sku = LineKey.of("SKU-" + (n % 50));
    return switch ((int) (n % 6)) {
      case 0 -> ChannelEvent.builder("web").id(id).at(at).identifiers(cookie).type(EventType.PAGE_VIEW).build();
      case 1 -> ChannelEvent.builder("web").id(id).at(at).identifiers(cookie).type(EventType.CART_ADD)
          .line(sku, 1).build();
      case 2 -> ChannelEvent.builder("web").id(id).at(at).identifiers(cookie).type(EventType.CART_ADD)
          .line(LineKey.of("SKU-X"), 2).build();
      case 3 -> ChannelEvent.builder("web").id(id).at(at).identifiers(cookie, email).type(EventType.LOGIN).build();
      case 4 -> ChannelEvent.builder("app").id(id).at(at).identifiers(email).type(EventType.CART_REMOVE)
          .line(LineKey.of("SKU-X"), 1).build();
      default -> ChannelEvent.builder("call-center").id(id).at(at).identifiers(email).type(EventType.ORDER)
          .attribute("order", "o-" + who).line(sku, 1).build();
    };
  }

}
