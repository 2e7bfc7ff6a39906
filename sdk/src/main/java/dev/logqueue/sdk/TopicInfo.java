package dev.logqueue.sdk;

import java.util.List;

/**
 * A topic as the broker holds it now: the retained offsets {@code [startOffset, endOffset)}, their
 * messages and bytes of UTF-8, the retention in effect (0: without limit), how many producers it
 * has, and its consumers.
 */
public record TopicInfo(
    String name,
    long startOffset,
    long endOffset,
    long messages,
    long bytes,
    long retentionMillis,
    long retentionBytes,
    int producers,
    List<ConsumerInfo> consumers) {

  /**
   * A consumer of the topic: its id, its name (null if anonymous), whether it acknowledges
   * explicitly, its position (auto: the next offset; explicit: below it everything is settled),
   * what it has not read (or not settled), and how many messages it holds leased.
   */
  public record ConsumerInfo(
      long id, String name, boolean explicit, long offset, long lag, int leased) {}
}
