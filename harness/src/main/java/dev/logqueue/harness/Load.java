package dev.logqueue.harness;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Producers and consumers at work on their own threads, each writing down in the ledger what the
 * broker acknowledged: single and batch produces, single, batch and waiting consumes.
 */
final class Load implements AutoCloseable {

  /** Longer than any request of the load takes (waits are 1 s at most), in a cluster. */
  private static final java.time.Duration MEMBER_TIMEOUT = java.time.Duration.ofSeconds(10);

  private static final long QUARANTINE_NANOS = 5_000_000_000L;

  private final List<Http> brokers;
  private final long[] quarantinedUntil;
  private final AtomicInteger next = new AtomicInteger();
  private final Ledger ledger;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private final BiConsumer<Reply, Long> watch;
  private volatile boolean running = true;
  final AtomicInteger connectionFailures = new AtomicInteger();

  /**
   * @param watch sees every answer and how many milliseconds it took (the outage drill checks
   *     them); may be null
   */
  Load(URI broker, Ledger ledger, long seed, BiConsumer<Reply, Long> watch) {
    this(List.of(broker), ledger, seed, watch);
  }

  /** The same load spread over several brokers (the members of a cluster), in turn. */
  Load(List<URI> brokers, Ledger ledger, long seed, BiConsumer<Reply, Long> watch) {
    this.brokers = brokers.stream().map(Http::new).toList();
    this.quarantinedUntil = new long[brokers.size()];
    java.util.Arrays.fill(quarantinedUntil, System.nanoTime());
    this.ledger = ledger;
    this.seed = seed;
    this.watch = watch;
  }

  Load start() {
    int n = 0;
    for (Ledger.Producer producer : ledger.producers.values()) {
      if (ledger.probes.contains(producer.id)) {
        continue;
      }
      Random random = new Random(seed + n++);
      threads.add(new Thread(() -> produce(producer, random), "produce-" + producer.id));
    }
    for (Ledger.Consumer consumer : ledger.consumers.values()) {
      Random random = new Random(seed + n++);
      threads.add(new Thread(() -> consume(consumer, random), "consume-" + consumer.id));
    }
    for (Ledger.ExplicitConsumer consumer : ledger.explicitConsumers.values()) {
      Random random = new Random(seed + n++);
      threads.add(new Thread(() -> lease(consumer, random), "lease-" + consumer.id));
    }
    threads.forEach(Thread::start);
    return this;
  }

  /**
   * Sends to the brokers in turn. With several (a cluster's members), as the SDK does: a broker
   * that did not answer (refused, or silent for {@link #MEMBER_TIMEOUT}: cut off) is left out for
   * {@link #QUARANTINE_NANOS}, unless all are.
   */
  private Reply send(String path, String body) {
    long started = System.nanoTime();
    int chosen = Math.floorMod(next.getAndIncrement(), brokers.size());
    for (int i = 0; i < brokers.size() && quarantinedUntil[chosen] - started > 0; i++) {
      chosen = (chosen + 1) % brokers.size();
    }
    Http http = brokers.get(chosen);
    Reply reply;
    try {
      reply = brokers.size() == 1 ? http.post(path, body) : http.post(path, body, MEMBER_TIMEOUT);
    } catch (UncheckedIOException e) {
      if (brokers.size() > 1) {
        quarantinedUntil[chosen] = System.nanoTime() + QUARANTINE_NANOS;
      }
      throw e;
    }
    if (watch != null) {
      watch.accept(reply, (System.nanoTime() - started) / 1_000_000);
    }
    return reply;
  }

