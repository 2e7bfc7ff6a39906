package dev.logqueue.broker.queue.entity;

/**
 * How a consumer consumes: its name if it is durable ({@code null}: anonymous, v1), whether it
 * acknowledges explicitly (at least once) or each consume moves its offset (auto, at most once),
 * how long a message stays leased to a consume, and where a message goes after {@code
 * maxDeliveries} deliveries without an ack ({@code 0} and {@code null}: nowhere, redelivered until
 * acknowledged).
 */
public record ConsumerSettings(
    String name, boolean explicit, long leaseMillis, int maxDeliveries, TopicName deadLetterTopic) {

  public static final long DEFAULT_LEASE_MILLIS = 30_000;
  public static final long MIN_LEASE_MILLIS = 1_000;
  public static final long MAX_LEASE_MILLIS = 3_600_000;
  public static final int MAX_DELIVERIES = 1_000;

  /** A v1 consumer: anonymous, auto. */
  public static final ConsumerSettings V1 =
      new ConsumerSettings(null, false, DEFAULT_LEASE_MILLIS, 0, null);

  public ConsumerSettings {
    if (name != null && !TopicName.isValid(name)) {
      throw LogQueueException.badRequest(
          "Invalid consumer name: use 1 to "
              + TopicName.MAX_LENGTH
              + " characters of A-Z a-z 0-9 . _ -");
    }
    if (leaseMillis < MIN_LEASE_MILLIS || leaseMillis > MAX_LEASE_MILLIS) {
      throw LogQueueException.badRequest(
          "Field 'lease_ms' must be an integer from "
              + MIN_LEASE_MILLIS
              + " to "
              + MAX_LEASE_MILLIS);
    }
    if ((maxDeliveries == 0) != (deadLetterTopic == null)) {
      throw LogQueueException.badRequest(
          "Send both 'max_deliveries' and 'dead_letter_topic', or neither");
    }
    if (maxDeliveries < 0 || maxDeliveries > MAX_DELIVERIES) {
      throw LogQueueException.badRequest(
          "Field 'max_deliveries' must be an integer from 1 to " + MAX_DELIVERIES);
    }
    if (!explicit && (deadLetterTopic != null || leaseMillis != DEFAULT_LEASE_MILLIS)) {
      throw LogQueueException.badRequest(
          "'lease_ms', 'max_deliveries' and 'dead_letter_topic' are for \"ack\": \"explicit\"");
    }
  }

  public boolean hasDeadLetterTopic() {
    return deadLetterTopic != null;
  }
}
