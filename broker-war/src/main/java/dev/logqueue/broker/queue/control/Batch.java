package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.Changes;
import dev.logqueue.broker.queue.control.LogStore.ConsumerRecord;
import dev.logqueue.broker.queue.control.LogStore.MessageRecord;
import dev.logqueue.broker.queue.control.LogStore.ProducerRecord;
import dev.logqueue.broker.queue.control.LogStore.RecentId;
import dev.logqueue.broker.queue.control.LogStore.TopicRecord;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one group commit, staged on top of the committed state: what the commands of the
 * batch see while they are applied in order, what goes to the store in one transaction, and what is
 * published to memory once that transaction has committed. Used by the committer's thread only.
 */
final class Batch {

  private final QueueState state;
  private final HistoryCache history;

  private final Map<TopicName, TopicLog> newTopics = new LinkedHashMap<>();
  private final Map<ProducerId, TopicLog> newProducers = new LinkedHashMap<>();
  private final List<ConsumerCursor> newConsumers = new ArrayList<>();
  private final Map<TopicLog, List<String>> appended = new LinkedHashMap<>();
  private final List<MessageRecord> messages = new ArrayList<>();
  private final Map<ConsumerCursor, Long> moves = new LinkedHashMap<>();

  // per topic appended to: when its messages of this batch are appended, and the ids they carry
  private final Map<TopicLog, Long> appendedAt = new HashMap<>();
  private final Map<TopicLog, Map<MessageId, RecentId>> newIds = new HashMap<>();
  private final long now = System.currentTimeMillis();

  Batch(QueueState state, HistoryCache history) {
    this.state = state;
    this.history = history;
  }

  QueueState state() {
    return state;
  }

  /** A committed topic or one this batch creates; {@code null} if neither. */
  TopicLog findTopic(TopicName name) {
    TopicLog topic = state.findTopic(name);
    return topic != null ? topic : newTopics.get(name);
  }

  TopicLog createTopic(TopicName name) {
    TopicLog topic = state.newTopic(state.nextTopicId(), name, 0, 0);
    newTopics.put(name, topic);
    return topic;
  }

  ProducerId registerProducer(TopicLog topic) {
    ProducerId id = state.nextProducerId();
    newProducers.put(id, topic);
    return id;
  }

  ConsumerId registerConsumer(TopicLog topic) {
    ConsumerCursor consumer = new ConsumerCursor(state.nextConsumerId(), topic, 0);
    newConsumers.add(consumer);
    return consumer.id();
  }

  /**
   * Appends messages in order, each with its id from {@code ids} (none if {@code ids} is empty,
   * else one per message). A message whose id the topic appended within its dedup window, or
   * earlier in this batch, is not appended again: it answers the offset it got then.
   */
  Appended append(TopicLog topic, ProducerId producer, List<String> texts, List<MessageId> ids) {
    List<String> pending = appended.computeIfAbsent(topic, t -> new ArrayList<>());
    long at = appendedAt.computeIfAbsent(topic, t -> t.appendTime(now));
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
      long offset = topic.end() + pending.size();
      messages.add(new MessageRecord(topic.id(), offset, producer, texts.get(i), at, id));
      pending.add(texts.get(i));
      offsets.add(offset);
      if (id != null) {
        newIds
            .computeIfAbsent(topic, t -> new LinkedHashMap<>())
            .put(id, new RecentId(id, offset, at));
      }
    }
    return new Appended(offsets, duplicates);
  }

  /** The offset a message with this id got, in this batch or within the topic's window. */
  private Long appendedBefore(TopicLog topic, MessageId id, long at) {
    Map<MessageId, RecentId> staged = newIds.get(topic);
    RecentId recent = staged == null ? null : staged.get(id);
    return recent != null ? Long.valueOf(recent.offset()) : topic.dedup().find(id, at);
  }

  /** The end offset of a topic with this batch's appends. */
  long end(TopicLog topic) {
    List<String> pending = appended.get(topic);
    return topic.end() + (pending == null ? 0 : pending.size());
  }

  /** A consumer's offset with this batch's moves. */
  long offset(ConsumerCursor consumer) {
    Long moved = moves.get(consumer);
    return moved != null ? moved : consumer.offset();
  }

  void move(ConsumerCursor consumer, long offset) {
    moves.put(consumer, offset);
  }

  /**
   * Messages of a topic from {@code from} on, at most {@code max}, up to this batch's end: from the
   * batch's own appends, the topic's window, or the history read back from the store.
   */
  List<String> read(TopicLog topic, long from, int max) {
    long until = Math.min(end(topic), from + max);
    List<String> result = new ArrayList<>((int) Math.max(0, until - from));
    long offset = from;
    long committedEnd = topic.end();
    while (offset < until && offset < committedEnd) {
      String text = topic.fromWindow(offset);
      if (text != null) {
        result.add(text);
        offset++;
      } else {
        long historyUntil = Math.min(until, topic.windowStart());
        List<String> older =
            history.read(topic.id(), offset, (int) (historyUntil - offset), committedEnd);
        result.addAll(older);
        offset += older.size();
      }
    }
    if (offset < until) {
      List<String> pending = appended.get(topic);
      int index = (int) (offset - committedEnd);
      result.addAll(pending.subList(index, index + (int) (until - offset)));
    }
    return result;
  }

  /** The topics this batch appends to. */
  List<TopicName> appendedTopics() {
    List<TopicName> topics = new ArrayList<>(appended.size());
    appended.keySet().forEach(topic -> topics.add(topic.name()));
    return topics;
  }

  Changes changes() {
    List<TopicRecord> topics = new ArrayList<>(newTopics.size());
    for (TopicLog topic : newTopics.values()) {
      topics.add(new TopicRecord(topic.id(), topic.name(), 0, 0));
    }
    List<ProducerRecord> producers = new ArrayList<>(newProducers.size());
    newProducers.forEach((id, topic) -> producers.add(new ProducerRecord(id, topic.id())));
    List<ConsumerRecord> consumers = new ArrayList<>(newConsumers.size());
    for (ConsumerCursor consumer : newConsumers) {
      consumers.add(new ConsumerRecord(consumer.id(), consumer.topic().id(), consumer.offset()));
    }
    List<ConsumerRecord> offsets = new ArrayList<>(moves.size());
    moves.forEach(
        (consumer, offset) ->
            offsets.add(new ConsumerRecord(consumer.id(), consumer.topic().id(), offset)));
    return new Changes(topics, producers, consumers, messages, offsets);
  }

  /** Makes the committed batch visible: called only after the store committed it. */
  void publish() {
    newTopics.values().forEach(state::add);
    newProducers.forEach(state::addProducer);
    newConsumers.forEach(state::add);
    appended.forEach((topic, texts) -> topic.append(texts, appendedAt.get(topic)));
    newIds.forEach(
        (topic, ids) ->
            ids.values().forEach(r -> topic.dedup().add(r.id(), r.offset(), r.appendedAt())));
    moves.forEach(ConsumerCursor::moveTo);
  }
}