  private void produce(Ledger.Producer producer, Random random) {
    while (running) {
      if (producer.retriesWithIds) {
        produceWithIds(producer, random);
        continue;
      }
      List<String> messages = new ArrayList<>();
      int count = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(19);
      for (int i = 0; i < count; i++) {
        messages.add(producer.next());
      }
      String body =
          Http.json(
                  "topic",
                  producer.topic,
                  "producer_id",
                  producer.id,
                  count == 1 ? "message" : "messages",
                  count == 1 ? messages.get(0) : Json.createArrayBuilder(messages).build())
              .toString();
      try {
        Reply reply = send("producer/produce", body);
        if (reply.isSuccess()) {
          producer.acknowledged.addAll(messages);
        } else {
          producer.unsure.addAll(messages);
          pause(random);
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        producer.unsure.addAll(messages);
        connectionFailures.incrementAndGet();
        pause(random);
      }
    }
  }

  /** A producer that retries with ids: the same request again until it is told success. */
  private void produceWithIds(Ledger.Producer producer, Random random) {
    Ledger.Producer.Pending pending = producer.pending;
    if (pending == null) {
      List<String> messages = new ArrayList<>();
      int count = random.nextInt(10) < 7 ? 1 : 2 + random.nextInt(19);
      for (int i = 0; i < count; i++) {
        messages.add(producer.next());
      }
      pending = new Ledger.Producer.Pending(withIds(producer, messages), messages);
      producer.pending = pending;
    }
    try {
      if (send("producer/produce", pending.body()).isSuccess()) {
        producer.acknowledged.addAll(pending.messages());
        producer.pending = null;
      } else {
        pause(random);
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      connectionFailures.incrementAndGet();
      pause(random);
    }
  }

  /** A produce whose ids are the messages' texts (unique per producer). */
  static String withIds(Ledger.Producer producer, List<String> messages) {
    var body =
        Json.createObjectBuilder().add("topic", producer.topic).add("producer_id", producer.id);
    if (messages.size() == 1) {
      body.add("message", messages.get(0)).add("message_id", messages.get(0));
    } else {
      body.add("messages", Json.createArrayBuilder(messages))
          .add("message_ids", Json.createArrayBuilder(messages));
    }
    return body.build().toString();
  }

  /**
   * An explicit consumer at work: takes a batch, "processes" it (writes it down), and acknowledges
   * it with its next consume; a consume that fails leaves its acknowledgements for the next one.
   */
  private void lease(Ledger.ExplicitConsumer consumer, Random random) {
    while (running) {
      try {
        List<Long> acks = List.copyOf(consumer.unacked);
        Reply reply =
            send(
                "consumer/consume",
                leaseBody(
                    consumer,
                    1 + random.nextInt(20),
                    acks,
                    random.nextInt(10) < 2 ? 200 + random.nextInt(500) : 0));
        if (reply.status() != 200) {
          if (reply.status() != 503) {
            consumer.refusals.incrementAndGet();
            System.getLogger(Load.class.getName())
                .log(System.Logger.Level.WARNING, "Consumer " + consumer.id + " refused: " + reply);
          }
          pause(random);
          continue;
        }
        consumer.unacked.removeAll(acks);
        var records = reply.json().getJsonArray("records").getValuesAs(JsonObject.class);
        for (JsonObject record : records) {
          consumer.process(record.getString("message"));
          consumer.unacked.add(record.getJsonNumber("offset").longValue());
        }
        if (records.isEmpty()) {
          pause(random);
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        connectionFailures.incrementAndGet();
        pause(random);
      }
    }
  }

  /** A consume of an explicit consumer that acknowledges {@code acks} first. */
  static String leaseBody(
      Ledger.ExplicitConsumer consumer, int max, List<Long> acks, int waitMillis) {
    var body =
        Json.createObjectBuilder()
            .add("topic", consumer.topic)
            .add("consumer_id", consumer.id)
            .add("max", max);
    if (waitMillis > 0) {
      body.add("wait_ms", waitMillis);
    }
    if (!acks.isEmpty()) {
      var offsets = Json.createArrayBuilder();
      acks.forEach(offsets::add);
      body.add("offsets", offsets);
    }
    return body.build().toString();
  }

  private void consume(Ledger.Consumer consumer, Random random) {
    while (running) {
      int max = random.nextInt(10) < 5 ? 0 : 1 + random.nextInt(10);
      int waitMillis = random.nextInt(10) < 2 ? 200 + random.nextInt(800) : 0;
      var body =
          Json.createObjectBuilder().add("topic", consumer.topic).add("consumer_id", consumer.id);
      if (max > 0) {
        body.add("max", max);
      }
      if (waitMillis > 0) {
        body.add("wait_ms", waitMillis);
      }
      try {
        Reply reply = send("consumer/consume", body.build().toString());
        if (reply.status() == 200) {
          if (max > 0) {
            consumer.received.addAll(
                reply.json().getJsonArray("messages").getValuesAs(JsonString::getString));
          } else {
            consumer.received.add(reply.json().getString("message"));
          }
        } else if ("queue_empty".equals(reply.error())) {
          pause(random);
        } else {
          // refused (503): nothing should have moved, but a commit whose answer was lost may have
          consumer.takenUnanswered.addAndGet(Math.max(1, max));
          pause(random);
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        // the broker went away with this consume in flight: it may have been taken
        consumer.takenUnanswered.addAndGet(Math.max(1, max));
        connectionFailures.incrementAndGet();
        pause(random);
      }
    }
  }

  private void pause(Random random) {
    try {
      Thread.sleep(5 + random.nextInt(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
