package dev.logqueue.broker.queue.control;

/** The database could not do what was asked; nothing of the failed call is committed. */
public class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
