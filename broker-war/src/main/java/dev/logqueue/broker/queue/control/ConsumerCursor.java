package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;

/** A consumer: the topic it reads and the committed offset of the next message it gets. */
final class ConsumerCursor {

  private final ConsumerId id;
  private final TopicLog topic;
  private volatile long offset;

  ConsumerCursor(ConsumerId id, TopicLog topic, long offset) {
    this.id = id;
    this.topic = topic;
    this.offset = offset;
  }

  ConsumerId id() {
    return id;
  }

  TopicLog topic() {
    return topic;
  }

  long offset() {
    return offset;
  }

  /** Publishes a committed move; only the committer calls it. */
  void moveTo(long committed) {
    offset = committed;
  }

  /** How many messages this consumer has not read yet. */
  long lag() {
    long read = offset; // read the offset before the end: both only grow
    return Math.max(0, topic.end() - read);
  }
}
