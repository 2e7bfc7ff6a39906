package dev.logqueue.sdk;

/**
 * What the broker refused, or could not do: the HTTP status, the broker's stable {@link #error()}
 * code and its message. Subclasses name the cases a program handles.
 */
public class LogQueueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  public LogQueueException(int status, String error, String message) {
    this(status, error, message, null);
  }

  public LogQueueException(int status, String error, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.error = error;
  }

  /** The HTTP status of the answer; 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The broker's error code (for example {@code topic_not_found}); null if it sent none. */
  public String error() {
    return error;
  }

  /** The exception for a failure answer, chosen by its error code. */
  public static LogQueueException of(int status, String error, String message) {
    String code = error == null ? "" : error;
    return switch (code) {
      case "topic_not_found" -> new TopicNotFoundException(status, code, message);
      case "topic_exists" -> new TopicExistsException(status, code, message);
      case "producer_not_found", "consumer_not_found" ->
          new ClientNotFoundException(status, code, message);
      case "producer_topic_mismatch", "consumer_topic_mismatch" ->
          new TopicMismatchException(status, code, message);
      case "queue_empty" -> new QueueEmptyException(status, code, message);
      case "message_too_large" -> new MessageTooLargeException(status, code, message);
      case "bad_request", "not_found", "method_not_allowed" ->
          new InvalidRequestException(status, code, message);
      case "unavailable" -> new BrokerUnavailableException(status, code, message, null);
      case "unauthorized" -> new NotAuthorizedException(status, code, message);
      case "forbidden" -> new ForbiddenException(status, code, message);
      default ->
          status == 502 || status == 503 || status == 504
              ? new BrokerUnavailableException(status, error, message, null)
              : new LogQueueException(status, error, message);
    };
  }
}
