package dev.logqueue.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients were told: every produce and consume the broker acknowledged, in order, and what
 * was in flight when it went away (maybe done, maybe not: the clients cannot know).
 */
final class Ledger {

  /** A producer: its messages are {@code p<id>-<seq>}, seq rising and never reused. */
  static final class Producer {
    final long id;
    final String topic;
    final AtomicLong seq = new AtomicLong();
    final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    final Set<String> unsure = Collections.synchronizedSet(new HashSet<>());

    Producer(long id, String topic) {
      this.id = id;
      this.topic = topic;
    }

    String next() {
      return "p" + id + "-" + seq.incrementAndGet();
    }

    boolean owns(String message) {
      return message.startsWith("p" + id + "-");
    }
  }

  /** A consumer: what it was given, in order, and how many it may have been given unanswered. */
  static final class Consumer {
    final long id;
    final String topic;
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger takenUnanswered = new AtomicInteger();

    Consumer(long id, String topic) {
      this.id = id;
      this.topic = topic;
    }
  }

  final Map<Long, Producer> producers = new LinkedHashMap<>();
  final Map<Long, Consumer> consumers = new LinkedHashMap<>();
  final Set<Long> producerIds = new HashSet<>();
  final Set<Long> consumerIds = new HashSet<>();

  Producer producer(long id, String topic) {
    Producer producer = new Producer(id, topic);
    producers.put(id, producer);
    producerIds.add(id);
    return producer;
  }

  Consumer consumer(long id, String topic) {
    Consumer consumer = new Consumer(id, topic);
    consumers.put(id, consumer);
    consumerIds.add(id);
    return consumer;
  }

  int acknowledged() {
    return producers.values().stream().mapToInt(p -> p.acknowledged.size()).sum();
  }

  int consumed() {
    return consumers.values().stream().mapToInt(c -> c.received.size()).sum();
  }
}
