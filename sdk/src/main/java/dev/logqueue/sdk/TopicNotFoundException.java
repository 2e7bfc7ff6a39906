package dev.logqueue.sdk;

/** The topic does not exist (`topic_not_found`). */
public class TopicNotFoundException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public TopicNotFoundException(int status, String error, String message) {
    super(status, error, message);
  }
}
