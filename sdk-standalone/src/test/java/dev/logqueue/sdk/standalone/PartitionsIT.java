package dev.logqueue.sdk.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import dev.logqueue.sdk.Producer;
import dev.logqueue.sdk.Retention;
import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topics of several partitions on a real broker, through the SDK and the wire: keys keep their
 * partition and their order, consumers read every partition, explicit consumers settle each.
 */
class PartitionsIT {

  static Broker broker;
  static Http http;
  static final AtomicInteger TOPICS = new AtomicInteger();

  @BeforeAll
  static void start() {
    broker = Broker.on(Database.h2()).start();
    http = new Http(broker.uri());
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  static String topic(String name) {
    return name + "-" + TOPICS.incrementAndGet();
  }

  @Test
  void eachKeyKeepsItsPartitionAndItsOrderThroughTheSdk() {
    String topic = topic("orders");
    int keys = 10;
    int each = 200;
    try (Producer producer = Producer.builder(broker.uri()).build()) {
      producer.createTopic(topic, Retention.DEFAULTS, 4);
    }
    try (Producer producer = Producer.builder(broker.uri()).build();
        Consumer consumer =
            Consumer.builder(broker.uri()).topics(topic).start("earliest").build()) {
      assertEquals(4, producer.partitions(topic));
      assertEquals(4, consumer.partitions(topic));
      List<CompletableFuture<Long>> sent = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        for (int k = 0; k < keys; k++) {
          sent.add(producer.sendAsync(topic, "k" + k, "k" + k + ":" + i).toCompletableFuture());
        }
      }
      sent.forEach(CompletableFuture::join);

      Map<String, Integer> last = new HashMap<>();
      Map<String, Set<Integer>> partitionsOfKey = new HashMap<>();
      int taken = 0;
      while (taken < keys * each) {
        List<Message> batch = consumer.pollBatch(Duration.ofSeconds(5), 500);
        assertTrue(!batch.isEmpty(), "taken " + taken + " of " + keys * each);
        for (Message message : batch) {
          String key = message.text().substring(0, message.text().indexOf(':'));
          int number = Integer.parseInt(message.text().substring(key.length() + 1));
          assertEquals(last.getOrDefault(key, -1) + 1, number, "in order, once: " + message);
          last.put(key, number);
          partitionsOfKey.computeIfAbsent(key, x -> new HashSet<>()).add(message.partition());
          assertEquals(Producer.partitionOf(key, 4), message.partition(), message.toString());
          taken++;
        }
      }
      partitionsOfKey.values().forEach(set -> assertEquals(1, set.size(), set.toString()));
      assertTrue(
          partitionsOfKey.values().stream().flatMap(Set::stream).distinct().count() > 1,
          "the keys spread over the partitions: " + partitionsOfKey);
      assertEquals(0, consumer.size(topic));
    }
  }

  @Test
  void anExplicitConsumerGetsBackWhatItDidNotAcknowledgeOnEachPartition() {
    String topic = topic("jobs");
    try (Producer producer = Producer.builder(broker.uri()).build()) {
      producer.createTopic(topic, Retention.DEFAULTS, 3);
    }
    try (Producer producer = Producer.builder(broker.uri()).build();
        Consumer consumer =
            Consumer.builder(broker.uri()).topics(topic).explicitAck().leaseMs(1_000).build()) {
      for (int i = 0; i < 6; i++) {
        producer.send(topic, "m" + i); // no key: the partitions take turns
      }
      for (int p = 0; p < 3; p++) {
        assertEquals(2, producer.send(topic, p, "n" + p), "the third message of partition " + p);
      }
      List<Message> first = new ArrayList<>();
      while (first.size() < 9) {
        first.addAll(consumer.pollBatch(Duration.ofSeconds(5), 100));
      }
      assertEquals(Set.of(0, 1, 2), first.stream().map(Message::partition).collect(toSet()));
      List<Message> kept =
          first.stream().filter(m -> m.partition() != 1).toList(); // partition 1 not acked
      consumer.ack(kept.toArray(Message[]::new));
      List<Message> again = consumer.pollBatch(Duration.ofSeconds(5), 100);
      assertEquals(3, again.size(), again.toString());
      assertTrue(
          again.stream().allMatch(m -> m.partition() == 1 && m.isRedelivery()), again.toString());
      consumer.ack(again.toArray(Message[]::new));
      assertEquals(0, consumer.size(topic));
    }
  }

