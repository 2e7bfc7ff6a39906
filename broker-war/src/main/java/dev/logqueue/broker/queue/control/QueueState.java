package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.ConsumerRecord;
import dev.logqueue.broker.queue.control.LogStore.DeletedTopic;
import dev.logqueue.broker.queue.control.LogStore.LastIds;
import dev.logqueue.broker.queue.control.LogStore.ProducerRecord;
import dev.logqueue.broker.queue.control.LogStore.RecentId;
import dev.logqueue.broker.queue.control.LogStore.Snapshot;
import dev.logqueue.broker.queue.control.LogStore.StoredTopic;
import dev.logqueue.broker.queue.control.Placement.ProducerRow;
import dev.logqueue.broker.queue.control.TopicLog.Range;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the queue knows that is committed: topics, producers, consumers and their offsets.
 *
 * <p>Any thread reads it; only the committer changes it, after a commit. The id counters belong to
 * the committer alone.
 */
final class QueueState {

  private final QueueSettings settings;
  private final Map<TopicName, TopicLog> topics = new ConcurrentHashMap<>();
  private final List<TopicLog> topicsInOrder = new CopyOnWriteArrayList<>();
  private final Map<ProducerId, TopicLog> producers = new ConcurrentHashMap<>();
  private final Map<ProducerId, String> producerOwners = new ConcurrentHashMap<>();
  private final Map<ProducerId, ProducerRow> foreignProducers = new ConcurrentHashMap<>();
  private final Map<ConsumerId, ConsumerCursor> consumers = new ConcurrentHashMap<>();
  private final Map<ConsumerName, ConsumerCursor> named = new ConcurrentHashMap<>();
  private final Map<TopicLog, Set<ProducerId>> producersOf = new ConcurrentHashMap<>();
  private final Map<TopicLog, Set<ConsumerCursor>> consumersOf = new ConcurrentHashMap<>();
  private final Queue<DeletedTopic> deletions = new ConcurrentLinkedQueue<>();

  /** A durable consumer's key: its name is unique within its topic. */
  record ConsumerName(TopicId topic, String name) {}

  private long lastTopicId;
  private long lastProducerId;
  private long lastConsumerId;

  private final Claims claims;
  private final Placement placement;

  QueueState(QueueSettings settings) {
    this(settings, Claims.ALL, Placement.SINGLE);
  }

  private QueueState(QueueSettings settings, Claims claims, Placement placement) {
    this.settings = settings;
    this.claims = claims;
    this.placement = placement;
  }

  /** Rebuilds the state of a single broker from the log of record. */
  static QueueState restore(Snapshot snapshot, QueueSettings settings) {
    return restore(snapshot, settings, Claims.ALL, Placement.SINGLE);
  }

