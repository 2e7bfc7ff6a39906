package dev.logqueue.broker.queue.entity;

/** A topic's id: an integer from 1, issued once and never reused. */
public record TopicId(long value) implements Comparable<TopicId> {

  public TopicId {
    if (value < 1) {
      throw new IllegalArgumentException("Topic ids start at 1: " + value);
    }
  }

  @Override
  public int compareTo(TopicId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
