package dev.logqueue.sdk;

/**
 * The consumer has read every message of its topic (`queue_empty`): the facades return an empty
 * result instead.
 */
public class QueueEmptyException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public QueueEmptyException(int status, String error, String message) {
    super(status, error, message);
  }
}
