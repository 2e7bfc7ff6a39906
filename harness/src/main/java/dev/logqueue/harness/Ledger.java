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

    /**
     * Whether it sends each message with its text as {@code message_id} and, when it is not told
     * success, sends the same request again until it is (across restarts): then nothing may be
     * stored twice, and nothing stays unacknowledged.
     */
    final boolean retriesWithIds;

    /** The request of a producer that retries with ids, not acknowledged yet; else null. */
    volatile Pending pending;

    record Pending(String body, List<String> messages) {}

    Producer(long id, String topic, boolean retriesWithIds) {
      this.id = id;
      this.topic = topic;
      this.retriesWithIds = retriesWithIds;
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

  /**
   * An explicit consumer: every message it was given and "processed" (counted: at least once allows
   * more than one), and the offsets processed but not yet acknowledged (sent with its next
   * consume).
   */
  static final class ExplicitConsumer {
    final long id;
    final String topic;
    final Map<String, Integer> processed = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Long> unacked = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger refusals = new AtomicInteger();

    ExplicitConsumer(long id, String topic) {
      this.id = id;
      this.topic = topic;
    }

    void process(String message) {
      processed.merge(message, 1, Integer::sum);
    }

    int deliveries() {
      return processed.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  final Map<Long, ExplicitConsumer> explicitConsumers = new LinkedHashMap<>();

  ExplicitConsumer explicitConsumer(long id, String topic) {
    ExplicitConsumer consumer = new ExplicitConsumer(id, topic);
    explicitConsumers.put(id, consumer);
    consumerIds.add(id);
    return consumer;
  }

  final Map<Long, Producer> producers = new LinkedHashMap<>();
  final Map<Long, Consumer> consumers = new LinkedHashMap<>();
  final Set<Long> producerIds = new HashSet<>();
  final Set<Long> consumerIds = new HashSet<>();

  Producer producer(long id, String topic) {
    return producer(id, topic, false);
  }

  Producer producer(long id, String topic, boolean retriesWithIds) {
    Producer producer = new Producer(id, topic, retriesWithIds);
    producers.put(id, producer);
    producerIds.add(id);
    return producer;
  }

  /** Producers that the load leaves alone: a drill sends with them itself. */
  final Set<Long> probes = new HashSet<>();

  /** A producer the drill sends with itself (to see when a topic is served again). */
  Producer probe(long id, String topic) {
    probes.add(id);
    return producer(id, topic, false);
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
