package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;
import java.util.Map;

/**
 * The log of record. The queue keeps what makes requests fast in memory and writes every change
 * here, one transaction per batch, before it answers.
 *
 * <p>Every method throws {@link StoreException} when the database cannot do what is asked.
 */
public interface LogStore {

  /**
   * Everything the queue needs to serve again after a restart; no message bodies.
   *
   * @param idsSince the message ids of each topic appended at or after this time (milliseconds
   *     since 1970) are loaded, the dedup window's content
   * @param maxIds at most this many ids per topic, the most recent
   */
  Snapshot load(long idsSince, int maxIds);

  /** Writes all the changes in one transaction; when it returns, they are committed. */
  void commit(Changes changes);

  /**
   * Up to {@code max} committed messages of a topic from {@code fromOffset} on, in offset order,
   * without gaps: fewer only where the log ends.
   */
  List<String> read(TopicId topic, long fromOffset, int max);

  /** Whether the database answers now. */
  boolean isReachable();

  /** The state; {@code recentIds} of each topic in offset order (topics without any omitted). */
  record Snapshot(
      List<TopicRecord> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      Map<TopicId, List<RecentId>> recentIds) {}

  /**
   * A topic, its end offset (the offset its next message gets) and when its last message was
   * appended (0 if never).
   */
  record TopicRecord(TopicId id, TopicName name, long end, long lastAppendedAt) {}

  /** A message id appended within the dedup window: where, and when. */
  record RecentId(MessageId id, long offset, long appendedAt) {}

  record ProducerRecord(ProducerId id, TopicId topic) {}

  /** A consumer and the offset of the next message it will be given. */
  record ConsumerRecord(ConsumerId id, TopicId topic, long offset) {}

  /**
   * A message to store: where, by whom, its text, when it was appended (milliseconds since 1970)
   * and the producer's id for it, if it gave one ({@code null} if not).
   */
  record MessageRecord(
      TopicId topic,
      long offset,
      ProducerId producer,
      String text,
      long appendedAt,
      MessageId messageId) {}

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
