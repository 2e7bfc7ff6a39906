package dev.logqueue.broker.queue.entity;

/**
 * How much of a topic is kept: messages younger than {@code millis} and, of those, the newest
 * {@code bytes} of UTF-8; 0 is without limit. A topic's own setting may leave a field to the
 * broker's default ({@link #DEFAULT}, stored as NULL), which then applies to it even when it
 * changes later (Kafka's rule for topic configuration).
 */
public record Retention(long millis, long bytes) {

  /** A field of a topic's own setting that follows the broker's default. */
  public static final long DEFAULT = -1;

  /** A field a change leaves as it is. */
  public static final long UNCHANGED = -2;

  /** Without limits. */
  public static final Retention NONE = new Retention(0, 0);

  /** A topic that follows the broker's defaults in both. */
  public static final Retention DEFAULTS = new Retention(DEFAULT, DEFAULT);

  public Retention {
    if (millis < UNCHANGED || bytes < UNCHANGED) {
      throw new IllegalArgumentException("retention out of range: " + millis + ", " + bytes);
    }
  }

  /** These settings where they are set, {@code defaults} where they follow the default. */
  public Retention over(Retention defaults) {
    return new Retention(
        millis == DEFAULT ? defaults.millis : millis, bytes == DEFAULT ? defaults.bytes : bytes);
  }

  /** These settings changed by {@code change}: its fields but where they are {@link #UNCHANGED}. */
  public Retention changedBy(Retention change) {
    return new Retention(
        change.millis == UNCHANGED ? millis : change.millis,
        change.bytes == UNCHANGED ? bytes : change.bytes);
  }

  /** Whether anything is deleted under these (effective) settings. */
  public boolean limits() {
    return millis > 0 || bytes > 0;
  }
}
