package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A log store in memory, with the JPA store's contract: a commit is all or nothing, rows are
 * unique, offsets move, messages are deleted by range. It can be told to fail, as a database that
 * went away.
 */
final class MemoryLogStore implements LogStore {

  /** A topic's row: as created, and its first retained offset with the bytes before it. */
  private record TopicRow(TopicRecord topic, long start, long startPosition) {}

  private final Map<TopicId, TopicRow> topics = new TreeMap<>();
  private final Map<Long, ProducerRecord> producers = new TreeMap<>();
  private final Map<ConsumerId, ConsumerRecord> consumers = new TreeMap<>();
  private final Map<TopicId, TreeMap<Long, MessageRecord>> messages = new HashMap<>();
  private final Map<ConsumerId, TreeSet<Long>> acks = new HashMap<>();
  private final Map<TopicId, Long> deletedTopics = new LinkedHashMap<>();
  private LastIds lastIds = LastIds.NONE;
  private final Map<Integer, Long> slots = new HashMap<>();
  private final Map<Placement.IdKind, Long> clusterIds = new HashMap<>();
  final AtomicInteger fenced = new AtomicInteger();
  private volatile boolean down;
  private volatile boolean failAfterCommit;
  final AtomicInteger commits = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger deletions = new AtomicInteger();

  /** Makes every call fail (true) or work again (false). */
  void down(boolean down) {
    this.down = down;
  }

  /** The next commit commits, then reports failure: the answer a broken connection gives. */
  void failAfterNextCommit() {
    failAfterCommit = true;
  }

  private void check() {
    if (down) {
      throw new StoreException("The store is down", null);
    }
  }

  /** A topic's row by name, as a cluster member reads it from the store. */
  synchronized Optional<Placement.TopicRow> topicRow(TopicName name) {
    return topics.values().stream()
        .filter(row -> row.topic().name().equals(name))
        .findFirst()
        .map(
            row ->
                new Placement.TopicRow(
                    row.topic().id(), row.topic().partitions(), row.topic().retention()));
  }

  /** A producer's row, as a cluster member reads it from the store. */
  synchronized Optional<Placement.ProducerRow> producerRow(ProducerId id) {
    ProducerRecord producer = producers.get(id.value());
    return producer == null
        ? Optional.empty()
        : Optional.of(new Placement.ProducerRow(producer.topic(), producer.owner()));
  }

  /** A consumer's row, as a cluster member reads it from the store. */
  synchronized Optional<Placement.ConsumerRow> consumerRow(ConsumerId id) {
    ConsumerRecord consumer = consumers.get(id);
    return consumer == null
        ? Optional.empty()
        : Optional.of(
            new Placement.ConsumerRow(
                consumer.topic(), consumer.settings(), consumer.owner(), consumer.startAt()));
  }

  /**
   * Raises the epochs of these slots (a cluster member's claim, as the JPA store's ClusterRows do
   * it): the epochs after the raise.
   */
  synchronized Map<Integer, Long> claim(Collection<Integer> claimed) {
    check();
    Map<Integer, Long> epochs = new TreeMap<>();
    for (int slot : claimed) {
      epochs.put(slot, slots.merge(slot, 1L, Long::sum));
    }
    return epochs;
  }

  /** The next id of a kind, for every member alike. */
  synchronized long nextId(Placement.IdKind kind) {
    check();
    return clusterIds.merge(kind, 1L, Long::sum);
  }

  @Override
  public synchronized Snapshot load(long idsSince, int maxIds, Predicate<TopicName> here) {
    check();
    List<StoredTopic> topicRecords = new ArrayList<>();
    Map<TopicId, List<RecentId>> recentIds = new HashMap<>();
    topics.forEach(
        (id, row) -> {
          if (!here.test(row.topic().name())) {
            return;
          }
          TreeMap<Long, MessageRecord> log = log(id);
          long end = log.isEmpty() ? row.start() : Math.max(row.start(), log.lastKey() + 1);
          long endPosition = row.startPosition();
          long last = 0;
          long startTime = 0;
          if (end > row.start()) {
            MessageRecord tail = log.lastEntry().getValue();
            endPosition = tail.position() + Utf8.length(tail.message().text());
            last = tail.message().timestamp();
            startTime = log.get(row.start()).message().timestamp();
          }
          topicRecords.add(
              new StoredTopic(
                  row.topic(),
                  row.start(),
                  row.startPosition(),
                  startTime,
                  end,
                  endPosition,
                  last));
          List<RecentId> recent = new ArrayList<>();
          for (MessageRecord message : log.tailMap(row.start()).values()) {
            long at = message.message().timestamp();
            if (at >= idsSince && message.messageId() != null) {
              recent.add(new RecentId(message.messageId(), message.offset(), at));
            }
          }
          if (!recent.isEmpty() && maxIds > 0) {
            recentIds.put(id, recent.subList(Math.max(0, recent.size() - maxIds), recent.size()));
          }
        });
    java.util.Set<TopicId> loaded = new java.util.HashSet<>();
    topicRecords.forEach(t -> loaded.add(t.topic().id()));
    List<ConsumerRecord> consumerRecords =
        consumers.values().stream().filter(c -> loaded.contains(c.topic())).toList();
    Map<ConsumerId, List<Long>> ackCopy = new HashMap<>();
    acks.forEach(
        (id, offsets) -> {
          if (consumerRecords.stream().anyMatch(c -> c.id().equals(id))) {
            ackCopy.put(id, List.copyOf(offsets));
          }
        });
    List<DeletedTopic> deleted = new ArrayList<>();
    deletedTopics.forEach((id, end) -> deleted.add(new DeletedTopic(id, end)));
    return new Snapshot(
        topicRecords,
        producers.values().stream().filter(p -> loaded.contains(p.topic())).toList(),
        consumerRecords,
        recentIds,
        ackCopy,
        lastIds,
        deleted);
  }

