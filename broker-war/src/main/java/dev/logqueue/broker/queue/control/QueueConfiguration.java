package dev.logqueue.broker.queue.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The queue's settings from MicroProfile Config: system properties, environment variables ({@code
 * LOGQUEUE_MESSAGE_MAX_BYTES} for {@code logqueue.message.max-bytes}) or the defaults below.
 */
@ApplicationScoped
public class QueueConfiguration {

  @Inject
  @ConfigProperty(name = "logqueue.message.max-bytes", defaultValue = "1048576")
  long maxMessageBytes;

  @Inject
  @ConfigProperty(name = "logqueue.window.messages", defaultValue = "10000")
  int windowMessages;

  @Inject
  @ConfigProperty(name = "logqueue.window.bytes", defaultValue = "16777216")
  long windowBytes;

  @Inject
  @ConfigProperty(name = "logqueue.history.cache-bytes", defaultValue = "67108864")
  long historyCacheBytes;

  @Inject
  @ConfigProperty(name = "logqueue.history.page-messages", defaultValue = "500")
  int historyPageMessages;

  @Inject
  @ConfigProperty(name = "logqueue.commit.max-batch-messages", defaultValue = "5000")
  int maxBatchMessages;

  @Inject
  @ConfigProperty(name = "logqueue.commit.timeout-ms", defaultValue = "20000")
  long commitTimeoutMillis;

  @Inject
  @ConfigProperty(name = "logqueue.produce.max-messages", defaultValue = "1000")
  int produceMaxMessages;

  @Inject
  @ConfigProperty(name = "logqueue.produce.max-bytes", defaultValue = "4194304")
  long produceMaxBytes;

  @Produces
  QueueSettings settings() {
    return new QueueSettings(
        maxMessageBytes,
        windowMessages,
        windowBytes,
        historyCacheBytes,
        historyPageMessages,
        maxBatchMessages,
        Duration.ofMillis(commitTimeoutMillis),
        produceMaxMessages,
        produceMaxBytes);
  }
}
