package dev.logqueue.broker.queue.control;

import java.time.Duration;

/**
 * The queue's limits and memory bounds.
 *
 * @param maxMessageBytes the largest message accepted, in bytes of UTF-8
 * @param windowMessages how many recent messages per topic memory holds
 * @param windowBytes how many bytes of recent messages per topic memory holds
 * @param historyCacheBytes bytes of older messages, read back from the database, kept for consumers
 *     that read behind the window
 * @param historyPageMessages how many messages one read of history fetches
 * @param maxBatchMessages how many messages one commit takes at most
 * @param commitTimeout how long a request may wait for its commit before it is refused
 */
public record QueueSettings(
    long maxMessageBytes,
    int windowMessages,
    long windowBytes,
    long historyCacheBytes,
    int historyPageMessages,
    int maxBatchMessages,
    Duration commitTimeout) {

  public static final long MIB = 1024L * 1024L;

  public static QueueSettings defaults() {
    return new QueueSettings(MIB, 10_000, 16 * MIB, 64 * MIB, 500, 5_000, Duration.ofSeconds(20));
  }

  public QueueSettings {
    if (maxMessageBytes < 1
        || windowMessages < 0
        || windowBytes < 0
        || historyCacheBytes < 0
        || historyPageMessages < 1
        || maxBatchMessages < 1
        || commitTimeout.isNegative()
        || commitTimeout.isZero()) {
      throw new IllegalArgumentException("Invalid queue settings: " + this);
    }
  }
}
