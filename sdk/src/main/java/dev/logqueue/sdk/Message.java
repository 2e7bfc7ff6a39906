package dev.logqueue.sdk;

/**
 * A message a consumer was given: the topic it came from, its text, and, where the broker told
 * (explicit consumers), its offset, when it was appended (milliseconds since 1970) and how often it
 * was given ({@code delivery}: 1 the first time); -1, 0 and 1 where it did not (an auto consumer),
 * 0 for a message read without a consumer ({@link LogQueueClient#newestMessages}); and the
 * partition it came from (0 on a topic of one partition).
 */
public record Message(
    String topic, String text, long offset, long timestamp, int delivery, int partition) {

  /** A message of an auto consumer: its topic and text. */
  public Message(String topic, String text) {
    this(topic, text, -1, 0, 1, 0);
  }

  /** A message of a topic of one partition. */
  public Message(String topic, String text, long offset, long timestamp, int delivery) {
    this(topic, text, offset, timestamp, delivery, 0);
  }

  /** Whether it was given before (an explicit consumer's redelivery). */
  public boolean isRedelivery() {
    return delivery > 1;
  }
}
