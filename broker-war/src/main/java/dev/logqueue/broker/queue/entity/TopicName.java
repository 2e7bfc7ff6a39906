package dev.logqueue.broker.queue.entity;

/**
 * A topic's name: 1 to 249 characters of {@code A-Z a-z 0-9 . _ -}. It can only be built valid. The
 * broker's own names of partitions' logs ({@link Partition}) are built here too, never from a
 * client's text ({@link #of(String)} refuses them).
 */
public record TopicName(String value) {

  public static final int MAX_LENGTH = 249;

  public TopicName {
    if (!isValid(value) && (value == null || !Partition.isLogName(value))) {
      throw invalid(value);
    }
  }

  /** A client's name of a topic. */
  public static TopicName of(String value) {
    if (value != null && !isValid(value) && Partition.isLogName(value)) {
      throw invalid(value);
    }
    return new TopicName(value);
  }

  /** A name as the store has it: a topic's, or a partition's log's. */
  public static TopicName stored(String value) {
    return new TopicName(value);
  }

  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static LogQueueException invalid(String value) {
    return LogQueueException.badRequest(
        "Invalid topic name: use 1 to "
            + MAX_LENGTH
            + " characters of A-Z a-z 0-9 . _ - (got "
            + describe(value)
            + ")");
  }

  /** Quotes a rejected name for an error message without echoing control characters or a novel. */
  private static String describe(String value) {
    if (value == null) {
      return "nothing";
    }
    if (value.isEmpty()) {
      return "an empty name";
    }
    if (value.length() > MAX_LENGTH) {
      return value.length() + " characters";
    }
    StringBuilder quoted = new StringBuilder("'");
    value
        .codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f && cp != '\'') {
                quoted.append((char) cp);
              } else {
                quoted.append(String.format("\\u%04x", cp));
              }
            });
    return quoted.append('\'').toString();
  }

  /** The name, or for a partition's log its topic's and its number (for messages). */
  @Override
  public String toString() {
    return Partition.isLog(this)
        ? Partition.topicOf(this).value() + "' partition '" + Partition.numberOf(this)
        : value;
  }
}
