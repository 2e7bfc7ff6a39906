package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.QueueEngine;
import dev.logqueue.broker.queue.control.QueueGauges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The queue's metrics on /metrics, each with its help text: what memory holds, so that its bounds
 * can be watched, and the group commits (requests per commit is their quotient).
 */
@ApplicationScoped
public class QueueMetrics {

  @Inject QueueGauges gauges;
  @Inject QueueEngine queue;
  @Inject MetricRegistry registry;

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
    queue.observeCommits(
        (carried, nanos) -> {
          commits.inc();
          requests.inc(carried);
          durations.update(Duration.ofNanos(nanos));
        });
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
