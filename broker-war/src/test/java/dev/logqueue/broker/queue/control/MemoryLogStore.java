package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.TopicId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A log store in memory, with the JPA store's contract: a commit is all or nothing, rows are
 * unique, offsets move. It can be told to fail, as a database that went away.
 */
final class MemoryLogStore implements LogStore {

  private final Map<TopicId, TopicRecord> topics = new TreeMap<>();
  private final List<ProducerRecord> producers = new ArrayList<>();
  private final Map<ConsumerId, ConsumerRecord> consumers = new TreeMap<>();
  private final Map<TopicId, List<MessageRecord>> messages = new HashMap<>();
  private final Map<ConsumerId, java.util.TreeSet<Long>> acks = new HashMap<>();
  private volatile boolean down;
  private volatile boolean failAfterCommit;
  final AtomicInteger commits = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();

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

  @Override
  public synchronized Snapshot load(long idsSince, int maxIds) {
    check();
    List<TopicRecord> topicRecords = new ArrayList<>();
    Map<TopicId, List<RecentId>> recentIds = new HashMap<>();
    topics.forEach(
        (id, topic) -> {
          List<MessageRecord> log = messages.getOrDefault(id, List.of());
          long last = log.isEmpty() ? 0 : log.get(log.size() - 1).message().timestamp();
          topicRecords.add(new TopicRecord(id, topic.name(), log.size(), last));
          List<RecentId> recent = new ArrayList<>();
          for (MessageRecord message : log) {
            long at = message.message().timestamp();
            if (at >= idsSince && message.messageId() != null) {
              recent.add(new RecentId(message.messageId(), message.offset(), at));
            }
          }
          if (!recent.isEmpty() && maxIds > 0) {
            recentIds.put(id, recent.subList(Math.max(0, recent.size() - maxIds), recent.size()));
          }
        });
    Map<ConsumerId, List<Long>> ackCopy = new HashMap<>();
    acks.forEach((id, offsets) -> ackCopy.put(id, List.copyOf(offsets)));
    return new Snapshot(
        topicRecords, List.copyOf(producers), List.copyOf(consumers.values()), recentIds, ackCopy);
  }

  @Override
  public synchronized void commit(Changes changes) {
    check();
    for (TopicRecord topic : changes.topics()) {
      if (topics.putIfAbsent(topic.id(), topic) != null) {
        throw new IllegalStateException("Duplicate topic id " + topic.id());
      }
    }
    producers.addAll(changes.producers());
    for (ConsumerRecord consumer : changes.consumers()) {
      consumers.put(consumer.id(), consumer);
    }
    for (MessageRecord message : changes.messages()) {
      List<MessageRecord> log = messages.computeIfAbsent(message.topic(), t -> new ArrayList<>());
      if (message.offset() != log.size()) {
        throw new IllegalStateException(
            "Offset " + message.offset() + " of topic " + message.topic() + " is not next");
      }
      if (!log.isEmpty()
          && log.get(log.size() - 1).message().timestamp() > message.message().timestamp()) {
        throw new IllegalStateException("Time went back at offset " + message.offset());
      }
      log.add(message);
    }
    for (ConsumerRecord move : changes.offsets()) {
      consumers.put(move.id(), move);
    }
    for (AckRecord ack : changes.acks()) {
      ConsumerRecord consumer = consumers.get(ack.consumer());
      consumers.put(
          ack.consumer(),
          new ConsumerRecord(consumer.id(), consumer.topic(), ack.floor(), consumer.settings()));
      java.util.TreeSet<Long> stored =
          acks.computeIfAbsent(ack.consumer(), c -> new java.util.TreeSet<>());
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
    commits.incrementAndGet();
    if (failAfterCommit) {
      failAfterCommit = false;
      throw new StoreException("Connection lost during commit", null);
    }
  }

  @Override
  public synchronized List<Message> read(TopicId topic, long fromOffset, int max) {
    check();
    reads.incrementAndGet();
    List<MessageRecord> log = messages.getOrDefault(topic, List.of());
    int from = (int) Math.min(fromOffset, log.size());
    return log.subList(from, (int) Math.min(log.size(), fromOffset + max)).stream()
        .map(MessageRecord::message)
        .toList();
  }

  @Override
  public synchronized long firstAtOrAfter(TopicId topic, long end, long time) {
    check();
    List<MessageRecord> log = messages.getOrDefault(topic, List.of());
    for (long offset = 0; offset < end; offset++) {
      if (log.get((int) offset).message().timestamp() >= time) {
        return offset;
      }
    }
    return end;
  }

  @Override
  public boolean isReachable() {
    return !down;
  }

  synchronized List<String> messages(TopicId topic) {
    return messages.getOrDefault(topic, List.of()).stream()
        .map(record -> record.message().text())
        .toList();
  }

  /** The stored messages of a topic, with their times and origins. */
  synchronized List<Message> stored(TopicId topic) {
    return messages.getOrDefault(topic, List.of()).stream().map(MessageRecord::message).toList();
  }

  /** An explicit consumer's stored acknowledgements above its floor. */
  synchronized List<Long> acks(long consumer) {
    return List.copyOf(acks.getOrDefault(new ConsumerId(consumer), new java.util.TreeSet<>()));
  }

  synchronized long offset(long consumer) {
    return consumers.values().stream()
        .filter(c -> c.id().value() == consumer)
        .findFirst()
        .orElseThrow()
        .offset();
  }
}
