package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;

/**
 * What a topic holds now, from memory: its retained range ({@code start} the first retained offset,
 * {@code end} the offset of the next message), their messages and bytes of UTF-8, the retention in
 * effect, how many producers it has, and its consumers.
 */
public record TopicDetails(
    TopicName name,
    long start,
    long end,
    long messages,
    long bytes,
    Retention retention,
    int producers,
    List<ConsumerDetails> consumers) {

  /**
   * A consumer: its position (auto: the next offset it gets; explicit: its floor), what it has not
   * read (or not settled) yet, and how many messages it holds leased.
   */
  public record ConsumerDetails(
      ConsumerId id, String name, boolean explicit, long offset, long lag, int leased) {}

  static TopicDetails of(QueueState state, TopicLog topic) {
    TopicLog.Range range = topic.range();
    List<ConsumerDetails> consumers =
        state.consumersOf(topic).stream()
            .map(
                c ->
                    new ConsumerDetails(
                        c.id(),
                        c.settings().name(),
                        c.isExplicit(),
                        c.offset(),
                        c.lag(),
                        c.leased()))
            .toList();
    return new TopicDetails(
        topic.name(),
        range.start(),
        range.end(),
        range.messages(),
        range.bytes(),
        state.retentionOf(topic),
        state.producerCount(topic),
        consumers);
  }
}
