package dev.logqueue.sdk;

import java.time.Duration;

/**
 * How much of a topic the broker keeps: messages younger than {@code millis}, and of those the
 * newest {@code bytes} (of UTF-8); 0 is without limit, null the broker's default ({@code
 * LOGQUEUE_RETENTION_MS}, {@code LOGQUEUE_RETENTION_BYTES}). The broker deletes what is beyond,
 * oldest first, whatever its consumers have read: a consumer behind is told what it skipped.
 */
public record Retention(Long millis, Long bytes) {

  /** The broker's defaults, in both. */
  public static final Retention DEFAULTS = new Retention(null, null);

  /** Everything is kept. */
  public static final Retention UNLIMITED = new Retention(0L, 0L);

  public Retention {
    if ((millis != null && millis < 0) || (bytes != null && bytes < 0)) {
      throw new IllegalArgumentException(
          "Retention is 0 (without limit) or more: " + millis + ", " + bytes);
    }
  }

  /** Messages younger than {@code age}; the broker's default for bytes. */
  public static Retention age(Duration age) {
    return new Retention(age.toMillis(), null);
  }

  /** The newest {@code bytes} of messages; the broker's default for age. */
  public static Retention bytes(long bytes) {
    return new Retention(null, bytes);
  }

  /** These, and messages younger than {@code age}. */
  public Retention andAge(Duration age) {
    return new Retention(age.toMillis(), bytes);
  }

  /** These, and the newest {@code bytes} of messages. */
  public Retention andBytes(long bytes) {
    return new Retention(millis, bytes);
  }
}
