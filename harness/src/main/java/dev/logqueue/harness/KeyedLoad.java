package dev.logqueue.harness;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.Retention;
import dev.logqueue.sdk.TopicExistsException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A topic of several partitions under load through the SDK, given every member's URL: a producer
 * sends a numbered sequence for each of a dozen keys (the SDK retries with message ids), an
 * explicit consumer takes everything and acknowledges it. Afterwards every message the producer saw
 * acknowledged was given to the consumer; each key's messages are all in its partition, stored
 * once, and in the order sent within it.
 */
final class KeyedLoad implements AutoCloseable {

  static final String TOPIC = "orders";
  static final int PARTITIONS = 6;
  static final int KEYS = 12;

  /** What the consumer was given of a message: where it is stored. */
  private record Given(int partition, long offset) {}

  /** What a run of the load found. */
  record Findings(
      long acknowledged, long lost, long storedTwice, long wrongPartition, long outOfOrder) {

    boolean isClean() {
      return lost == 0 && storedTwice == 0 && wrongPartition == 0 && outOfOrder == 0;
    }
  }

  private final Producer producer;
  private final Consumer consumer;
  private final Map<String, Set<Long>> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Set<Given>> given = new ConcurrentHashMap<>();
  private final AtomicLong redelivered = new AtomicLong();
  private final Semaphore inFlight = new Semaphore(64);
  private volatile boolean producing = true;
  private volatile boolean consuming = true;
  private final Thread sending;
  private final Thread taking;

  private final long base;

  /**
   * Creates the topic (if it is not there yet) and starts both sides; the sequences start at {@code
   * base} (each run of its own, over one topic and one durable consumer).
   */
  KeyedLoad(List<URI> members, long base) {
    this.base = base;
    producer = Producer.builder(members).build();
    try {
      producer.createTopic(TOPIC, Retention.DEFAULTS, PARTITIONS);
    } catch (TopicExistsException again) {
      // a later cycle: the same topic, the sequences go on
    }
    producer.register(TOPIC);
    consumer =
        Consumer.builder(members).explicitAck().leaseMs(5_000).name("keyed").topics(TOPIC).build();
    sending = new Thread(this::produce, "keyed-producer");
    taking = new Thread(this::consume, "keyed-consumer");
    sending.start();
    taking.start();
  }

  private final Map<String, AtomicLong> next = new ConcurrentHashMap<>();

  private void produce() {
    while (producing) {
      for (int k = 0; k < KEYS && producing; k++) {
        String key = "key" + k;
        long seq = next.computeIfAbsent(key, x -> new AtomicLong(base)).getAndIncrement();
        try {
          if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
            continue;
          }
        } catch (InterruptedException e) {
          return;
        }
        producer
            .sendAsync(TOPIC, key, key + ":" + seq)
            .whenComplete(
                (offset, failure) -> {
                  inFlight.release();
                  if (failure == null) {
                    acknowledged.computeIfAbsent(key, x -> ConcurrentHashMap.newKeySet()).add(seq);
                  }
                });
      }
      sleepQuietly(2);
    }
  }

  private void consume() {
    while (consuming) {
      try {
        for (Message message : consumer.pollBatch(Duration.ofMillis(500), 200)) {
          if (message.isRedelivery()) {
            redelivered.incrementAndGet();
          }
          given
              .computeIfAbsent(message.text(), x -> ConcurrentHashMap.newKeySet())
              .add(new Given(message.partition(), message.offset()));
          consumer.processed(message);
        }
      } catch (RuntimeException e) {
        // a member went away, or an ack of what another member leased: given again, go on
        sleepQuietly(100);
      }
    }
  }

  /**
   * Stops producing, lets the consumer take what is left (up to {@code drain}, past leases of
   * answers lost with a member), and checks what was given against what was acknowledged.
   */
  Findings finish(Duration drain) {
    producing = false;
    join(sending);
    long deadline = System.nanoTime() + drain.toNanos();
    while (System.nanoTime() < deadline && missing() > 0) {
      sleepQuietly(200);
    }
    consuming = false;
    join(taking);
    return check();
  }

  private long missing() {
    long missing = 0;
    for (Map.Entry<String, Set<Long>> key : acknowledged.entrySet()) {
      for (long seq : key.getValue()) {
        if (!given.containsKey(key.getKey() + ":" + seq)) {
          missing++;
        }
      }
    }
    return missing;
  }

  private Findings check() {
    long acked = acknowledged.values().stream().mapToLong(Set::size).sum();
    long storedTwice = 0;
    long wrongPartition = 0;
    Map<Integer, List<long[]>> byPartition = new HashMap<>(); // offset, key, seq
    for (Map.Entry<String, Set<Given>> entry : given.entrySet()) {
      String text = entry.getKey();
      String key = text.substring(0, text.indexOf(':'));
      long seq = Long.parseLong(text.substring(text.indexOf(':') + 1));
      Set<Given> places = entry.getValue();
      if (places.size() > 1) {
        storedTwice++;
      }
      for (Given place : places) {
        if (place.partition() != Producer.partitionOf(key, PARTITIONS)) {
          wrongPartition++;
        }
        byPartition
            .computeIfAbsent(place.partition(), p -> new ArrayList<>())
            .add(new long[] {place.offset(), Long.parseLong(key.substring(3)), seq});
      }
    }
    long outOfOrder = 0;
    for (List<long[]> stored : byPartition.values()) {
      stored.sort(Comparator.comparingLong(row -> row[0]));
      Map<Long, Long> last = new HashMap<>();
      Set<Long> offsets = new HashSet<>();
      for (long[] row : stored) {
        if (!offsets.add(row[0])) {
          continue;
        }
        Long before = last.put(row[1], row[2]);
        if (before != null && before >= row[2]) {
          outOfOrder++;
        }
      }
    }
    return new Findings(acked, missing(), storedTwice, wrongPartition, outOfOrder);
  }

  /** Messages given more than once (leases of lost answers, acks refused across a move). */
  long redelivered() {
    return redelivered.get();
  }

  @Override
  public void close() {
    producing = false;
    consuming = false;
    join(sending);
    join(taking);
    producer.close();
    consumer.close();
  }

  private static void join(Thread thread) {
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
