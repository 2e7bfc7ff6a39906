package dev.logqueue.broker.it;

import static dev.logqueue.testkit.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batch produce, batch consume and waiting (long-poll) consume, over HTTP. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FastPathIT {

  private static final AtomicInteger TOPICS = new AtomicInteger();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.broker();
  }

  @ArquillianResource URL base;
  Http http;
  Wire wire;

  @BeforeEach
  void client() throws Exception {
    wire = new Wire(Deployments.base(base));
    http = wire.http();
  }

  static String topic(String name) {
    return name + "-" + TOPICS.incrementAndGet() + "-" + System.nanoTime() % 10_000;
  }

  static JsonArray strings(String... texts) {
    var array = Json.createArrayBuilder();
    for (String text : texts) {
      array.add(text);
    }
    return array.build();
  }

  static List<String> messages(Reply reply) {
    assertEquals(200, reply.status(), reply::toString);
    return reply.json().getJsonArray("messages").getValuesAs(JsonString::getString);
  }

  @Test
  void aBatchIsAppendedInOrderAndSaysHowMany() {
    String topic = topic("batch");
    long producer = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    Reply appended =
        http.post(
            "producer/produce",
            json("topic", topic, "producer_id", producer, "messages", strings("a", "b", "c")));
    assertEquals(200, appended.status(), appended::toString);
    assertEquals(3, appended.json().getInt("appended"));
    wire.produce(topic, producer, "d");
    assertEquals(
        List.of("a", "b", "c", "d"),
        messages(
            http.post(
                "consumer/consume", json("topic", topic, "consumer_id", consumer, "max", 10))));
  }

  @Test
  void aBatchIsAllOrNothing() {
    String topic = topic("atomic");
    long producer = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    String tooBig = "x".repeat(1024 * 1024 + 1);
    Reply refused =
        http.post(
            "producer/produce",
            json(
                "topic",
                topic,
                "producer_id",
                producer,
                "messages",
                strings("fine", tooBig, "also fine")));
    assertEquals(413, refused.status(), refused::toString);
    assertEquals("message_too_large", refused.error());
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add("m" + i);
    }
    Reply tooMany =
        http.post(
            "producer/produce",
            json(
                "topic",
                topic,
                "producer_id",
                producer,
                "messages",
                strings(many.toArray(String[]::new))));
    assertEquals(413, tooMany.status(), tooMany::toString);
    String[] fourMiB = new String[5];
    java.util.Arrays.fill(fourMiB, "y".repeat(1024 * 1024 - 10));
    Reply tooManyBytes =
        http.post(
            "producer/produce",
            json("topic", topic, "producer_id", producer, "messages", strings(fourMiB)));
    assertEquals(413, tooManyBytes.status(), "over 4 MiB together: " + tooManyBytes.status());
    Reply mixed =
        http.post(
            "producer/produce",
            "{\"topic\":\""
                + topic
                + "\",\"producer_id\":"
                + producer
                + ",\"messages\":[\"a\",2]}");
    assertEquals(400, mixed.status(), mixed::toString);
    assertEquals(0, wire.size(topic, consumer), "nothing of a refused batch was appended");
    assertEquals(
        1000,
        http.post(
                "producer/produce",
                json(
                    "topic",
                    topic,
                    "producer_id",
                    producer,
                    "messages",
                    strings(many.subList(0, 1000).toArray(String[]::new))))
            .json()
            .getInt("appended"));
  }

  @Test
  void aBatchConsumeTakesUpToMaxAndAnEmptyBatchIsNoFailure() {
    String topic = topic("take");
    long producer = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    for (int i = 0; i < 5; i++) {
      wire.produce(topic, producer, "m" + i);
    }
    assertEquals(
        List.of("m0", "m1"),
        messages(
            http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer + "&max=2")));
    assertEquals(
        List.of("m2", "m3", "m4"),
        messages(
            http.post(
                "consumer/consume", json("topic", topic, "consumer_id", consumer, "max", "1000"))));
    assertEquals(
        List.of(),
        messages(
            http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer + "&max=5")));
    for (String bad : List.of("0", "1001", "-1", "x")) {
      assertEquals(
          400,
          http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer + "&max=" + bad)
              .status());
    }
    assertEquals(
        400,
        http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer + "&wait_ms=30001")
            .status());
    assertEquals(0, wire.size(topic, consumer));
  }

  @Test
  void aWaitingConsumeIsAnsweredWhenAProducerSends() throws Exception {
    String topic = topic("wait");
    long producer = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    long started = System.nanoTime();
    CompletableFuture<Reply> waiting =
        CompletableFuture.supplyAsync(
            () ->
                http.get(
                    "consumer/consume?topic="
                        + topic
                        + "&consumer_id="
                        + consumer
                        + "&wait_ms=20000"));
    Thread.sleep(1_000);
    assertTrue(!waiting.isDone(), "it waits");
    wire.produce(topic, producer, "news");
    Reply reply = waiting.get(10, TimeUnit.SECONDS);
    assertEquals("news", reply.json().getString("message"), reply::toString);
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "answered on arrival");
  }

  @Test
  void aWaitThatNothingEndsTimesOutEmpty() {
    String topic = topic("quiet");
    wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    long started = System.nanoTime();
    assertEquals(
        List.of(),
        messages(
            http.get(
                "consumer/consume?topic="
                    + topic
                    + "&consumer_id="
                    + consumer
                    + "&max=10&wait_ms=1500")));
    long waited = System.nanoTime() - started;
    assertTrue(
        waited >= TimeUnit.MILLISECONDS.toNanos(1_450) && waited < TimeUnit.SECONDS.toNanos(6),
        "waited " + waited);
    Reply single =
        http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer + "&wait_ms=500");
    assertEquals(404, single.status(), single::toString);
    assertEquals("queue_empty", single.error());
  }

  @Test
  void manyWaitingConsumersDoNotExhaustTheServersThreads() throws Exception {
    // more waiting requests than Payara's HTTP thread pool has threads (200)
    String topic = topic("crowd");
    long producer = wire.registerProducer(topic);
    int waiters = 300;
    List<Long> consumers = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      consumers.add(wire.registerConsumer(topic));
    }
    ExecutorService threads = Executors.newFixedThreadPool(waiters);
    try {
      List<CompletableFuture<Reply>> waiting = new ArrayList<>();
      for (long consumer : consumers) {
        waiting.add(
            CompletableFuture.supplyAsync(
                () ->
                    http.send(
                        "GET",
                        "consumer/consume?topic="
                            + topic
                            + "&consumer_id="
                            + consumer
                            + "&max=5&wait_ms=25000",
                        (byte[]) null,
                        null,
                        Duration.ofSeconds(40)),
                threads));
      }
      Thread.sleep(3_000);
      assertEquals(
          Optional.empty(),
          Optional.ofNullable(
              waiting.stream().filter(CompletableFuture::isDone).findAny().orElse(null)),
          "all wait");
      Reply status = http.get("status"); // the server still serves while they wait
      assertEquals(200, status.status());
      wire.produce(topic, producer, "wake up");
      for (CompletableFuture<Reply> each : waiting) {
        assertEquals(List.of("wake up"), messages(each.get(20, TimeUnit.SECONDS)));
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
