package dev.logqueue.sdk;

import java.time.Instant;
import java.util.List;

/**
 * A topic as the broker holds it now: the retained offsets {@code [startOffset, endOffset)}, their
 * messages and bytes of UTF-8, when the oldest of them was appended (null when there is none), the
 * retention in effect (0: without limit), how many producers it has, and its consumers.
 */
public record TopicInfo(
    String name,
    long startOffset,
    long endOffset,
    long messages,
    long bytes,
    Instant oldest,
    long retentionMillis,
    long retentionBytes,
    int producers,
    List<ConsumerInfo> consumers) {

  /**
   * A consumer of the topic: its id, its name (null if anonymous), whether it acknowledges
   * explicitly, its position (auto: the next offset; explicit: below it everything is settled),
   * what it has not read (or not settled) in messages and as the age of the oldest of them, how
   * many messages it holds leased, and what it acknowledged, was given again and dead-lettered
   * since the broker started.
   */
  public record ConsumerInfo(
      long id,
      String name,
      boolean explicit,
      long offset,
      long lag,
      long lagMillis,
      int leased,
      long acked,
      long redelivered,
      long deadLettered) {}
}
