package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Deliveries.AckChanges;
import dev.logqueue.broker.queue.control.LogStore.AckRecord;
import dev.logqueue.broker.queue.control.LogStore.Changes;
import dev.logqueue.broker.queue.control.LogStore.ConsumerRecord;
import dev.logqueue.broker.queue.control.LogStore.DeletedTopic;
import dev.logqueue.broker.queue.control.LogStore.Lifecycle;
import dev.logqueue.broker.queue.control.LogStore.MessageRecord;
import dev.logqueue.broker.queue.control.LogStore.ProducerRecord;
import dev.logqueue.broker.queue.control.LogStore.RecentId;
import dev.logqueue.broker.queue.control.LogStore.StartRecord;
import dev.logqueue.broker.queue.control.LogStore.TopicRecord;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The changes of one group commit, staged on top of the committed state: what the commands of the
 * batch see while they are applied in order, what goes to the store in one transaction, and what is
 * published to memory once that transaction has committed. Used by the committer's thread only.
 *
 * <p>Explicit consumers' deliveries are memory the commands change as they are applied (see {@link
 * Deliveries}); the batch collects what of them must be stored.
 *
 * <p>A deletion (of a topic or a consumer) is committed in a batch of its own (see {@link
 * Command#isExclusive()}), so that no other command of a batch sees what it deletes.
 */
final class Batch {

  private final QueueState state;
  private final HistoryCache history;
  private final QueueCounts counts;
  private final Tally tally = new Tally();

  private final Map<TopicName, TopicLog> newTopics = new LinkedHashMap<>();
  private final Map<ProducerId, TopicLog> newProducers = new LinkedHashMap<>();
  private final Map<ProducerId, String> newProducerOwners = new HashMap<>();
  private final List<ConsumerCursor> newConsumers = new ArrayList<>();
  private final Map<TopicLog, List<Message>> appended = new LinkedHashMap<>();
  private final Set<TopicLog> doubted = new LinkedHashSet<>();
  private final List<MessageRecord> messages = new ArrayList<>();
  private final Map<ConsumerCursor, Long> moves = new LinkedHashMap<>();
  private final Set<ConsumerCursor> settling = new LinkedHashSet<>();
  private final Set<TopicLog> released = new LinkedHashSet<>();
  private final Map<ConsumerCursor, Long> skips = new LinkedHashMap<>();
  private final Map<TopicLog, Retention> retentions = new LinkedHashMap<>();
  private final Map<TopicLog, Retained> starts = new LinkedHashMap<>();
  private final Set<TopicLog> deletedTopics = new LinkedHashSet<>();
  private final Set<ConsumerCursor> deletedConsumers = new LinkedHashSet<>();

  /** A topic's new first retained offset, the bytes before it, when its message was appended. */
  private record Retained(long start, long position, long time) {}

  // per topic appended to: when its messages of this batch are appended, and the ids they carry
  private final Map<TopicLog, Long> appendedAt = new HashMap<>();
  private final Map<TopicLog, Long> appendedBytes = new HashMap<>();
  private final Map<TopicLog, Map<MessageId, RecentId>> newIds = new HashMap<>();
  private final long now = System.currentTimeMillis();

  Batch(QueueState state, HistoryCache history, QueueCounts counts) {
    this.state = state;
    this.history = history;
    this.counts = counts;
  }

  QueueState state() {
    return state;
  }

  /** What topics and consumers did, as committed before this batch. */
  QueueCounts counts() {
    return counts;
  }

  /** What this batch's commands do to explicit consumers, counted once it commits. */
  Tally tally() {
    return tally;
  }

  /** The wall-clock time of this batch, milliseconds since 1970. */
  long now() {
    return now;
  }

  /** A committed topic or one this batch creates. */
  Optional<TopicLog> findTopic(TopicName name) {
    Optional<TopicLog> topic = state.findTopic(name);
    return topic.isPresent() ? topic : Optional.ofNullable(newTopics.get(name));
  }

  /**
   * Creates a topic with its own retention ({@link Retention#DEFAULT} fields follow the broker).
   */
  TopicLog createTopic(TopicName name, Retention retention) {
    return createTopic(name, retention, 1);
  }

  /**
   * Creates a topic of {@code partitions} partitions (the logs of those above 0 come when used).
   */
  TopicLog createTopic(TopicName name, Retention retention, int partitions) {
    TopicLog topic = state.newTopic(name, retention).partitions(partitions);
    newTopics.put(name, topic);
    return topic;
  }

  /** The topic, created (with the broker's default retention) if there is none. */
  TopicLog topicOrCreate(TopicName name) {
    return findTopic(name).orElseGet(() -> createTopic(name, Retention.DEFAULTS));
  }

  ProducerId registerProducer(TopicLog topic, String owner) {
    ProducerId id = state.nextProducerId();
    newProducers.put(id, topic);
    if (owner != null) {
      newProducerOwners.put(id, owner);
    }
    return id;
  }

  /** Whether this batch registers a consumer of this id. */
  boolean isNewConsumer(ConsumerId id) {
    return newConsumers.stream().anyMatch(c -> c.id().equals(id));
  }

  /** A durable consumer this batch registers, if one of this name is in it. */
  Optional<ConsumerCursor> findNewConsumer(TopicLog topic, String name) {
    return newConsumers.stream()
        .filter(c -> c.topic() == topic && name.equals(c.settings().name()))
        .findFirst();
  }

  ConsumerCursor registerConsumer(
      TopicLog topic, ConsumerSettings settings, long offset, String owner) {
    return registerConsumer(state.nextConsumerId(), topic, settings, offset, owner);
  }

  /** Registers a consumer under an id given (a consumer's cursor on a partition has its own). */
  ConsumerCursor registerConsumer(
      ConsumerId id, TopicLog topic, ConsumerSettings settings, long offset, String owner) {
    ConsumerCursor consumer =
        new ConsumerCursor(
            id,
            topic,
            settings,
            offset,
            settings.explicit() ? new Deliveries(id, offset, List.of(), offset) : null,
            0,
            owner);
    newConsumers.add(consumer);
    return consumer;
  }

  /**
   * Appends messages in order, each with its id from {@code ids} (none if {@code ids} is empty,
   * else one per message). A message whose id the topic appended within its dedup window, or
   * earlier in this batch, is not appended again: it answers the offset it got then. {@code
   * lengths} are the texts' lengths in UTF-8.
   */
  Appended append(
      TopicLog topic,
      ProducerId producer,
      List<String> texts,
      long[] lengths,
      List<MessageId> ids) {
    long at = appendTime(topic);
    List<Long> offsets = new ArrayList<>(texts.size());
    int duplicates = 0;
    for (int i = 0; i < texts.size(); i++) {
      MessageId id = ids.isEmpty() ? null : ids.get(i);
      Long earlier = id == null ? null : appendedBefore(topic, id, at);
      if (earlier != null) {
        offsets.add(earlier);
        duplicates++;
        continue;
      }
      long offset = append(topic, producer, Message.of(texts.get(i), at), lengths[i], id);
      offsets.add(offset);
      if (id != null) {
        newIds
            .computeIfAbsent(topic, t -> new LinkedHashMap<>())
            .put(id, new RecentId(id, offset, at));
      }
    }
    return new Appended(offsets, duplicates);
  }

  /** Copies a message of an explicit consumer's topic to its dead-letter topic. */
  void deadLetter(ConsumerCursor consumer, long offset, int deliveries) {
    TopicLog origin = consumer.topic();
    Message original = read(origin, offset, 1).get(0);
    tally.deadLettered(consumer);
    TopicLog target = topicOrCreate(consumer.settings().deadLetterTopic());
    Message copy =
        new Message(
            original.text(),
            appendTime(target),
            new Message.Origin(origin.name(), offset, deliveries));
    append(target, ProducerId.BROKER, copy, Utf8.length(copy.text()), null);
  }

  private long append(
      TopicLog topic, ProducerId producer, Message message, long length, MessageId id) {
    List<Message> pending = appended.computeIfAbsent(topic, t -> new ArrayList<>());
    long offset = topic.end() + pending.size();
    long before = appendedBytes.getOrDefault(topic, 0L);
    long position = topic.range().endPosition() + before;
    messages.add(new MessageRecord(topic.id(), offset, producer, message, id, position));
    appendedBytes.put(topic, before + length);
    pending.add(message);
    return offset;
  }

  private long appendTime(TopicLog topic) {
    return appendedAt.computeIfAbsent(topic, t -> t.appendTime(now));
  }

  /** The offset a message with this id got, in this batch or within the topic's window. */
  private Long appendedBefore(TopicLog topic, MessageId id, long at) {
    Map<MessageId, RecentId> staged = newIds.get(topic);
    RecentId recent = staged == null ? null : staged.get(id);
    return recent != null ? Long.valueOf(recent.offset()) : topic.dedup().find(id, at);
  }

  /** The end offset of a topic with this batch's appends. */
  long end(TopicLog topic) {
    List<Message> pending = appended.get(topic);
    return topic.end() + (pending == null ? 0 : pending.size());
  }

  /** An auto consumer's offset with this batch's moves. */
  long offset(ConsumerCursor consumer) {
    Long moved = moves.get(consumer);
    return moved != null ? moved : consumer.offset();
  }

  /** Moves an auto consumer. */
  void move(ConsumerCursor consumer, long offset) {
    moves.put(consumer, offset);
  }

  /** How many messages retention deleted before this consumer read them, not told yet. */
  long skipped(ConsumerCursor consumer) {
    Long staged = skips.get(consumer);
    return staged != null ? staged : consumer.skipped();
  }

  /** Sets that count: retention adds to it, a consume that tells it sets it to 0. */
  void skipped(ConsumerCursor consumer, long skipped) {
    skips.put(consumer, skipped);
  }

  /** Changes a topic's own retention. */
  void retention(TopicLog topic, Retention own) {
    retentions.put(topic, own);
  }

  /**
   * Retention deletes a topic's messages below {@code start} (above its current start, at most its
   * end): its consumers behind it move there, and count what they skipped.
   *
   * @param position the bytes of the topic before {@code start}
   * @param time when the message at {@code start} was appended
   */
  void retainFrom(TopicLog topic, long start, long position, long time) {
    starts.put(topic, new Retained(start, position, time));
    for (ConsumerCursor consumer : state.consumersOf(topic)) {
      long skipped;
      if (consumer.isExplicit()) {
        skipped = consumer.deliveries().skipTo(start);
        if (skipped > 0) {
          settled(consumer);
        }
      } else {
        long at = offset(consumer);
        skipped = Math.max(0, start - at);
        if (skipped > 0) {
          move(consumer, start);
        }
      }
      if (skipped > 0) {
        skipped(consumer, skipped(consumer) + skipped);
      }
    }
  }

  /** Deletes a topic, its producers and consumers; its messages are deleted in the background. */
  void deleteTopic(TopicLog topic) {
    deletedTopics.add(topic);
  }

  void deleteConsumer(ConsumerCursor consumer) {
    deletedConsumers.add(consumer);
  }

  /** An explicit consumer's deliveries changed what must be stored: its floor or its acks. */
  void settled(ConsumerCursor consumer) {
    settling.add(consumer);
  }

  /** Messages of this topic became ready to be given again: consumes waiting on it retry. */
  void released(TopicLog topic) {
    released.add(topic);
  }

  /**
   * Messages of a topic from {@code from} on, at most {@code max}, up to this batch's end: from the
   * batch's own appends, the topic's window, or the history read back from the store.
   */
  List<Message> read(TopicLog topic, long from, int max) {
    long until = Math.min(end(topic), from + max);
    List<Message> result = new ArrayList<>((int) Math.max(0, until - from));
    long offset = from;
    long committedEnd = topic.end();
    while (offset < until && offset < committedEnd) {
      Message message = topic.fromWindow(offset);
      if (message != null) {
        result.add(message);
        offset++;
      } else {
        long historyUntil = Math.min(until, topic.windowStart());
        List<Message> older =
            history.read(
                topic.id(), offset, (int) (historyUntil - offset), topic.start(), committedEnd);
        result.addAll(older);
        offset += older.size();
      }
    }
    if (offset < until) {
      List<Message> pending = appended.get(topic);
      int index = (int) (offset - committedEnd);
      result.addAll(pending.subList(index, index + (int) (until - offset)));
    }
    return result;
  }

  /**
   * The first retained committed offset of a message appended at or after {@code time}; the end if
   * none.
   */
  long firstAtOrAfter(TopicLog topic, long time) {
    long inWindow = topic.firstInWindowAtOrAfter(time);
    return inWindow >= 0
        ? inWindow
        : history.firstAtOrAfter(topic.id(), topic.start(), topic.windowStart(), time);
  }

  /**
   * The topics this batch appends to, gives messages back on, or deletes (or deletes a consumer
   * of): waiting consumes retry there.
   */
  List<TopicName> changedTopics() {
    List<TopicName> topics = new ArrayList<>(appended.size() + released.size());
    appended.keySet().forEach(topic -> topics.add(topic.name()));
    released.forEach(topic -> topics.add(topic.name()));
    deletedTopics.forEach(topic -> topics.add(topic.name()));
    deletedConsumers.forEach(consumer -> topics.add(consumer.topic().name()));
    return topics;
  }

  Changes changes() {
    List<TopicRecord> topics = new ArrayList<>(newTopics.size());
    for (TopicLog topic : newTopics.values()) {
      topics.add(new TopicRecord(topic.id(), topic.name(), topic.retention(), topic.partitions()));
    }
    List<ProducerRecord> producers = new ArrayList<>(newProducers.size());
    newProducers.forEach(
        (id, topic) ->
            producers.add(new ProducerRecord(id, topic.id(), newProducerOwners.get(id))));
    List<ConsumerRecord> consumers = new ArrayList<>(newConsumers.size());
    for (ConsumerCursor consumer : newConsumers) {
      consumers.add(record(consumer, consumer.offset()));
    }
    List<ConsumerRecord> offsets = new ArrayList<>(moves.size());
    moves.forEach((consumer, offset) -> offsets.add(record(consumer, offset)));
    skips.forEach(
        (consumer, skipped) -> {
          if (!moves.containsKey(consumer)) {
            offsets.add(record(consumer, consumer.offset()));
          }
        });
    List<AckRecord> acks = new ArrayList<>(settling.size());
    for (ConsumerCursor consumer : settling) {
      AckChanges changed = consumer.deliveries().drainChanges();
      if (changed != null) {
        acks.add(
            new AckRecord(consumer.id(), changed.floor(), changed.resetAcks(), changed.newAcks()));
      }
    }
    return new Changes(
        topics,
        producers,
        consumers,
        messages,
        offsets,
        acks,
        lifecycle(),
        state.claims().fence(written()));
  }

  /**
   * A request about this topic was refused from this member's memory (an offset it never gave): in
   * a cluster the commit checks the topic's fence even if it writes nothing, so that a member whose
   * slot moved answers 503 (and reloads), not a refusal that may be wrong.
   */
  void doubt(TopicLog topic) {
    doubted.add(topic);
  }

  /** The topics this batch writes rows of: in a cluster, their claims fence the commit. */
  private Set<TopicLog> written() {
    Set<TopicLog> written = new LinkedHashSet<>(newTopics.values());
    written.addAll(doubted);
    written.addAll(newProducers.values());
    newConsumers.forEach(consumer -> written.add(consumer.topic()));
    written.addAll(appended.keySet());
    moves.keySet().forEach(consumer -> written.add(consumer.topic()));
    skips.keySet().forEach(consumer -> written.add(consumer.topic()));
    settling.forEach(consumer -> written.add(consumer.topic()));
    written.addAll(retentions.keySet());
    written.addAll(starts.keySet());
    written.addAll(deletedTopics);
    deletedConsumers.forEach(consumer -> written.add(consumer.topic()));
    return written;
  }

  private Lifecycle lifecycle() {
    if (retentions.isEmpty()
        && starts.isEmpty()
        && deletedTopics.isEmpty()
        && deletedConsumers.isEmpty()) {
      return Lifecycle.NONE;
    }
    List<TopicRecord> retention = new ArrayList<>(retentions.size());
    retentions.forEach(
        (topic, own) -> retention.add(new TopicRecord(topic.id(), topic.name(), own)));
    List<StartRecord> moved = new ArrayList<>(starts.size());
    starts.forEach(
        (topic, retained) ->
            moved.add(new StartRecord(topic.id(), retained.start(), retained.position())));
    List<DeletedTopic> topics = new ArrayList<>(deletedTopics.size());
    deletedTopics.forEach(topic -> topics.add(new DeletedTopic(topic.id(), end(topic))));
    List<ConsumerId> consumers = new ArrayList<>();
    deletedConsumers.forEach(consumer -> consumers.add(consumer.id()));
    boolean deletes = !topics.isEmpty() || !consumers.isEmpty();
    return new Lifecycle(retention, moved, topics, consumers, deletes ? state.lastIds() : null);
  }

  private ConsumerRecord record(ConsumerCursor consumer, long offset) {
    return new ConsumerRecord(
        consumer.id(),
        consumer.topic().id(),
        offset,
        consumer.settings(),
        skipped(consumer),
        consumer.owner(),
        consumer.startAt());
  }

  /** Makes the committed batch visible: called only after the store committed it. */
  void publish() {
    newTopics.values().forEach(state::add);
    newProducers.forEach((id, topic) -> state.addProducer(id, topic, newProducerOwners.get(id)));
    newConsumers.forEach(state::add);
    appended.forEach(
        (topic, messages) -> {
          long bytes = appendedBytes.get(topic);
          topic.append(messages, bytes);
          counts.appended(topic.id(), messages.size(), bytes);
        });
    newIds.forEach(
        (topic, ids) ->
            ids.values().forEach(r -> topic.dedup().add(r.id(), r.offset(), r.appendedAt())));
    moves.forEach(ConsumerCursor::moveTo);
    skips.forEach(ConsumerCursor::skipped);
    retentions.forEach(TopicLog::retention);
    starts.forEach(
        (topic, retained) -> {
          counts.retentionRemoved(topic.id(), Math.max(0, retained.start() - topic.start()));
          topic.retainFrom(retained.start(), retained.position(), retained.time());
          topic.dedup().dropBelow(retained.start());
          history.dropBelow(topic.id(), retained.start());
        });
    tally.publish(counts);
    deletedConsumers.forEach(
        consumer -> {
          state.remove(consumer);
          counts.forget(consumer.id());
        });
    deletedTopics.forEach(
        topic -> {
          state.consumersOf(topic).forEach(consumer -> counts.forget(consumer.id()));
          state.remove(topic);
          history.drop(topic.id());
          counts.forget(topic.id());
        });
  }
}
