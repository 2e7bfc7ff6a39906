package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;

/**
 * What a topic holds now: its retained range ({@code start} the first retained offset, {@code end}
 * the offset of the next message), their messages and bytes of UTF-8, when the oldest of them was
 * appended (0: none), the retention in effect, how many producers it has, its consumers, and what
 * it counted since the broker started (messages and bytes appended, messages retention removed),
 * and how many partitions it has (the details of a partition's log are that partition's alone).
 */
public record TopicDetails(
    TopicId id,
    TopicName name,
    long start,
    long end,
    long messages,
    long bytes,
    long oldestTimestamp,
    Retention retention,
    int producers,
    List<ConsumerDetails> consumers,
    long appendedMessages,
    long appendedBytes,
    long retentionRemoved,
    int partitions) {

  /**
   * A consumer: its position (auto: the next offset it gets; explicit: its floor), what it has not
   * read (or not settled) yet, how long ago the oldest of that was appended (0: none), how many
   * messages it holds leased, and what it counted since the broker started (explicit: messages
   * acknowledged, given again, dead-lettered).
   */
  public record ConsumerDetails(
      ConsumerId id,
      String name,
      boolean explicit,
      long offset,
      long lag,
      long lagMillis,
      int leased,
      long acked,
      long redelivered,
      long deadLettered) {}

  /** Read by the committer, in {@code batch}. */
  static TopicDetails of(Batch batch, TopicLog topic) {
    QueueState state = batch.state();
    QueueCounts counts = batch.counts();
    TopicLog.Range range = topic.range();
    List<ConsumerDetails> consumers =
        state.consumersOf(topic).stream()
            .map(
                c -> {
                  long lag = c.lag();
                  long lagMillis = 0;
                  if (lag > 0) {
                    long oldest =
                        batch
                            .read(topic, Math.max(c.offset(), range.start()), 1)
                            .get(0)
                            .timestamp();
                    lagMillis = Math.max(0, batch.now() - oldest);
                  }
                  QueueCounts.ConsumerCounts counted = counts.of(c.id());
                  return new ConsumerDetails(
                      c.id(),
                      c.settings().name(),
                      c.isExplicit(),
                      c.offset(),
                      lag,
                      lagMillis,
                      c.leased(),
                      counted.acked(),
                      counted.redelivered(),
                      counted.deadLettered());
                })
            .toList();
    QueueCounts.TopicCounts counted = counts.of(topic.id());
    return new TopicDetails(
        topic.id(),
        topic.name(),
        range.start(),
        range.end(),
        range.messages(),
        range.bytes(),
        range.messages() == 0 ? 0 : range.startTime(),
        state.retentionOf(topic),
        state.producerCount(topic),
        consumers,
        counted.appendedMessages(),
        counted.appendedBytes(),
        counted.retentionRemoved(),
        topic.partitions());
  }
}
