package dev.logqueue.benchmark;

import dev.logqueue.sdk.Producer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The SDK producer under load, as an application uses it: {@code threads} application threads
 * calling {@code sendAsync} on one shared {@link Producer}, each with up to {@code window} messages
 * not yet committed. It counts committed messages and the time from each call to its completion.
 */
final class SdkLoad {

  /** Committed messages per second, call-to-commit latency percentiles in ms, failed sends. */
  record Result(double messagesPerSecond, double p50, double p99, long failures) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%,.0f msgs/s (p50 %.1f ms, p99 %.1f ms), %d failed",
          messagesPerSecond,
          p50,
          p99,
          failures);
    }
  }

  /** Messages each application thread may have in flight. */
  static final int WINDOW = 16;

  private SdkLoad() {}

  static Result run(URI broker, String topic, int threads, Duration duration) {
    try (Producer producer = Producer.builder(broker).topics(topic).build()) {
      return run(producer, topic, threads, duration);
    }
  }

  private static Result run(Producer producer, String topic, int threads, Duration duration) {
    return run(producer, List.of(topic), threads, duration);
  }

  /** The same load over several topics: thread t sends to {@code topics[t % topics.size()]}. */
  static Result run(Producer producer, List<String> topics, int threads, Duration duration) {
    Histogram latencies = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(1), 3);
    AtomicLong committed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long started = System.nanoTime();
    long end = started + duration.toNanos();
    ExecutorService application = Executors.newFixedThreadPool(threads);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String topic = topics.get(t % topics.size());
      running.add(
          application.submit(
              () -> {
                Semaphore window = new Semaphore(WINDOW);
                while (System.nanoTime() < end) {
                  window.acquireUninterruptibly();
                  long called = System.nanoTime();
                  producer
                      .sendAsync(topic, Benchmark.MESSAGE)
                      .whenComplete(
                          (offset, failure) -> {
                            if (failure == null) {
                              latencies.recordValue(
                                  Math.min(
                                      System.nanoTime() - called, TimeUnit.MINUTES.toNanos(1)));
                              committed.incrementAndGet();
                            } else {
                              failed.incrementAndGet();
                            }
                            window.release();
                          });
                }
                window.acquireUninterruptibly(WINDOW); // this thread's last ones
                return null;
              }));
    }
    application.shutdown();
    try {
      for (Future<?> thread : running) {
        thread.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("The SDK load failed", e);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result(
        committed.get() / seconds,
        latencies.getValueAtPercentile(50) / 1e6,
        latencies.getValueAtPercentile(99) / 1e6,
        failed.get());
  }

  /** Sends for a while without counting: the JIT and the connections warm up. */
  static void warm(URI broker, String topic, int threads, Duration duration) {
    CompletableFuture.runAsync(() -> run(broker, topic, threads, duration)).join();
  }
}
