package dev.logqueue.sdk;

/**
 * The token is good but may not do this: its role, a topic it does not name, or a producer or
 * consumer of another subject (`forbidden`, HTTP 403).
 */
public class ForbiddenException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public ForbiddenException(int status, String error, String message) {
    super(status, error, message);
  }
}
