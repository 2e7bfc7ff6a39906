package dev.logqueue.harness;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import jakarta.json.Json;
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

  private final Http http;
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
    this.http = new Http(broker);
    this.ledger = ledger;
    this.seed = seed;
    this.watch = watch;
  }

  Load start() {
    int n = 0;
    for (Ledger.Producer producer : ledger.producers.values()) {
      Random random = new Random(seed + n++);
      threads.add(new Thread(() -> produce(producer, random), "produce-" + producer.id));
    }
    for (Ledger.Consumer consumer : ledger.consumers.values()) {
      Random random = new Random(seed + n++);
      threads.add(new Thread(() -> consume(consumer, random), "consume-" + consumer.id));
    }
    threads.forEach(Thread::start);
    return this;
  }

  private Reply send(String path, String body) {
    long started = System.nanoTime();
    Reply reply = http.post(path, body);
    if (watch != null) {
      watch.accept(reply, (System.nanoTime() - started) / 1_000_000);
    }
    return reply;
  }

  private void produce(Ledger.Producer producer, Random random) {
    while (running) {
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
