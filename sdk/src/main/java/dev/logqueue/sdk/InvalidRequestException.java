package dev.logqueue.sdk;

/**
 * The broker could not read the request (`bad_request`), or it went to a path or method the broker
 * does not have: a bug of the caller, not a state of the queue.
 */
public class InvalidRequestException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public InvalidRequestException(int status, String error, String message) {
    super(status, error, message);
  }
}
