package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;

/**
 * A consumer: the topic it reads, its settings, and where it is. An auto consumer has the committed
 * offset of the next message it gets; an explicit one has its {@link Deliveries}, whose floor is
 * the committed part of its position.
 */
final class ConsumerCursor {

  private final ConsumerId id;
  private final TopicLog topic;
  private final ConsumerSettings settings;
  private final Deliveries deliveries;
  private volatile long offset;
  private volatile long skipped;
  private final String owner;
  private volatile String startAt;

  /** An auto consumer at {@code offset}, registered without authentication. */
  ConsumerCursor(ConsumerId id, TopicLog topic, ConsumerSettings settings, long offset) {
    this(id, topic, settings, offset, null, 0, null);
  }

  /**
   * @param skipped messages retention deleted before the consumer read them, not told yet
   * @param owner the subject that registered it; null if registered without authentication
   */
  ConsumerCursor(
      ConsumerId id,
      TopicLog topic,
      ConsumerSettings settings,
      long offset,
      Deliveries deliveries,
      long skipped,
      String owner) {
    this.id = id;
    this.owner = owner;
    this.topic = topic;
    this.settings = settings;
    this.offset = offset;
    this.deliveries = deliveries;
    this.skipped = skipped;
    if (settings.explicit() != (deliveries != null)) {
      throw new IllegalArgumentException("An explicit consumer has deliveries, an auto one none");
    }
  }

  /**
   * Where its cursors on the topic's other partitions begin ({@link PartitionStart}); null for a
   * consumer of a topic of one partition.
   */
  String startAt() {
    return startAt;
  }

  /** Set once, when the consumer is registered or loaded. */
  ConsumerCursor startAt(String start) {
    this.startAt = start;
    return this;
  }

  ConsumerId id() {
    return id;
  }

  TopicLog topic() {
    return topic;
  }

  ConsumerSettings settings() {
    return settings;
  }

  String owner() {
    return owner;
  }

  boolean isExplicit() {
    return deliveries != null;
  }

  /** An explicit consumer's deliveries; only for explicit consumers. */
  Deliveries deliveries() {
    if (deliveries == null) {
      throw new IllegalStateException("Consumer " + id + " is not explicit");
    }
    return deliveries;
  }

  /**
   * The committed position: an auto consumer's next offset, an explicit one's floor (below it
   * everything is settled).
   */
  long offset() {
    return deliveries != null ? deliveries.floor() : offset;
  }

  /** Publishes a committed move of an auto consumer; only the committer calls it. */
  void moveTo(long committed) {
    offset = committed;
  }

  /**
   * How many messages retention deleted before this consumer read them (settled them, if explicit),
   * that no consume has told it yet.
   */
  long skipped() {
    return skipped;
  }

  /** Publishes a committed count of skipped messages; only the committer calls it. */
  void skipped(long committed) {
    skipped = committed;
  }

  /** How many messages it holds given and not settled (explicit); 0 for an auto consumer. */
  int leased() {
    return deliveries == null ? 0 : deliveries.leased();
  }

  /**
   * How many messages this consumer has not read yet (auto), or not settled yet (explicit, leased
   * ones included).
   */
  long lag() {
    if (deliveries != null) {
      return deliveries.size(topic.end());
    }
    long read = offset; // read the offset before the end: both only grow
    return Math.max(0, topic.end() - read);
  }
}
