package dev.logqueue.sdk;

/** A topic of that name exists already (`topic_exists`). */
public class TopicExistsException extends LogQueueException {

  private static final long serialVersionUID = 1L;

  public TopicExistsException(int status, String error, String message) {
    super(status, error, message);
  }
}
