package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Retention;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * The queue's settings from MicroProfile Config: system properties or environment variables ({@code
 * LOGQUEUE_MESSAGE_MAX_BYTES} for {@code logqueue.message.max-bytes}); what is not set is {@link
 * QueueSettings#defaults()}, the one place defaults are written.
 */
@ApplicationScoped
public class QueueConfiguration {

  @Inject Config config;

  @Produces
  QueueSettings settings() {
    QueueSettings d = QueueSettings.defaults();
    return new QueueSettings(
        get("logqueue.message.max-bytes", Long.class, d.maxMessageBytes()),
        get("logqueue.window.messages", Integer.class, d.windowMessages()),
        get("logqueue.window.bytes", Long.class, d.windowBytes()),
        get("logqueue.history.cache-bytes", Long.class, d.historyCacheBytes()),
        get("logqueue.history.page-messages", Integer.class, d.historyPageMessages()),
        get("logqueue.commit.max-batch-messages", Integer.class, d.maxBatchMessages()),
        millis("logqueue.commit.timeout-ms", d.commitTimeout()),
        get("logqueue.produce.max-messages", Integer.class, d.produceMaxMessages()),
        get("logqueue.produce.max-bytes", Long.class, d.produceMaxBytes()),
        millis("logqueue.dedup.window-ms", d.dedupWindow()),
        get("logqueue.dedup.max-ids", Integer.class, d.dedupMaxIds()),
        get("logqueue.consumer.max-leases", Integer.class, d.maxLeases()),
        new Retention(
            get("logqueue.retention.ms", Long.class, d.retention().millis()),
            get("logqueue.retention.bytes", Long.class, d.retention().bytes())),
        millis("logqueue.retention.check-ms", d.retentionCheck()),
        get("logqueue.retention.delete-batch", Integer.class, d.deleteBatch()));
  }

  private <T> T get(String name, Class<T> type, T fallback) {
    return config.getOptionalValue(name, type).orElse(fallback);
  }

  private Duration millis(String name, Duration fallback) {
    return config.getOptionalValue(name, Long.class).map(Duration::ofMillis).orElse(fallback);
  }
}
