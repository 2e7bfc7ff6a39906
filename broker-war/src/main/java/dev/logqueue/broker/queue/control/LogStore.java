package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;

/**
 * The log of record. The queue keeps what makes requests fast in memory and writes every change
 * here, one transaction per batch, before it answers.
 *
 * <p>Every method throws {@link StoreException} when the database cannot do what is asked.
 */
public interface LogStore {

  /** Everything the queue needs to serve again after a restart; no message bodies. */
  Snapshot load();

  /** Writes all the changes in one transaction; when it returns, they are committed. */
  void commit(Changes changes);

  /**
   * Up to {@code max} committed messages of a topic from {@code fromOffset} on, in offset order,
   * without gaps: fewer only where the log ends.
   */
  List<String> read(TopicId topic, long fromOffset, int max);

  /** Whether the database answers now. */
  boolean isReachable();

  record Snapshot(
      List<TopicRecord> topics, List<ProducerRecord> producers, List<ConsumerRecord> consumers) {}

  /** A topic and its end offset (the offset its next message gets). */
  record TopicRecord(TopicId id, TopicName name, long end) {}

  record ProducerRecord(ProducerId id, TopicId topic) {}

  /** A consumer and the offset of the next message it will be given. */
  record ConsumerRecord(ConsumerId id, TopicId topic, long offset) {}

  record MessageRecord(TopicId topic, long offset, ProducerId producer, String text) {}

  /**
   * One transaction's worth: rows to insert (topics, producers, consumers, messages) and consumer
   * offsets to move.
   */
  record Changes(
      List<TopicRecord> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      List<MessageRecord> messages,
      List<ConsumerRecord> offsets) {

    public boolean isEmpty() {
      return topics.isEmpty()
          && producers.isEmpty()
          && consumers.isEmpty()
          && messages.isEmpty()
          && offsets.isEmpty();
    }
  }
}
