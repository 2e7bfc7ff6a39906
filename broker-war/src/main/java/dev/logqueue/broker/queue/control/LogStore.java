package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Claims.Claim;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The log of record. The queue keeps what makes requests fast in memory and writes every change
 * here, one transaction per batch, before it answers.
 *
 * <p>Every method throws {@link StoreException} when the database cannot do what is asked.
 */
public interface LogStore {

  /**
   * What makes the database unsafe or exposed, for readiness and the log: why the broker refuses to
   * use it (it would lose acknowledged commits), and what it serves beyond the broker.
   */
  default List<String> problems() {
    return List.of();
  }

  /**
   * Everything the queue needs to serve again after a restart; no message bodies.
   *
   * @param idsSince the message ids of each topic appended at or after this time (milliseconds
   *     since 1970) are loaded, the dedup window's content
   * @param maxIds at most this many ids per topic, the most recent
   */
  default Snapshot load(long idsSince, int maxIds) {
    return load(idsSince, maxIds, topic -> true);
  }

  /**
   * As {@link #load(long, int)}, of the topics {@code here} accepts only (a cluster member's), with
   * their producers, consumers and acknowledgements; deleted topics are listed all the same.
   */
  Snapshot load(long idsSince, int maxIds, Predicate<TopicName> here);

  /** Writes all the changes in one transaction; when it returns, they are committed. */
  void commit(Changes changes);

  /**
   * Up to {@code max} committed messages of a topic from {@code fromOffset} on, in offset order,
   * without gaps: fewer only where the log ends.
   */
  List<Message> read(TopicId topic, long fromOffset, int max);

  /**
   * The first offset in {@code [from, end)} of a message appended at or after {@code time}
   * (milliseconds since 1970), {@code end} if none; the rows of that range are committed.
   */
  long firstAtOrAfter(TopicId topic, long from, long end, long time);

  /**
   * The first offset in {@code [from, end)} of a message with at least {@code position} bytes of
   * its topic before it, {@code end} if none; the rows of that range are committed.
   */
  long firstFromPosition(TopicId topic, long from, long end, long position);

  /** Where a committed message is: when it was appended, and the bytes of its topic before it. */
  Mark mark(TopicId topic, long offset);

  /**
   * Deletes the messages of a topic in {@code [from, until)}, in a transaction of its own, apart
   * from the commits; returns how many rows it deleted.
   */
  int deleteMessages(TopicId topic, long from, long until);

  /**
   * The lowest offset of a topic still stored, or {@code end} if none is: where deletion resumes.
   */
  long lowestOffset(TopicId topic, long end);

  /** Forgets a deleted topic once its messages are gone (see {@link Snapshot#deletedTopics}). */
  void forgetDeletedTopic(TopicId topic);

  /**
   * Makes the space of deleted messages reusable now, where the database needs to be told
   * (PostgreSQL: a plain {@code VACUUM} of the message table, which runs beside the writes); a
   * no-op where it reuses it by itself.
   */
  void reclaim();

  /**
   * A commit refused because a topic's claim moved in the store: another broker of the cluster took
   * its slot over; nothing of the commit was stored.
   */
  final class Fenced extends StoreException {
    private static final long serialVersionUID = 1L;

    public Fenced(String message) {
      super(message);
    }
  }

  /** Whether the database answers now. */
  boolean isReachable();

  /**
   * The state; {@code recentIds} of each topic in offset order, and {@code acks} of each explicit
   * consumer above its floor (those without any omitted).
   */
  record Snapshot(
      List<StoredTopic> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      Map<TopicId, List<RecentId>> recentIds,
      Map<ConsumerId, List<Long>> acks,
      LastIds lastIds,
      List<DeletedTopic> deletedTopics) {}

  /** A topic, as created: its id, name and its own retention ({@link Retention#DEFAULT} fields). */
  record TopicRecord(TopicId id, TopicName name, Retention retention, int partitions) {

    /** A topic of one partition. */
    TopicRecord(TopicId id, TopicName name, Retention retention) {
      this(id, name, retention, 1);
    }
  }

  /**
   * A topic as stored: the first retained offset, {@code start}, with the bytes of the topic before
   * it ({@code startPosition}) and when its message was appended ({@code startTime}, 0 if {@code
   * start == end}); the end offset (the offset its next message gets), the bytes before it, and
   * when its last message was appended (0 if never).
   */
  record StoredTopic(
      TopicRecord topic,
      long start,
      long startPosition,
      long startTime,
      long end,
      long endPosition,
      long lastAppendedAt) {}

