package dev.logqueue.broker.health.boundary;

import dev.logqueue.broker.queue.control.LogQueueService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The queue's gauges on /metrics: what memory holds, so that its bounds can be watched, and how
 * many requests each commit carries (committed requests over commits).
 */
@ApplicationScoped
public class QueueMetrics {

  @Inject LogQueueService queue;
  @Inject MetricRegistry registry;

  void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
    registry.gauge("logqueue.topics", queue, LogQueueService::topicCount);
    registry.gauge("logqueue.window.messages", queue, LogQueueService::windowMessages);
    registry.gauge("logqueue.history.cache.bytes", queue, LogQueueService::historyBytes);
    registry.gauge("logqueue.commits", queue, LogQueueService::commits);
    registry.gauge("logqueue.committed.requests", queue, LogQueueService::committedRequests);
  }
}
