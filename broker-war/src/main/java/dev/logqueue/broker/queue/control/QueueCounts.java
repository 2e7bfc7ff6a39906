package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.TopicId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What topics and consumers did since the broker started, for their details and for metrics. Only
 * the committer writes them, once what they count has committed; they outlive a rebuild of the
 * state after a database outage, and a deleted topic or consumer takes its counts with it.
 */
final class QueueCounts {

  /** A topic's messages and bytes of UTF-8 appended, and messages its retention removed. */
  static final class TopicCounts {
    private volatile long appendedMessages;
    private volatile long appendedBytes;
    private volatile long retentionRemoved;

    long appendedMessages() {
      return appendedMessages;
    }

    long appendedBytes() {
      return appendedBytes;
    }

    long retentionRemoved() {
      return retentionRemoved;
    }
  }

  /** An explicit consumer's messages acknowledged, given again, and sent to its dead letters. */
  static final class ConsumerCounts {
    private volatile long acked;
    private volatile long redelivered;
    private volatile long deadLettered;

    long acked() {
      return acked;
    }

    long redelivered() {
      return redelivered;
    }

    long deadLettered() {
      return deadLettered;
    }
  }

  private static final TopicCounts NO_TOPIC_COUNTS = new TopicCounts();
  private static final ConsumerCounts NO_CONSUMER_COUNTS = new ConsumerCounts();

  private final Map<TopicId, TopicCounts> topics = new ConcurrentHashMap<>();
  private final Map<ConsumerId, ConsumerCounts> consumers = new ConcurrentHashMap<>();

  TopicCounts of(TopicId topic) {
    return topics.getOrDefault(topic, NO_TOPIC_COUNTS);
  }

  ConsumerCounts of(ConsumerId consumer) {
    return consumers.getOrDefault(consumer, NO_CONSUMER_COUNTS);
  }

  // the committer's alone: a read-modify-write of a volatile field has one writer

  void appended(TopicId topic, long messages, long bytes) {
    TopicCounts counts = topics.computeIfAbsent(topic, id -> new TopicCounts());
    counts.appendedMessages += messages;
    counts.appendedBytes += bytes;
  }

  void retentionRemoved(TopicId topic, long messages) {
    topics.computeIfAbsent(topic, id -> new TopicCounts()).retentionRemoved += messages;
  }

  void consumed(ConsumerId consumer, long acked, long redelivered, long deadLettered) {
    ConsumerCounts counts = consumers.computeIfAbsent(consumer, id -> new ConsumerCounts());
    counts.acked += acked;
    counts.redelivered += redelivered;
    counts.deadLettered += deadLettered;
  }

  void forget(TopicId topic) {
    topics.remove(topic);
  }

  void forget(ConsumerId consumer) {
    consumers.remove(consumer);
  }
}
