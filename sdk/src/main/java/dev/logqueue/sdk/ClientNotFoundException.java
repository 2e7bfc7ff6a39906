package dev.logqueue.sdk;

/** The producer or consumer id was never issued (`producer_not_found`, `consumer_not_found`). */
public class ClientNotFoundException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public ClientNotFoundException(int status, String error, String message) {
    super(status, error, message);
  }
}
