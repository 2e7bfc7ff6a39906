package dev.logqueue.sdk;

/**
 * The producer or consumer id was issued for another topic (`producer_topic_mismatch`,
 * `consumer_topic_mismatch`).
 */
public class TopicMismatchException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public TopicMismatchException(int status, String error, String message) {
    super(status, error, message);
  }
}