  @Test
  void theWireNamesPartitionsAndRefusesWhatDoesNotFit() {
    String topic = topic("wire");
    assertEquals(200, http.post("topics", Http.json("name", topic, "partitions", 3)).status());
    JsonObject details = http.get("topics/" + topic).json().getJsonObject("topic");
    assertEquals(3, details.getInt("partitions"));
    assertEquals(
        List.of(topic),
        http
            .get("topics")
            .json()
            .getJsonArray("topics")
            .getValuesAs(jakarta.json.JsonString.class)
            .stream()
            .map(jakarta.json.JsonString::getString)
            .filter(topic::equals)
            .toList(),
        "a topic once, not its partitions");
    JsonObject registered = http.post("producer/register", Http.json("topic", topic)).json();
    assertEquals(3, registered.getInt("partitions"));
    long producer = registered.getJsonNumber("producer_id").longValue();
    Http.Reply keyed =
        http.post(
            "producer/produce",
            Http.json("topic", topic, "producer_id", producer, "message", "a", "key", "alice"));
    assertEquals(Producer.partitionOf("alice", 3), keyed.json().getInt("partition"), keyed.text());
    Http.Reply named =
        http.post(
            "producer/produce",
            Http.json("topic", topic, "producer_id", producer, "message", "b", "partition", 2));
    assertEquals(2, named.json().getInt("partition"));
    Http.Reply outside =
        http.post(
            "producer/produce",
            Http.json("topic", topic, "producer_id", producer, "message", "c", "partition", 3));
    assertEquals(400, outside.status(), outside.text());
    assertEquals("bad_request", outside.error());
    assertEquals(400, http.get("topics/" + topic + "?partition=7").status());
    assertEquals(
        2,
        http.get("topics/" + topic + "?partition=2")
            .json()
            .getJsonObject("topic")
            .getInt("partition"));

    long consumer =
        http.post("consumer/register", Http.json("topic", topic, "ack", "explicit"))
            .json()
            .getJsonNumber("consumer_id")
            .longValue();
    JsonObject leased =
        http.post("consumer/consume", Http.json("topic", topic, "consumer_id", consumer, "max", 10))
            .json();
    List<JsonObject> records = leased.getJsonArray("records").getValuesAs(JsonObject.class);
    assertEquals(2, records.size(), leased.toString());
    records.forEach(record -> assertTrue(record.containsKey("partition"), record.toString()));
    Http.Reply unnamed =
        http.post(
            "consumer/ack",
            Http.json("topic", topic, "consumer_id", consumer, "offsets", offsets(0)));
    assertEquals(400, unnamed.status(), "an ack on several partitions names its partition");
    for (JsonObject record : records) {
      Http.Reply ack =
          http.post(
              "consumer/ack",
              Http.json(
                  "topic",
                  topic,
                  "consumer_id",
                  consumer,
                  "partition",
                  record.getInt("partition"),
                  "offsets",
                  offsets(record.getJsonNumber("offset").longValue())));
      assertEquals(1, ack.json().getInt("acked"), ack.text());
    }
    assertEquals(
        0, http.get("size?topic=" + topic + "&consumer_id=" + consumer).json().getInt("size"));
    assertEquals(200, http.send("DELETE", "topics/" + topic, (String) null, null).status());
    assertEquals(404, http.get("topics/" + topic).status());
  }

  private static jakarta.json.JsonArray offsets(long... offsets) {
    var array = jakarta.json.Json.createArrayBuilder();
    for (long offset : offsets) {
      array.add(offset);
    }
    return array.build();
  }

  private static <T> java.util.stream.Collector<T, ?, Set<T>> toSet() {
    return java.util.stream.Collectors.toSet();
  }
}
