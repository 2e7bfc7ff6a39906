package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.ConsumerRecord;
import dev.logqueue.broker.queue.control.LogStore.ProducerRecord;
import dev.logqueue.broker.queue.control.LogStore.RecentId;
import dev.logqueue.broker.queue.control.LogStore.Snapshot;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the queue knows that is committed: topics, producers, consumers and their offsets.
 *
 * <p>Any thread reads it; only the committer adds to it, after a commit. The id counters belong to
 * the committer alone.
 */
final class QueueState {

  private final QueueSettings settings;
  private final Map<TopicName, TopicLog> topics = new ConcurrentHashMap<>();
  private final List<TopicLog> topicsInOrder = new CopyOnWriteArrayList<>();
  private final Map<ProducerId, TopicLog> producers = new ConcurrentHashMap<>();
  private final Map<ConsumerId, ConsumerCursor> consumers = new ConcurrentHashMap<>();
  private final Map<ConsumerName, ConsumerCursor> named = new ConcurrentHashMap<>();

  /** A durable consumer's key: its name is unique within its topic. */
  record ConsumerName(TopicId topic, String name) {}

  private long lastTopicId;
  private long lastProducerId;
  private long lastConsumerId;

  QueueState(QueueSettings settings) {
    this.settings = settings;
  }

  /** Rebuilds the state from the log of record. */
  static QueueState restore(Snapshot snapshot, QueueSettings settings) {
    QueueState state = new QueueState(settings);
    Map<TopicId, TopicLog> byId = new HashMap<>();
    snapshot.topics().stream()
        .sorted((a, b) -> a.id().compareTo(b.id()))
        .forEach(
            record -> {
              TopicLog topic =
                  state.newTopic(record.id(), record.name(), record.end(), record.lastAppendedAt());
              for (RecentId recent : snapshot.recentIds().getOrDefault(record.id(), List.of())) {
                topic.dedup().add(recent.id(), recent.offset(), recent.appendedAt());
              }
              state.add(topic);
              byId.put(record.id(), topic);
            });
    for (ProducerRecord record : snapshot.producers()) {
      state.addProducer(record.id(), topicOf(byId, record.topic()));
    }
    for (ConsumerRecord record : snapshot.consumers()) {
      TopicLog topic = topicOf(byId, record.topic());
      Deliveries deliveries =
          record.settings().explicit()
              ? new Deliveries(
                  record.id(),
                  record.offset(),
                  snapshot.acks().getOrDefault(record.id(), List.of()),
                  topic.end())
              : null;
      state.add(
          new ConsumerCursor(record.id(), topic, record.settings(), record.offset(), deliveries));
    }
    return state;
  }

  private static TopicLog topicOf(Map<TopicId, TopicLog> byId, TopicId id) {
    TopicLog topic = byId.get(id);
    if (topic == null) {
      throw new IllegalStateException("The store refers to topic " + id + ", which it lacks");
    }
    return topic;
  }

  TopicLog newTopic(TopicId id, TopicName name, long end, long lastAppendedAt) {
    lastTopicId = Math.max(lastTopicId, id.value());
    return new TopicLog(id, name, end, lastAppendedAt, settings);
  }

  TopicId nextTopicId() {
    return new TopicId(++lastTopicId);
  }

  ProducerId nextProducerId() {
    return new ProducerId(++lastProducerId);
  }

  ConsumerId nextConsumerId() {
    return new ConsumerId(++lastConsumerId);
  }

  void add(TopicLog topic) {
    topics.put(topic.name(), topic);
    topicsInOrder.add(topic);
  }

  void addProducer(ProducerId id, TopicLog topic) {
    lastProducerId = Math.max(lastProducerId, id.value());
    producers.put(id, topic);
  }

  void add(ConsumerCursor consumer) {
    lastConsumerId = Math.max(lastConsumerId, consumer.id().value());
    consumers.put(consumer.id(), consumer);
    String name = consumer.settings().name();
    if (name != null) {
      named.put(new ConsumerName(consumer.topic().id(), name), consumer);
    }
  }

  /** The explicit consumers that have a dead-letter topic. */
  List<ConsumerCursor> deadLettering() {
    return consumers.values().stream()
        .filter(c -> c.isExplicit() && c.settings().hasDeadLetterTopic())
        .toList();
  }

  /** The durable consumer of this name on this topic, if there is one. */
  Optional<ConsumerCursor> findConsumer(TopicLog topic, String name) {
    return Optional.ofNullable(named.get(new ConsumerName(topic.id(), name)));
  }

  long windowMessages() {
    long sum = 0;
    for (TopicLog topic : topicsInOrder) {
      sum += topic.end() - topic.windowStart();
    }
    return sum;
  }

  /** Messages appended to all topics since they were created. */
  long messageCount() {
    long sum = 0;
    for (TopicLog topic : topicsInOrder) {
      sum += topic.end();
    }
    return sum;
  }

  /** Topics in the order they were created. */
  int topicCount() {
    return topicsInOrder.size();
  }

  List<TopicName> topicNames() {
    return topicsInOrder.stream().map(TopicLog::name).toList();
  }

  Optional<TopicLog> findTopic(TopicName name) {
    return Optional.ofNullable(topics.get(name));
  }

  TopicLog topic(TopicName name) {
    TopicLog topic = topics.get(name);
    if (topic == null) {
      throw LogQueueException.topicNotFound(name);
    }
    return topic;
  }

  /** The topic a producer may append to, checked in the contract's order: topic, id, match. */
  TopicLog producerTopic(TopicName name, ProducerId id) {
    TopicLog topic = topic(name);
    TopicLog registered = producers.get(id);
    if (registered == null) {
      throw LogQueueException.producerNotFound(id);
    }
    if (registered != topic) {
      throw LogQueueException.producerTopicMismatch(id, registered.name(), name);
    }
    return topic;
  }

  /** A consumer of a topic, checked in the contract's order: topic, id, match. */
  ConsumerCursor consumer(TopicName name, ConsumerId id) {
    TopicLog topic = topic(name);
    ConsumerCursor consumer = consumers.get(id);
    if (consumer == null) {
      throw LogQueueException.consumerNotFound(id);
    }
    if (consumer.topic() != topic) {
      throw LogQueueException.consumerTopicMismatch(id, consumer.topic().name(), name);
    }
    return consumer;
  }
}
