package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.Message;
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
  List<Message> read(TopicId topic, long fromOffset, int max);

  /**
   * The first offset below {@code end} of a message appended at or after {@code time} (milliseconds
   * since 1970), {@code end} if none.
   */
  long firstAtOrAfter(TopicId topic, long end, long time);

  /** Whether the database answers now. */
  boolean isReachable();

  /**
   * The state; {@code recentIds} of each topic in offset order, and {@code acks} of each explicit
   * consumer above its floor (those without any omitted).
   */
  record Snapshot(
      List<TopicRecord> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      Map<TopicId, List<RecentId>> recentIds,
      Map<ConsumerId, List<Long>> acks) {}

  /**
   * A topic, its end offset (the offset its next message gets) and when its last message was
   * appended (0 if never).
   */
  record TopicRecord(TopicId id, TopicName name, long end, long lastAppendedAt) {}

  /** A message id appended within the dedup window: where, and when. */
  record RecentId(MessageId id, long offset, long appendedAt) {}

  record ProducerRecord(ProducerId id, TopicId topic) {}

  /**
   * A consumer, its settings and its committed position: the offset of the next message it will be
   * given (auto), or its floor, below which everything is settled (explicit).
   */
  record ConsumerRecord(ConsumerId id, TopicId topic, long offset, ConsumerSettings settings) {}

  /**
   * An explicit consumer's settled messages: its new floor, whether every acknowledgement stored
   * above the floor is dropped first (it moved), and the offsets above it newly acknowledged.
   */
  record AckRecord(ConsumerId consumer, long floor, boolean resetAcks, List<Long> acked) {}

  /**
   * A message to store: where, by whom ({@link ProducerId#BROKER} for a dead-lettered copy), the
   * message, and the producer's id for it, if it gave one ({@code null} if not).
   */
  record MessageRecord(
      TopicId topic, long offset, ProducerId producer, Message message, MessageId messageId) {}

  /**
   * One transaction's worth: rows to insert (topics, producers, consumers, messages), consumer
   * offsets to move, and explicit consumers' acknowledgements.
   */
  record Changes(
      List<TopicRecord> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      List<MessageRecord> messages,
      List<ConsumerRecord> offsets,
      List<AckRecord> acks) {

    public boolean isEmpty() {
      return topics.isEmpty()
          && producers.isEmpty()
          && consumers.isEmpty()
          && messages.isEmpty()
          && offsets.isEmpty()
          && acks.isEmpty();
    }
  }
}
