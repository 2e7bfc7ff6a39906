package dev.logqueue.broker.queue.control;

import java.util.List;

/**
 * Messages of a topic read without a consumer, in offset order, and the topic's retained range then
 * ({@code start} its first retained offset, {@code end} the offset of its next message).
 */
public record Browsed(long start, long end, List<Taken.Record> records) {

  public Browsed {
    records = List.copyOf(records);
  }
}
