package dev.logqueue.sdk;

/**
 * The broker could not be reached, or answered that it cannot serve now (503 {@code unavailable}:
 * its database is down; nothing was stored). Worth retrying later; the facades have already retried
 * before they throw it.
 */
public class BrokerUnavailableException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(int status, String error, String message, Throwable cause) {
    super(status, error, message, cause);
  }

  /** No answer at all: the connection failed or timed out. */
  public static BrokerUnavailableException unreachable(String what, Throwable cause) {
    return new BrokerUnavailableException(
        0, null, "The broker could not be reached (" + what + "): " + cause.getMessage(), cause);
  }
}