  private TreeMap<Long, MessageRecord> log(TopicId topic) {
    return messages.computeIfAbsent(topic, t -> new TreeMap<>());
  }

  @Override
  public synchronized void commit(Changes changes) {
    check();
    for (Claims.Claim claim : changes.fence().values()) {
      Long now = slots.get(claim.slot());
      if (now == null || now != claim.epoch()) {
        fenced.incrementAndGet();
        throw new Fenced("slot " + claim.slot() + " at epoch " + now + ", not " + claim.epoch());
      }
    }
    for (TopicRecord topic : changes.topics()) {
      if (topics.putIfAbsent(topic.id(), new TopicRow(topic, 0, 0)) != null) {
        throw new IllegalStateException("Duplicate topic id " + topic.id());
      }
      if (topics.values().stream().filter(t -> t.topic().name().equals(topic.name())).count() > 1) {
        throw new IllegalStateException("Duplicate topic name " + topic.name());
      }
    }
    for (ProducerRecord producer : changes.producers()) {
      if (producers.putIfAbsent(producer.id().value(), producer) != null) {
        throw new IllegalStateException("Duplicate producer id " + producer.id());
      }
    }
    for (ConsumerRecord consumer : changes.consumers()) {
      if (consumers.putIfAbsent(consumer.id(), consumer) != null) {
        throw new IllegalStateException("Duplicate consumer id " + consumer.id());
      }
    }
    for (MessageRecord message : changes.messages()) {
      TreeMap<Long, MessageRecord> log = log(message.topic());
      TopicRow row = topics.get(message.topic());
      long next = log.isEmpty() ? row.start() : log.lastKey() + 1;
      if (message.offset() != next) {
        throw new IllegalStateException(
            "Offset " + message.offset() + " of topic " + message.topic() + " is not next");
      }
      if (!log.isEmpty()) {
        MessageRecord previous = log.lastEntry().getValue();
        if (previous.message().timestamp() > message.message().timestamp()) {
          throw new IllegalStateException("Time went back at offset " + message.offset());
        }
        long position = previous.position() + Utf8.length(previous.message().text());
        if (message.position() != position) {
          throw new IllegalStateException(
              "Position "
                  + message.position()
                  + " at offset "
                  + message.offset()
                  + ", not "
                  + position);
        }
      }
      log.put(message.offset(), message);
    }
    for (ConsumerRecord move : changes.offsets()) {
      ConsumerRecord stored = consumers.get(move.id());
      consumers.put(
          move.id(),
          new ConsumerRecord(
              stored.id(),
              stored.topic(),
              move.offset(),
              stored.settings(),
              move.skipped(),
              stored.owner(),
              stored.startAt()));
    }
    for (AckRecord ack : changes.acks()) {
      ConsumerRecord consumer = consumers.get(ack.consumer());
      consumers.put(
          ack.consumer(),
          new ConsumerRecord(
              consumer.id(),
              consumer.topic(),
              ack.floor(),
              consumer.settings(),
              consumer.skipped(),
              consumer.owner(),
              consumer.startAt()));
      TreeSet<Long> stored = acks.computeIfAbsent(ack.consumer(), c -> new TreeSet<>());
      if (ack.resetAcks()) {
        stored.clear();
      } else {
        stored.headSet(ack.floor()).clear();
      }
      for (long offset : ack.acked()) {
        if (!stored.add(offset)) {
          throw new IllegalStateException(
              "Ack " + offset + " of " + ack.consumer() + " stored twice");
        }
      }
    }
    commit(changes.lifecycle());
    commits.incrementAndGet();
    if (failAfterCommit) {
      failAfterCommit = false;
      throw new StoreException("Connection lost during commit", null);
    }
  }

