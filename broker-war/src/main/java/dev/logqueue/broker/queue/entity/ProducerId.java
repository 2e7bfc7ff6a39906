package dev.logqueue.broker.queue.entity;

/**
 * A producer's id: an integer from 1, issued once and never reused; {@link #BROKER} (0) stands for
 * the broker itself, the producer of dead-lettered copies.
 */
public record ProducerId(long value) implements Comparable<ProducerId> {

  public static final ProducerId BROKER = new ProducerId(0);

  public ProducerId {
    if (value < 0) {
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
