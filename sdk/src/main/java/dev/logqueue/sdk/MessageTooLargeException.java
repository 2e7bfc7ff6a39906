package dev.logqueue.sdk;

/** The message, or the request, is over the broker's limit (`message_too_large`). */
public class MessageTooLargeException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public MessageTooLargeException(int status, String error, String message) {
    super(status, error, message);
  }
}