  private void commit(Lifecycle lifecycle) {
    for (TopicRecord retention : lifecycle.retention()) {
      TopicRow row = topics.get(retention.id());
      topics.put(
          retention.id(),
          new TopicRow(
              new TopicRecord(
                  row.topic().id(),
                  row.topic().name(),
                  retention.retention(),
                  row.topic().partitions()),
              row.start(),
              row.startPosition()));
    }
    for (StartRecord start : lifecycle.starts()) {
      TopicRow row = topics.get(start.topic());
      if (start.start() > row.start()) {
        topics.put(start.topic(), new TopicRow(row.topic(), start.start(), start.position()));
      }
    }
    for (ConsumerId id : lifecycle.deletedConsumers()) {
      consumers.remove(id);
      acks.remove(id);
    }
    for (DeletedTopic deleted : lifecycle.deletedTopics()) {
      consumers.values().removeIf(c -> c.topic().equals(deleted.id()));
      producers.values().removeIf(p -> p.topic().equals(deleted.id()));
      topics.remove(deleted.id());
      deletedTopics.put(deleted.id(), deleted.end());
    }
    if (lifecycle.lastIds() != null) {
      lastIds = lifecycle.lastIds();
    }
  }

  @Override
  public synchronized List<Message> read(TopicId topic, long fromOffset, int max) {
    check();
    reads.incrementAndGet();
    List<Message> result = new ArrayList<>();
    TreeMap<Long, MessageRecord> log = log(topic);
    for (long offset = fromOffset; offset < fromOffset + max; offset++) {
      MessageRecord record = log.get(offset);
      if (record == null) {
        break;
      }
      result.add(record.message());
    }
    return result;
  }

  @Override
  public synchronized long firstAtOrAfter(TopicId topic, long from, long end, long time) {
    check();
    TreeMap<Long, MessageRecord> log = log(topic);
    for (long offset = from; offset < end; offset++) {
      if (log.get(offset).message().timestamp() >= time) {
        return offset;
      }
    }
    return end;
  }

  @Override
  public synchronized long firstFromPosition(TopicId topic, long from, long end, long position) {
    check();
    TreeMap<Long, MessageRecord> log = log(topic);
    for (long offset = from; offset < end; offset++) {
      if (log.get(offset).position() >= position) {
        return offset;
      }
    }
    return end;
  }

  @Override
  public synchronized Mark mark(TopicId topic, long offset) {
    check();
    MessageRecord record = log(topic).get(offset);
    return new Mark(record.message().timestamp(), record.position());
  }

  @Override
  public synchronized int deleteMessages(TopicId topic, long from, long until) {
    check();
    deletions.incrementAndGet();
    var range = log(topic).subMap(from, until);
    int deleted = range.size();
    range.clear();
    return deleted;
  }

  @Override
  public synchronized long lowestOffset(TopicId topic, long end) {
    check();
    TreeMap<Long, MessageRecord> log = log(topic);
    return log.isEmpty() ? end : Math.min(end, log.firstKey());
  }

  @Override
  public synchronized void forgetDeletedTopic(TopicId topic) {
    check();
    deletedTopics.remove(topic);
  }

  @Override
  public void reclaim() {
    check(); // nothing to reclaim in memory
  }

  @Override
  public boolean isReachable() {
    return !down;
  }

  /** The texts of a topic's stored messages, in offset order. */
  synchronized List<String> messages(TopicId topic) {
    return log(topic).values().stream().map(record -> record.message().text()).toList();
  }

  /** The stored messages of a topic, with their times and origins. */
  synchronized List<Message> stored(TopicId topic) {
    return log(topic).values().stream().map(MessageRecord::message).toList();
  }

  /** The offsets of a topic's stored messages. */
  synchronized List<Long> offsets(TopicId topic) {
    return List.copyOf(log(topic).keySet());
  }

  /** The deleted topics whose messages are not all deleted yet. */
  synchronized List<TopicId> deletedTopics() {
    return List.copyOf(deletedTopics.keySet());
  }

  /** An explicit consumer's stored acknowledgements above its floor. */
  synchronized List<Long> acks(long consumer) {
    return List.copyOf(acks.getOrDefault(new ConsumerId(consumer), new TreeSet<>()));
  }

  synchronized long offset(long consumer) {
    return consumers.values().stream()
        .filter(c -> c.id().value() == consumer)
        .findFirst()
        .orElseThrow()
        .offset();
  }

  /** Whether a consumer's row is stored. */
  synchronized boolean hasConsumer(long consumer) {
    return consumers.containsKey(new ConsumerId(consumer));
  }
}