  /** A deleted topic whose messages may still be stored, below {@code end}. */
  record DeletedTopic(TopicId id, long end) {}

  /**
   * The highest ids issued, as far as deletions could hide them: ids are restored as the greater of
   * these and the highest id stored, so that a deleted one is never issued again.
   */
  record LastIds(long topic, long producer, long consumer) {
    static final LastIds NONE = new LastIds(0, 0, 0);
  }

  /** A committed message's time and position: the bytes of its topic before it. */
  record Mark(long appendedAt, long position) {}

  /** A message id appended within the dedup window: where, and when. */
  record RecentId(MessageId id, long offset, long appendedAt) {}

  /** A producer, its topic, and the subject that registered it (null without authentication). */
  record ProducerRecord(ProducerId id, TopicId topic, String owner) {}

  /**
   * A consumer, its settings and its committed position: the offset of the next message it will be
   * given (auto), or its floor, below which everything is settled (explicit); and how many messages
   * retention deleted before it read them that its consumes have not told yet; and the subject that
   * registered it (null without authentication).
   */
  record ConsumerRecord(
      ConsumerId id,
      TopicId topic,
      long offset,
      ConsumerSettings settings,
      long skipped,
      String owner,
      String startAt) {

    /** A consumer of a topic of one partition. */
    ConsumerRecord(
        ConsumerId id,
        TopicId topic,
        long offset,
        ConsumerSettings settings,
        long skipped,
        String owner) {
      this(id, topic, offset, settings, skipped, owner, null);
    }
  }

  /**
   * An explicit consumer's settled messages: its new floor, whether every acknowledgement stored
   * above the floor is dropped first (it moved), and the offsets above it newly acknowledged.
   */
  record AckRecord(ConsumerId consumer, long floor, boolean resetAcks, List<Long> acked) {}

  /**
   * A message to store: where, by whom ({@link ProducerId#BROKER} for a dead-lettered copy), the
   * message, the producer's id for it, if it gave one ({@code null} if not), and its position: the
   * bytes of UTF-8 of its topic's messages before it.
   */
  record MessageRecord(
      TopicId topic,
      long offset,
      ProducerId producer,
      Message message,
      MessageId messageId,
      long position) {}

  /** A topic's new first retained offset, and the bytes of the topic before it. */
  record StartRecord(TopicId topic, long start, long position) {}

  /**
   * One transaction's worth: rows to insert (topics, producers, consumers, messages), consumer
   * offsets to move, explicit consumers' acknowledgements, and the changes of the topics' lifecycle
   * ({@link Lifecycle}); in a cluster, the claim of each topic written, which the transaction must
   * find unchanged in the store or commit nothing ({@link Fenced}), none on a single broker.
   */
  record Changes(
      List<TopicRecord> topics,
      List<ProducerRecord> producers,
      List<ConsumerRecord> consumers,
      List<MessageRecord> messages,
      List<ConsumerRecord> offsets,
      List<AckRecord> acks,
      Lifecycle lifecycle,
      Map<TopicId, Claim> fence) {

    public boolean isEmpty() {
      return topics.isEmpty()
          && producers.isEmpty()
          && consumers.isEmpty()
          && messages.isEmpty()
          && offsets.isEmpty()
          && acks.isEmpty()
          && lifecycle.isEmpty()
          && fence.isEmpty(); // a commit that only checks its claims (Batch#doubt)
    }
  }

  /**
   * Topics' own retention changed, first retained offsets moved, topics and consumers deleted
   * (their rows go, with their producers, consumers and acknowledgements; a deleted topic's
   * messages are deleted later, by {@link #deleteMessages}), and the ids issued so far, when a
   * deletion may hide the highest of them.
   */
  record Lifecycle(
      List<TopicRecord> retention,
      List<StartRecord> starts,
      List<DeletedTopic> deletedTopics,
      List<ConsumerId> deletedConsumers,
      LastIds lastIds) {

    static final Lifecycle NONE = new Lifecycle(List.of(), List.of(), List.of(), List.of(), null);

    public boolean isEmpty() {
      return retention.isEmpty()
          && starts.isEmpty()
          && deletedTopics.isEmpty()
          && deletedConsumers.isEmpty()
          && lastIds == null;
    }
  }
}
