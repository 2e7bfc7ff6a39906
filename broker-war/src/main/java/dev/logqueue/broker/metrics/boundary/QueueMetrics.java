package dev.logqueue.broker.metrics.boundary;

import dev.logqueue.broker.queue.control.LogQueueService;
import dev.logqueue.broker.queue.control.QueueEngine;
import dev.logqueue.broker.queue.control.QueueGauges;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The queue's metrics on /metrics, each with its help text: what memory holds, so that its bounds
 * can be watched; the group commits; the waiting consumes, the history cache and the database; and
 * every topic's and consumer's series ({@link TopicSeries}), looked at every {@code
 * LOGQUEUE_METRICS_REFRESH_MS}, 1 s by default, by a thread of their own.
 */
@ApplicationScoped
public class QueueMetrics {

  private static final Logger LOG = System.getLogger(QueueMetrics.class.getName());

  @Inject QueueGauges gauges;
  @Inject QueueEngine queue;
  @Inject LogQueueService service;
  @Inject MetricRegistry registry;

  @Inject Config config;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private final List<Runnable> mirrors = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private Thread refresher;

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    gauge("logqueue.topics", "Topics the broker holds", MetricUnits.NONE, q -> q.topicCount());
    gauge(
        "logqueue.window.messages",
        "Recent messages held in memory, all topics' windows together",
        MetricUnits.NONE,
        q -> q.windowMessages());
    gauge(
        "logqueue.history.cache",
        "Older messages read back from the database for consumers behind the windows, held in"
            + " memory",
        MetricUnits.BYTES,
        q -> q.historyBytes());
    gauge(
        "logqueue.retention.pending",
        "Messages below the topics' first retained offsets (and of deleted topics) that the"
            + " background deletion has yet to remove",
        MetricUnits.NONE,
        q -> q.retentionPending());
    gauge(
        "logqueue.retention.deleted",
        "Message rows the background deletion removed since the broker started",
        MetricUnits.NONE,
        q -> q.retentionDeleted());
    gauge(
        "logqueue.consumes.waiting",
        "Consumes (wait_ms) that wait for a message now",
        MetricUnits.NONE,
        q -> q.waitingConsumes());
    gauge(
        "logqueue.database.up",
        "1 while the database answers (a pooled connection, validated at each scrape), else 0",
        MetricUnits.NONE,
        q -> q.databaseReachable() ? 1 : 0);
    Counter commits =
        counter("logqueue.commits", "Database transactions committed since the broker started");
    Counter requests =
        counter(
            "logqueue.committed.requests",
            "Requests those transactions carried (over logqueue_commits_total: requests per"
                + " commit)");
    Timer durations =
        registry.timer(
            Metadata.builder()
                .withName("logqueue.commit.duration")
                .withDescription(
                    "How long the database took to commit each transaction (its quantiles show the"
                        + " store's stalls)")
                .build());
    Histogram messages =
        registry.histogram(
            Metadata.builder()
                .withName("logqueue.commit.messages")
                .withDescription("Messages each transaction appended")
                .build());
    queue.observeCommits(
        (carried, appended, nanos) -> {
          commits.inc();
          requests.inc(carried);
          durations.update(Duration.ofNanos(nanos));
          messages.update(appended);
        });
    mirror(
        "logqueue.history.cache.hits",
        "History pages consumers found in the cache (or read ahead for them)",
        () -> gauges.historyHits());
    mirror(
        "logqueue.history.cache.misses",
        "History pages a consumer had to read from the database itself",
        () -> gauges.historyMisses());
    startRefresher(new TopicSeries(registry, service));
  }

  /** A counter that follows a count the queue keeps, moved on at each refresh. */
  private void mirror(String name, String help, LongSupplier count) {
    Counter counter = counter(name, help);
    long[] last = {0};
    mirrors.add(
        () -> {
          long now = count.getAsLong();
          if (now > last[0]) {
            counter.inc(now - last[0]);
            last[0] = now;
          }
        });
  }

  private void startRefresher(TopicSeries series) {
    long refreshMillis =
        Math.max(
            10, config.getOptionalValue("logqueue.metrics.refresh-ms", Long.class).orElse(1000L));
    Runnable loop =
        () -> {
          while (running) {
            try {
              mirrors.forEach(Runnable::run);
              series.refresh();
              Thread.sleep(refreshMillis);
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "Metrics refresh failed; trying again", e);
              try {
                Thread.sleep(refreshMillis);
              } catch (InterruptedException stopped) {
                return;
              }
            }
          }
        };
    refresher = threads != null ? threads.newThread(loop) : new Thread(loop);
    refresher.setName("logqueue-metrics");
    refresher.setDaemon(true);
    refresher.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    if (refresher != null) {
      refresher.interrupt();
    }
  }

  private void gauge(String name, String help, String unit, ToDoubleFunction<QueueGauges> value) {
    registry.gauge(
        Metadata.builder().withName(name).withDescription(help).withUnit(unit).build(),
        gauges,
        service -> value.applyAsDouble(service));
  }

  private Counter counter(String name, String help) {
    return registry.counter(Metadata.builder().withName(name).withDescription(help).build());
  }
}
