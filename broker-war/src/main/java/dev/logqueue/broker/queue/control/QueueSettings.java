package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Retention;
import java.time.Duration;
import java.util.function.Consumer;

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
 * @param produceMaxMessages how many messages one produce request may carry
 * @param produceMaxBytes how many bytes of UTF-8 one produce request may carry, all messages
 *     together
 * @param dedupWindow how long a topic remembers the message ids it appended (zero: not at all)
 * @param dedupMaxIds how many message ids a topic remembers at most, the most recent
 * @param maxLeases how many messages an explicit consumer holds given and not settled at most
 * @param retention the retention of topics that do not set their own (0: without limit)
 * @param retentionCheck how often retention looks for messages to delete
 * @param deleteBatch how many messages one deletion transaction removes at most
 */
public record QueueSettings(
    long maxMessageBytes,
    int windowMessages,
    long windowBytes,
    long historyCacheBytes,
    int historyPageMessages,
    int maxBatchMessages,
    Duration commitTimeout,
    int produceMaxMessages,
    long produceMaxBytes,
    Duration dedupWindow,
    int dedupMaxIds,
    int maxLeases,
    Retention retention,
    Duration retentionCheck,
    int deleteBatch) {

  public static final long MIB = 1024L * 1024L;

  /** When a request submitted now must be committed by, in {@link System#nanoTime()} terms. */
  public long commitDeadline() {
    return System.nanoTime() + commitTimeout.toNanos();
  }

  /** These settings with another message limit. */
  public QueueSettings withMaxMessageBytes(long bytes) {
    return with(
        s -> {
          s.maxMessageBytes = bytes;
          s.produceMaxBytes = Math.max(bytes, produceMaxBytes);
        });
  }

  /** These settings with another window and history bound. */
  public QueueSettings withMemory(int windowMessages, long historyCacheBytes, int pageMessages) {
    return with(
        s -> {
          s.windowMessages = windowMessages;
          s.historyCacheBytes = historyCacheBytes;
          s.historyPageMessages = pageMessages;
        });
  }

  /** These settings with another window per topic. */
  public QueueSettings withWindow(int messages, long bytes) {
    return with(
        s -> {
          s.windowMessages = messages;
          s.windowBytes = bytes;
        });
  }

  /** These settings with other limits per produce request. */
  public QueueSettings withProduceLimits(int messages, long bytes) {
    return with(
        s -> {
          s.produceMaxMessages = messages;
          s.produceMaxBytes = bytes;
        });
  }

  /** These settings with another dedup window. */
  public QueueSettings withDedup(Duration window, int maxIds) {
    return with(
        s -> {
          s.dedupWindow = window;
          s.dedupMaxIds = maxIds;
        });
  }

  /** These settings with another bound on an explicit consumer's leases. */
  public QueueSettings withMaxLeases(int leases) {
    return with(s -> s.maxLeases = leases);
  }

  /** These settings with another default retention and its pace. */
  public QueueSettings withRetention(Retention defaults, Duration check, int deleteBatch) {
    return with(
        s -> {
          s.retention = defaults;
          s.retentionCheck = check;
          s.deleteBatch = deleteBatch;
        });
  }

  /** These settings with what {@code change} sets on a copy of them. */
  private QueueSettings with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.settings();
  }

  /** The settings' values, to change some before they are checked as new settings. */
  private static final class Copy {
    long maxMessageBytes;
    int windowMessages;
    long windowBytes;
    long historyCacheBytes;
    int historyPageMessages;
    int maxBatchMessages;
    Duration commitTimeout;
    int produceMaxMessages;
    long produceMaxBytes;
    Duration dedupWindow;
    int dedupMaxIds;
    int maxLeases;
    Retention retention;
    Duration retentionCheck;
    int deleteBatch;

    Copy(QueueSettings from) {
      maxMessageBytes = from.maxMessageBytes;
      windowMessages = from.windowMessages;
      windowBytes = from.windowBytes;
      historyCacheBytes = from.historyCacheBytes;
      historyPageMessages = from.historyPageMessages;
      maxBatchMessages = from.maxBatchMessages;
      commitTimeout = from.commitTimeout;
      produceMaxMessages = from.produceMaxMessages;
      produceMaxBytes = from.produceMaxBytes;
      dedupWindow = from.dedupWindow;
      dedupMaxIds = from.dedupMaxIds;
      maxLeases = from.maxLeases;
      retention = from.retention;
      retentionCheck = from.retentionCheck;
      deleteBatch = from.deleteBatch;
    }

    QueueSettings settings() {
      return new QueueSettings(
          maxMessageBytes,
          windowMessages,
          windowBytes,
          historyCacheBytes,
          historyPageMessages,
          maxBatchMessages,
          commitTimeout,
          produceMaxMessages,
          produceMaxBytes,
          dedupWindow,
          dedupMaxIds,
          maxLeases,
          retention,
          retentionCheck,
          deleteBatch);
    }
  }

  public static QueueSettings defaults() {
    return new QueueSettings(
        MIB,
        10_000,
        16 * MIB,
        64 * MIB,
        500,
        5_000,
        Duration.ofSeconds(20),
        1_000,
        4 * MIB,
        Duration.ofMinutes(2),
        500_000,
        10_000,
        Retention.NONE,
        Duration.ofSeconds(1),
        5_000);
  }

  /** Consume answers at most this many messages at once (the contract's bound on max). */
  public static final int CONSUME_MAX_MESSAGES = 1_000;

  /** A consume waits for a message at most this long (the contract's bound on wait_ms). */
  public static final Duration CONSUME_MAX_WAIT = Duration.ofSeconds(30);

  public QueueSettings {
    if (maxMessageBytes < 1
        || windowMessages < 0
        || windowBytes < 0
        || historyCacheBytes < 0
        || historyPageMessages < 1
        || maxBatchMessages < 1
        || commitTimeout.isNegative()
        || commitTimeout.isZero()
        || produceMaxMessages < 1
        || produceMaxBytes < maxMessageBytes
        || dedupWindow.isNegative()
        || dedupMaxIds < 0
        || maxLeases < 1
        || retention.millis() < 0
        || retention.bytes() < 0
        || retentionCheck.isNegative()
        || retentionCheck.isZero()
        || deleteBatch < 1) {
      throw new IllegalArgumentException("Invalid queue settings: " + this);
    }
  }
}
