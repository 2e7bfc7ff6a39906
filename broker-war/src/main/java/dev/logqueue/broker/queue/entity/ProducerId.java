package dev.logqueue.broker.queue.entity;

/** A producer's id: an integer from 1, issued once and never reused. */
public record ProducerId(long value) implements Comparable<ProducerId> {

  public ProducerId {
    if (value < 1) {
      throw new IllegalArgumentException("Producer ids start at 1: " + value);
    }
  }

  @Override
  public int compareTo(ProducerId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
