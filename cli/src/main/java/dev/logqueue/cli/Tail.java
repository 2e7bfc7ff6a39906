package dev.logqueue.cli;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.LogQueueClient;
import dev.logqueue.sdk.Message;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tail [-n N] [-f] TOPIC}: the topic's last N messages, read without a consumer; with -f,
 * then every new one as it comes, through a consumer of its own that starts right after them and is
 * deleted when the command ends (Ctrl-C included), so it leaves nothing behind at the broker.
 */
final class Tail {

  private final Connection connection;
  private final LogQueueClient broker;
  private final PrintStream out;
  private final boolean json;

  Tail(Connection connection, LogQueueClient broker, PrintStream out, boolean json) {
    this.connection = connection;
    this.broker = broker;
    this.out = out;
    this.json = json;
  }

  void run(String topic, int lines, boolean follow) {
    long end = broker.topic(topic).endOffset(); // before the look: nothing after it is missed
    List<Message> last = lines > 0 ? broker.newestMessages(topic, lines) : List.of();
    last.forEach(this::print);
    out.flush();
    if (follow) {
      follow(topic, last.isEmpty() ? end : Math.max(end, last.get(last.size() - 1).offset() + 1));
    }
  }

  private void follow(String topic, long from) {
    AtomicLong next = new AtomicLong(from);
    Consumer consumer =
        connection
            .consumer()
            .topics(topic)
            .start(from)
            .onSkipped((skippedTopic, count) -> next.addAndGet(count))
            .build();
    long id = consumer.register(topic);
    // Ctrl-C (SIGINT) or SIGTERM: the hook stops the loop, and waits while this thread deletes the
    // consumer with the clients still open
    CountDownLatch cleaned = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              consumer.stop();
              try {
                cleaned.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "logqueue-tail-exit");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      while (!consumer.isStopped()) {
        for (Message message : consumer.pollBatch(Duration.ofSeconds(1), 1000)) {
          print(new Message(topic, message.text(), next.getAndIncrement(), 0, 0));
        }
        out.flush();
      }
    } finally {
      consumer.close();
      forget(topic, id);
      cleaned.countDown();
    }
  }

  /** Deletes the temporary consumer; a broker gone by then keeps it (its id is told). */
  private void forget(String topic, long id) {
    try {
      broker.deleteConsumer(topic, id);
    } catch (RuntimeException e) {
      System.err.println(
          "logqueue-cli: could not delete the temporary consumer "
              + id
              + " of "
              + topic
              + ": "
              + e.getMessage());
    }
  }

  private void print(Message message) {
    if (!json) {
      out.println(message.text());
      return;
    }
    JsonObjectBuilder line = Json.createObjectBuilder().add("offset", message.offset());
    if (message.timestamp() > 0) {
      line.add("timestamp", message.timestamp());
    }
    out.println(line.add("message", message.text()).build());
  }
}