  /**
   * Rebuilds the state from the log of record: the topics {@code claims} covers (the snapshot holds
   * no others), ids from {@code placement} where it is a cluster's.
   */
  static QueueState restore(
      Snapshot snapshot, QueueSettings settings, Claims claims, Placement placement) {
    QueueState state = new QueueState(settings, claims, placement);
    LastIds last = snapshot.lastIds();
    state.lastTopicId = last.topic();
    state.lastProducerId = last.producer();
    state.lastConsumerId = last.consumer();
    state.deletions.addAll(snapshot.deletedTopics());
    Map<TopicId, TopicLog> byId = new HashMap<>();
    snapshot.topics().stream()
        .sorted((a, b) -> a.topic().id().compareTo(b.topic().id()))
        .forEach(
            stored -> {
              TopicLog topic = state.restoredTopic(stored);
              for (RecentId recent : snapshot.recentIds().getOrDefault(topic.id(), List.of())) {
                if (recent.offset() >= stored.start()) {
                  topic.dedup().add(recent.id(), recent.offset(), recent.appendedAt());
                }
              }
              state.add(topic);
              byId.put(topic.id(), topic);
            });
    for (ProducerRecord record : snapshot.producers()) {
      state.addProducer(record.id(), topicOf(byId, record.topic()), record.owner());
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
          new ConsumerCursor(
                  record.id(),
                  topic,
                  record.settings(),
                  record.offset(),
                  deliveries,
                  record.skipped(),
                  record.owner())
              .startAt(record.startAt()));
    }
    return state;
  }

  private TopicLog restoredTopic(StoredTopic stored) {
    lastTopicId = Math.max(lastTopicId, stored.topic().id().value());
    return new TopicLog(
            stored.topic().id(),
            stored.topic().name(),
            stored.topic().retention(),
            new Range(
                stored.start(),
                stored.startPosition(),
                stored.startTime(),
                stored.end(),
                stored.endPosition()),
            stored.lastAppendedAt(),
            settings)
        .partitions(stored.topic().partitions());
  }

  private static TopicLog topicOf(Map<TopicId, TopicLog> byId, TopicId id) {
    TopicLog topic = byId.get(id);
    if (topic == null) {
      throw new IllegalStateException("The store refers to topic " + id + ", which it lacks");
    }
    return topic;
  }

  /** A new topic, with the next id. */
  TopicLog newTopic(TopicName name, Retention retention) {
    claims.require(name);
    return new TopicLog(nextTopicId(), name, retention, settings);
  }

  /**
   * The ids issued so far, as far as a deletion could hide them; null in a cluster, where ids come
   * from the store's own sequences, which never go back.
   */
  LastIds lastIds() {
    return claims.isClustered() ? null : new LastIds(lastTopicId, lastProducerId, lastConsumerId);
  }

  /** The topics this broker serves, and the proof of it. */
  Claims claims() {
    return claims;
  }

  /** A topic's retention in effect: its own, the broker's defaults where it has none. */
  Retention retentionOf(TopicLog topic) {
    return topic.retention().over(settings.retention());
  }

  private TopicId nextTopicId() {
    return new TopicId(
        claims.isClustered() ? placement.nextId(Placement.IdKind.TOPIC) : ++lastTopicId);
  }

  ProducerId nextProducerId() {
    return new ProducerId(
        claims.isClustered() ? placement.nextId(Placement.IdKind.PRODUCER) : ++lastProducerId);
  }

  ConsumerId nextConsumerId() {
    return new ConsumerId(
        claims.isClustered() ? placement.nextId(Placement.IdKind.CONSUMER) : ++lastConsumerId);
  }

  void add(TopicLog topic) {
    producersOf.put(topic, ConcurrentHashMap.newKeySet());
    consumersOf.put(topic, ConcurrentHashMap.newKeySet());
    topics.put(topic.name(), topic);
    topicsInOrder.add(topic);
  }

  void addProducer(ProducerId id, TopicLog topic, String owner) {
    lastProducerId = Math.max(lastProducerId, id.value());
    producers.put(id, topic);
    if (owner != null) {
      producerOwners.put(id, owner);
    }
    producersOf.get(topic).add(id);
  }

  void add(ConsumerCursor consumer) {
    if (!Partition.isCursor(consumer.id())) {
      lastConsumerId = Math.max(lastConsumerId, consumer.id().value());
    }
    consumers.put(consumer.id(), consumer);
    consumersOf.get(consumer.topic()).add(consumer);
    String name = consumer.settings().name();
    if (name != null) {
      named.put(new ConsumerName(consumer.topic().id(), name), consumer);
    }
  }

  /**
   * Forgets a deleted topic, its producers and its consumers; its messages are left to {@link
   * #takeDeletions()}.
   */
  void remove(TopicLog topic) {
    deletions.add(new DeletedTopic(topic.id(), topic.end()));
    topics.remove(topic.name(), topic);
    topicsInOrder.remove(topic);
    Set<ProducerId> itsProducers = producersOf.remove(topic);
    itsProducers.forEach(producers::remove);
    itsProducers.forEach(producerOwners::remove);
    Set<ConsumerCursor> itsConsumers = consumersOf.remove(topic);
    itsConsumers.forEach(this::forget);
  }

  /** Forgets a deleted consumer. */
  void remove(ConsumerCursor consumer) {
    Set<ConsumerCursor> ofTopic = consumersOf.get(consumer.topic());
    if (ofTopic != null) {
      ofTopic.remove(consumer);
    }
    forget(consumer);
  }

  private void forget(ConsumerCursor consumer) {
    consumers.remove(consumer.id(), consumer);
    String name = consumer.settings().name();
    if (name != null) {
      named.remove(new ConsumerName(consumer.topic().id(), name), consumer);
    }
  }

  /**
   * The deleted topics whose messages may still be stored (at restore, those the store lists), each
   * taken once: by whoever deletes their messages.
   */
  List<DeletedTopic> takeDeletions() {
    List<DeletedTopic> taken = new ArrayList<>();
    for (DeletedTopic next = deletions.poll(); next != null; next = deletions.poll()) {
      taken.add(next);
    }
    return taken;
  }

  /** How many producers are registered for a topic. */
  int producerCount(TopicLog topic) {
    Set<ProducerId> of = producersOf.get(topic);
    return of == null ? 0 : of.size();
  }

  /** A topic's consumers, in the order of their ids. */
  List<ConsumerCursor> consumersOf(TopicLog topic) {
    Set<ConsumerCursor> of = consumersOf.get(topic);
    if (of == null) {
      return List.of();
    }
    return of.stream().sorted((a, b) -> Long.compare(a.id().value(), b.id().value())).toList();
  }

  /** Every topic, in creation order. */
  List<TopicLog> allTopics() {
    return List.copyOf(topicsInOrder);
  }

  /** The explicit consumers that have a dead-letter topic. */
  List<ConsumerCursor> deadLettering() {
    return consumers.values().stream()
        .filter(c -> c.isExplicit() && c.settings().hasDeadLetterTopic())
        .toList();
  }

  /** The consumer of this id, if this broker has it. */
  Optional<ConsumerCursor> findConsumer(ConsumerId id) {
    return Optional.ofNullable(consumers.get(id));
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

  /** Messages retained in all topics. */
  long messageCount() {
    long sum = 0;
    for (TopicLog topic : topicsInOrder) {
      sum += topic.range().messages();
    }
    return sum;
  }

  /** Topics in the order they were created. */
  int topicCount() {
    return topicsInOrder.size();
  }

  /** The topics' names in creation order (not their partitions' logs). */
  List<TopicName> topicNames() {
    return topicsInOrder.stream().map(TopicLog::name).filter(n -> !Partition.isLog(n)).toList();
  }

  /** The topic, if it exists; refused (503) if another broker of the cluster serves it. */
  Optional<TopicLog> findTopic(TopicName name) {
    claims.require(name);
    return Optional.ofNullable(topics.get(name));
  }

  TopicLog topic(TopicName name) {
    claims.require(name);
    TopicLog topic = topics.get(name);
    if (topic == null) {
      throw LogQueueException.topicNotFound(name);
    }
    return topic;
  }

  /**
   * The topic a producer may append to, checked in the contract's order: topic, id, match. A
   * producer of a topic appends to all its partitions' logs.
   */
  TopicLog producerTopic(TopicName name, ProducerId id) {
    TopicLog topic = topic(name);
    TopicLog registered = producers.get(id);
    if (registered == null) {
      ProducerRow elsewhere = Partition.isLog(name) ? foreignProducers.get(id) : null;
      if (elsewhere == null) {
        throw LogQueueException.producerNotFound(id);
      }
      if (!elsewhere.topic().equals(Partition.topicIdOf(name))) {
        throw new LogQueueException(
            ErrorCode.PRODUCER_TOPIC_MISMATCH,
            "Producer " + id + " is registered for another topic, not '" + name + "'");
      }
      return topic;
    }
    if (registered != topic
        && !(Partition.isLog(name) && registered.id().equals(Partition.topicIdOf(name)))) {
      throw LogQueueException.producerTopicMismatch(id, registered.name(), name);
    }
    return topic;
  }

  /** Whether this broker knows the producer (of a topic it serves, or one it was told of). */
  boolean knowsProducer(ProducerId id) {
    return producers.containsKey(id) || foreignProducers.containsKey(id);
  }

  /**
   * A producer of a topic another member of the cluster serves, read from the store: it appends to
   * the partitions of that topic this broker serves.
   */
  void learnProducer(ProducerId id, ProducerRow row) {
    foreignProducers.put(id, row);
  }

  /** The subject that registered a producer; null if it was registered without authentication. */
  String producerOwner(ProducerId id) {
    String owner = producerOwners.get(id);
    if (owner == null) {
      ProducerRow elsewhere = foreignProducers.get(id);
      return elsewhere == null ? null : elsewhere.owner();
    }
    return owner;
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
