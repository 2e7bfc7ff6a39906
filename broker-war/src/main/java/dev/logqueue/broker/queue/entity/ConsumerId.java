package dev.logqueue.broker.queue.entity;

/** A consumer's id: an integer from 1, issued once and never reused. */
public record ConsumerId(long value) implements Comparable<ConsumerId> {

  public ConsumerId {
    if (value < 1) {
      throw new IllegalArgumentException("Consumer ids start at 1: " + value);
    }
  }

  @Override
  public int compareTo(ConsumerId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
