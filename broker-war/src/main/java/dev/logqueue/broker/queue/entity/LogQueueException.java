package dev.logqueue.broker.queue.entity;

import java.util.Objects;

/** A request the broker refuses, with the contract's error code and a message for people. */
public class LogQueueException extends RuntimeException {

  private final ErrorCode error;

  public LogQueueException(ErrorCode error, String message) {
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error);
  }

  public LogQueueException(ErrorCode error, String message, Throwable cause) {
    super(message, cause, false, false);
    this.error = Objects.requireNonNull(error);
  }

  public ErrorCode error() {
    return error;
  }

  public static LogQueueException badRequest(String message) {
    return new LogQueueException(ErrorCode.BAD_REQUEST, message);
  }

  public static LogQueueException unavailable(String message) {
    return new LogQueueException(ErrorCode.UNAVAILABLE, message);
  }

  public static LogQueueException unavailable(String message, Throwable cause) {
    return new LogQueueException(ErrorCode.UNAVAILABLE, message, cause);
  }

  public static LogQueueException topicNotFound(TopicName topic) {
    return new LogQueueException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + topic + "' does not exist");
  }

  public static LogQueueException topicExists(TopicName topic) {
    return new LogQueueException(ErrorCode.TOPIC_EXISTS, "Topic '" + topic + "' already exists");
  }

  public static LogQueueException producerNotFound(ProducerId id) {
    return new LogQueueException(
        ErrorCode.PRODUCER_NOT_FOUND, "Producer " + id + " is not registered");
  }

  public static LogQueueException consumerNotFound(ConsumerId id) {
    return new LogQueueException(
        ErrorCode.CONSUMER_NOT_FOUND, "Consumer " + id + " is not registered");
  }

  public static LogQueueException producerTopicMismatch(
      ProducerId id, TopicName registered, TopicName given) {
    return new LogQueueException(
        ErrorCode.PRODUCER_TOPIC_MISMATCH,
        "Producer " + id + " is registered for topic '" + registered + "', not '" + given + "'");
  }

  public static LogQueueException consumerTopicMismatch(
      ConsumerId id, TopicName registered, TopicName given) {
    return new LogQueueException(
        ErrorCode.CONSUMER_TOPIC_MISMATCH,
        "Consumer " + id + " is registered for topic '" + registered + "', not '" + given + "'");
  }

  public static LogQueueException queueEmpty(ConsumerId id, TopicName topic) {
    return new LogQueueException(
        ErrorCode.QUEUE_EMPTY,
        "Consumer " + id + " has read every message of topic '" + topic + "'");
  }

  public static LogQueueException messageTooLarge(long bytes, long limit) {
    return new LogQueueException(
        ErrorCode.MESSAGE_TOO_LARGE,
        "Message is " + bytes + " bytes of UTF-8; the limit is " + limit);
  }

  public static LogQueueException consumerExists(String name, TopicName topic) {
    return new LogQueueException(
        ErrorCode.CONSUMER_EXISTS,
        "Consumer '"
            + name
            + "' of topic '"
            + topic
            + "' is registered with other settings (ack, lease_ms, max_deliveries,"
            + " dead_letter_topic)");
  }

  public static LogQueueException notDelivered(ConsumerId id, long offset) {
    return new LogQueueException(
        ErrorCode.NOT_DELIVERED, "Offset " + offset + " was never given to consumer " + id);
  }

  public static LogQueueException leaseExpired(ConsumerId id, long offset) {
    return new LogQueueException(
        ErrorCode.LEASE_EXPIRED,
        "Offset " + offset + " is not leased to consumer " + id + " any more (its lease expired)");
  }

  public static LogQueueException notExplicit(ConsumerId id) {
    return new LogQueueException(
        ErrorCode.NOT_EXPLICIT,
        "Consumer "
            + id
            + " acknowledges automatically (\"ack\": \"auto\"); only an explicit"
            + " consumer takes acks, releases and rejects");
  }

  public static LogQueueException unauthorized(String message) {
    return new LogQueueException(ErrorCode.UNAUTHORIZED, message);
  }

  public static LogQueueException forbidden(String message) {
    return new LogQueueException(ErrorCode.FORBIDDEN, message);
  }
}
