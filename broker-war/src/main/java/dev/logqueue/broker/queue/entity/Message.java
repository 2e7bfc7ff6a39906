package dev.logqueue.broker.queue.entity;

/**
 * A committed message: its text, when it was appended (milliseconds since 1970, UTC; 0 for messages
 * stored before the broker recorded it) and, for a copy in a dead-letter topic, where it came from
 * (else {@code null}).
 */
public record Message(String text, long timestamp, Origin origin) {

  /** Where a dead-lettered message came from: topic, offset, and how often it was delivered. */
  public record Origin(TopicName topic, long offset, int deliveries) {}

  public static Message of(String text, long timestamp) {
    return new Message(text, timestamp, null);
  }
}
