package dev.logqueue.broker.queue.entity;

/**
 * A producer's id for a message, by which the broker recognises a retried produce: 1 to 128
 * printable ASCII characters (space to tilde). It can only be built valid.
 */
public record MessageId(String value) {

  public static final int MAX_LENGTH = 128;

  public MessageId {
    if (!isValid(value)) {
      throw LogQueueException.badRequest(
          "Invalid message id: use 1 to " + MAX_LENGTH + " printable ASCII characters");
    }
  }

  public static MessageId of(String value) {
    return new MessageId(value);
  }

  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value;
  }
}
