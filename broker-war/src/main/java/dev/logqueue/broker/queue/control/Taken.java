package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Message;
import java.util.List;

/**
 * What a consume took: the records, in offset order of each source (redeliveries first, then new
 * messages), and for an explicit consumer until when they are leased to it.
 *
 * @param explicit whether the consumer acknowledges explicitly (its answer carries records)
 * @param leaseUntil milliseconds since 1970 until which the records are leased; 0 for auto
 * @param skipped how many messages retention deleted before this consumer read them, told now
 */
public record Taken(List<Record> records, boolean explicit, long leaseUntil, long skipped) {

  /** A message given to a consumer: its offset, and how often it was given (1 the first time). */
  public record Record(long offset, Message message, int delivery) {}

  public Taken {
    records = List.copyOf(records);
  }

  public boolean isEmpty() {
    return records.isEmpty();
  }

  /** The messages' texts, in order. */
  public List<String> texts() {
    return records.stream().map(record -> record.message().text()).toList();
  }
}
