package dev.logqueue.broker.it;

import static dev.logqueue.broker.it.ContractIT.assertFailure;
import static dev.logqueue.broker.it.ContractIT.assertSuccess;
import static dev.logqueue.broker.it.ContractIT.topic;
import static dev.logqueue.testkit.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The v2 contract (DESIGN.md, "Contract v2: delivery guarantees"), over HTTP against the WAR on
 * Payara Micro: produce offsets and message ids; durable, explicit consumers with leases, acks,
 * dead letters and seek.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeliveryContractIT {

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

  /** The fields {@code first}, then {@code rest}: names and values alternating. */
  static Object[] fields(Object[] rest, Object... first) {
    Object[] all = new Object[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  JsonObject produce(String topic, long producer, Object... fields) {
    Reply reply =
        http.post(
            "producer/produce", json(fields(fields, "topic", topic, "producer_id", producer)));
    assertSuccess(reply);
    return reply.json();
  }

  static jakarta.json.JsonArray strings(String... texts) {
    var array = Json.createArrayBuilder();
    for (String text : texts) {
      array.add(text);
    }
    return array.build();
  }

  static List<Long> offsets(JsonObject answer) {
    return answer.getJsonArray("offsets").getValuesAs(jakarta.json.JsonNumber.class).stream()
        .map(jakarta.json.JsonNumber::longValue)
        .toList();
  }

  @Test
  void aProduceAnswersWhereItsMessagesWent() {
    String topic = topic("offsets");
    long producer = wire.registerProducer(topic);
    JsonObject single = produce(topic, producer, "message", "first");
    assertEquals(0, single.getJsonNumber("offset").longValue(), single::toString);
    assertFalse(single.containsKey("duplicate"), single::toString);
    JsonObject batch = produce(topic, producer, "messages", strings("a", "b", "c"));
    assertEquals(3, batch.getInt("appended"));
    assertEquals(List.of(1L, 2L, 3L), offsets(batch));
    assertEquals(0, batch.getInt("duplicates"));
    assertEquals(4, produce(topic, producer, "log_message", "seed field").getInt("offset"));
  }

  @Test
  void aMessageIdAppendedBeforeIsNotStoredAgain() {
    String topic = topic("dedup");
    long producer = wire.registerProducer(topic);
    long other = wire.registerProducer(topic);
    long consumer = wire.registerConsumer(topic);
    assertEquals(
        0, produce(topic, producer, "message", "m", "message_id", "id-1").getInt("offset"));
    JsonObject retry = produce(topic, other, "message", "m", "message_id", "id-1");
    assertEquals(0, retry.getInt("offset"), retry::toString);
    assertTrue(retry.getBoolean("duplicate"), retry::toString);

    JsonObject batch =
        produce(
            topic,
            producer,
            "messages",
            strings("m", "n", "o"),
            "message_ids",
            strings("id-1", "id-2", "id-2"));
    assertEquals(1, batch.getInt("appended"), batch::toString);
    assertEquals(List.of(0L, 1L, 1L), offsets(batch));
    assertEquals(2, batch.getInt("duplicates"));
    assertEquals(List.of("m", "n"), wire.consume(topic, consumer, 10));
    assertEquals(0, wire.size(topic, consumer));
  }

  @Test
  void aV1ConsumeOfAnEmptyTopicIsAlwaysQueueEmpty() {
    // answered from memory on the request's thread, by GET and POST alike, every time
    String topic = topic("empty");
    wire.createTopic(topic);
    long consumer = wire.registerConsumer(topic);
    for (int i = 0; i < 500; i++) {
      Reply reply =
          i % 2 == 0
              ? http.post("consumer/consume", json("topic", topic, "consumer_id", consumer))
              : http.get("consumer/consume?topic=" + topic + "&consumer_id=" + consumer);
      assertFailure(reply, 404, "queue_empty");
    }
  }

  @Test
  void badMessageIdsAreRefused() {
    String topic = topic("bad-ids");
    long producer = wire.registerProducer(topic);
    for (Object[] fields :
        List.of(
            new Object[] {"message", "m", "message_id", ""},
            new Object[] {"message", "m", "message_id", "x".repeat(129)},
            new Object[] {"message", "m", "message_id", "tab\there"},
            new Object[] {"message", "m", "message_id", 7},
            new Object[] {"message", "m", "message_ids", strings("a")},
            new Object[] {"messages", strings("a", "b"), "message_ids", strings("a")},
            new Object[] {"messages", strings("a"), "message_id", "a"})) {
      assertFailure(
          http.post(
              "producer/produce", json(fields(fields, "topic", topic, "producer_id", producer))),
          400,
          "bad_request");
    }
    long consumer = wire.registerConsumer(topic);
    assertEquals(0, wire.size(topic, consumer), "nothing was stored");
  }

  // ---- consumers

  Reply post(String path, String topic, Object... fields) {
    return http.post(path, json(fields(fields, "topic", topic)));
  }

  JsonObject success(Reply reply) {
    assertSuccess(reply);
    return reply.json();
  }

  long explicitConsumer(String topic, Object... fields) {
    JsonObject registered =
        success(post("consumer/register", topic, fields(fields, "ack", "explicit")));
    assertEquals("explicit", registered.getString("ack"), registered::toString);
    return registered.getJsonNumber("consumer_id").longValue();
  }

  JsonObject consume(String topic, long consumer, Object... fields) {
    return success(post("consumer/consume", topic, fields(fields, "consumer_id", consumer)));
  }

  JsonObject ack(String topic, long consumer, Object... fields) {
    return success(post("consumer/ack", topic, fields(fields, "consumer_id", consumer)));
  }

  static List<Long> recordOffsets(JsonObject answer) {
    return answer.getJsonArray("records").getValuesAs(JsonObject.class).stream()
        .map(record -> record.getJsonNumber("offset").longValue())
        .toList();
  }

  static List<Integer> recordDeliveries(JsonObject answer) {
    return answer.getJsonArray("records").getValuesAs(JsonObject.class).stream()
        .map(record -> record.getInt("delivery"))
        .toList();
  }

  static jakarta.json.JsonArray numbers(long... values) {
    var array = Json.createArrayBuilder();
    for (long value : values) {
      array.add(value);
    }
    return array.build();
  }

  void produceAll(String topic, String... texts) {
    produce(topic, wire.registerProducer(topic), "messages", strings(texts));
  }

  @Test
  void aDurableConsumerIsFoundByItsNameAndEchoesItsSettings() {
    String topic = topic("durable");
    produceAll(topic, "a", "b");
    JsonObject first =
        success(
            post(
                "consumer/register",
                topic,
                "name",
                "billing",
                "ack",
                "explicit",
                "start",
                "latest"));
    assertFalse(first.getBoolean("existing"), first::toString);
    assertEquals("billing", first.getString("name"));
    assertEquals(30_000, first.getInt("lease_ms"));
    assertEquals(2, first.getInt("offset"), "latest: the end");
    JsonObject again =
        success(post("consumer/register", topic, "name", "billing", "ack", "explicit"));
    assertTrue(again.getBoolean("existing"), again::toString);
    assertEquals(first.getInt("consumer_id"), again.getInt("consumer_id"));
    assertFailure(
        post("consumer/register", topic, "name", "billing", "ack", "explicit", "lease_ms", 5000),
        409,
        "consumer_exists");
    assertFailure(post("consumer/register", topic, "name", "billing"), 409, "consumer_exists");
    JsonObject v1 = success(post("consumer/register", topic));
    assertEquals("auto", v1.getString("ack"));
    assertEquals(0, v1.getInt("offset"));
    assertFalse(v1.containsKey("existing"));
    JsonObject fromOne = success(post("consumer/register", topic, "start", 1));
    assertEquals(1, fromOne.getInt("offset"));

    for (Object[] bad :
        List.of(
            new Object[] {"ack", "sometimes"},
            new Object[] {"start", "middle"},
            new Object[] {"start", -1},
            new Object[] {"name", "no spaces"},
            new Object[] {"lease_ms", 5000},
            new Object[] {"ack", "explicit", "lease_ms", 999},
            new Object[] {"ack", "explicit", "max_deliveries", 3},
            new Object[] {"ack", "explicit", "max_deliveries", 0, "dead_letter_topic", "d"},
            new Object[] {"ack", "explicit", "max_deliveries", 1001, "dead_letter_topic", "d"},
            new Object[] {"ack", "explicit", "max_deliveries", 2, "dead_letter_topic", topic})) {
      assertFailure(post("consumer/register", topic, bad), 400, "bad_request");
    }
  }

  @Test
  void anExpiredLeaseGivesTheMessageAgainAndAcksSettleIt() throws InterruptedException {
    String topic = topic("lease");
    produceAll(topic, "a", "b", "c");
    long consumer = explicitConsumer(topic, "lease_ms", 1000);
    JsonObject first = consume(topic, consumer, "max", 2);
    assertEquals(List.of(0L, 1L), recordOffsets(first));
    assertEquals(List.of(1, 1), recordDeliveries(first));
    JsonObject record = first.getJsonArray("records").getJsonObject(0);
    assertEquals("a", record.getString("message"));
    assertTrue(
        record.getJsonNumber("timestamp").longValue() > 1_700_000_000_000L, record::toString);
    assertTrue(first.getJsonNumber("lease_until").longValue() > System.currentTimeMillis() + 500);
    assertEquals(List.of(2L), recordOffsets(consume(topic, consumer, "max", 10)));
    JsonObject none = consume(topic, consumer);
    assertEquals(List.of(), recordOffsets(none), "an empty list is no failure");
    assertEquals(3, wire.size(topic, consumer));

    JsonObject acked = ack(topic, consumer, "offsets", numbers(1));
    assertEquals(1, acked.getInt("acked"), acked::toString);
    assertEquals(0, acked.getInt("released"));
    Thread.sleep(1_300);
    JsonObject again = consume(topic, consumer, "max", 10, "offsets", numbers(2));
    assertEquals(List.of(0L), recordOffsets(again), "2 was acked with the consume, first");
    assertEquals(List.of(2), recordDeliveries(again));
    assertEquals(1, wire.size(topic, consumer));
    assertEquals(1, ack(topic, consumer, "ack_until", 3).getInt("acked"), "0, the one left");
    assertEquals(0, wire.size(topic, consumer));

    assertFailure(
        post("consumer/ack", topic, "consumer_id", consumer, "offsets", numbers(3)),
        409,
        "not_delivered");
    long auto = wire.registerConsumer(topic);
    assertFailure(
        post("consumer/ack", topic, "consumer_id", auto, "offsets", numbers(0)),
        409,
        "not_explicit");
    assertFailure(
        post("consumer/ack", topic, "consumer_id", consumer, "offsets", strings("x")),
        400,
        "bad_request");
    assertFailure(
        post(
            "consumer/ack",
            topic,
            "consumer_id",
            consumer,
            "offsets",
            numbers(0),
            "release",
            numbers(0)),
        400,
        "bad_request");
    assertFailure(
        http.get("consumer/ack?topic=" + topic + "&consumer_id=" + consumer),
        405,
        "method_not_allowed");
  }

  @Test
  void twoClientsOfOneNamedConsumerSplitTenThousandMessages() throws Exception {
    String topic = topic("shared");
    long producer = wire.registerProducer(topic);
    for (int batch = 0; batch < 10; batch++) {
      String[] texts = new String[1000];
      for (int i = 0; i < 1000; i++) {
        texts[i] = "m-" + (batch * 1000 + i);
      }
      produce(topic, producer, "messages", strings(texts));
    }
    java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Long> twice = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    // both clients find the consumer by its name, then start together
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.util.concurrent.CompletableFuture<Integer>> clients = new java.util.ArrayList<>();
    for (int c = 0; c < 2; c++) {
      clients.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                long id =
                    success(post("consumer/register", topic, "name", "workers", "ack", "explicit"))
                        .getJsonNumber("consumer_id")
                        .longValue();
                try {
                  start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                int taken = 0;
                jakarta.json.JsonArray previous = numbers();
                while (true) {
                  List<Long> offsets =
                      recordOffsets(consume(topic, id, "max", 50, "offsets", previous));
                  if (offsets.isEmpty()) {
                    return taken;
                  }
                  for (long offset : offsets) {
                    if (!seen.add(offset)) {
                      twice.add(offset);
                    }
                  }
                  taken += offsets.size();
                  previous = numbers(offsets.stream().mapToLong(Long::longValue).toArray());
                }
              },
              threads));
    }
    int first = clients.get(0).get(120, java.util.concurrent.TimeUnit.SECONDS);
    int second = clients.get(1).get(120, java.util.concurrent.TimeUnit.SECONDS);
    threads.shutdown();
    assertEquals(List.of(), twice, "none given to both");
    assertEquals(10_000, seen.size(), "none lost");
    assertEquals(10_000, first + second);
    assertTrue(first > 0 && second > 0, "both took part: " + first + " and " + second);
  }

  @Test
  void aReleaseComesBackAfterItsDelayAnExtendKeepsTheLease() throws InterruptedException {
    String topic = topic("release");
    produceAll(topic, "a", "b", "c");
    long consumer = explicitConsumer(topic);
    assertEquals(List.of(0L, 1L, 2L), recordOffsets(consume(topic, consumer, "max", 10)));
    JsonObject released = ack(topic, consumer, "release", numbers(1), "delay_ms", 600);
    assertEquals(1, released.getInt("released"), released::toString);
    assertEquals(
        List.of(), recordOffsets(consume(topic, consumer, "max", 10)), "not before 600 ms");
    Thread.sleep(800);
    JsonObject back = consume(topic, consumer, "max", 10);
    assertEquals(List.of(1L), recordOffsets(back));
    assertEquals(List.of(2), recordDeliveries(back));

    long extended = explicitConsumer(topic, "lease_ms", 2000);
    assertEquals(List.of(0L), recordOffsets(consume(topic, extended)));
    Thread.sleep(1_000);
    assertEquals(1, ack(topic, extended, "extend", numbers(0)).getInt("extended"));
    Thread.sleep(1_500); // 500 ms past the first lease, 500 ms within the renewed one
    assertEquals(List.of(1L), recordOffsets(consume(topic, extended)), "0 is still leased");
    Thread.sleep(1_000);
    assertEquals(List.of(0L), recordOffsets(consume(topic, extended)));
  }

  @Test
  void afterMaxDeliveriesOrARejectAMessageGoesToTheDeadLetterTopicWithItsOrigin()
      throws InterruptedException {
    String topic = topic("poison");
    String dlq = topic + ".dlq";
    produceAll(topic, "poison", "fine", "bad");
    long consumer =
        explicitConsumer(topic, "lease_ms", 1000, "max_deliveries", 2, "dead_letter_topic", dlq);
    assertEquals(List.of(0L, 1L, 2L), recordOffsets(consume(topic, consumer, "max", 10)));
    JsonObject rejected = ack(topic, consumer, "offsets", numbers(1), "reject", numbers(2));
    assertEquals(1, rejected.getInt("rejected"), rejected::toString);
    Thread.sleep(1_300);
    JsonObject second = consume(topic, consumer, "max", 10);
    assertEquals(List.of(0L), recordOffsets(second));
    assertEquals(List.of(2), recordDeliveries(second));
    Thread.sleep(1_300);
    assertEquals(List.of(), recordOffsets(consume(topic, consumer, "max", 10)));
    assertEquals(0, wire.size(topic, consumer), "dead-lettered counts as settled");

    long reader = explicitConsumer(dlq);
    List<JsonObject> dead =
        consume(dlq, reader, "max", 10).getJsonArray("records").getValuesAs(JsonObject.class);
    assertEquals(List.of("bad", "poison"), dead.stream().map(r -> r.getString("message")).toList());
    JsonObject origin = dead.get(1).getJsonObject("origin");
    assertEquals(topic, origin.getString("topic"));
    assertEquals(0, origin.getInt("offset"));
    assertEquals(2, origin.getInt("deliveries"));
    assertEquals(2, dead.get(0).getJsonObject("origin").getInt("offset"));
    assertEquals(1, dead.get(0).getJsonObject("origin").getInt("deliveries"));
    assertEquals(List.of("bad", "poison"), wire.consume(dlq, wire.registerConsumer(dlq), 10));
  }

  @Test
  void seekByOffsetAndByTimestamp() throws InterruptedException {
    String topic = topic("seek");
    produceAll(topic, "a", "b");
    Thread.sleep(30);
    long between = System.currentTimeMillis();
    Thread.sleep(30);
    produceAll(topic, "c", "d");
    long auto = wire.registerConsumer(topic);
    long consumer = explicitConsumer(topic);
    assertEquals(4, recordOffsets(consume(topic, consumer, "max", 10)).size());

    JsonObject moved =
        success(post("consumer/seek", topic, "consumer_id", consumer, "timestamp", between));
    assertEquals(2, moved.getInt("offset"));
    assertEquals(List.of(2L, 3L), recordOffsets(consume(topic, consumer, "max", 10)));
    assertEquals(
        1,
        success(post("consumer/seek", topic, "consumer_id", consumer, "offset", 1))
            .getInt("offset"));
    assertEquals(3, wire.size(topic, consumer));

    assertEquals(
        2,
        success(post("consumer/seek", topic, "consumer_id", auto, "timestamp", between))
            .getInt("offset"));
    assertEquals(List.of("c", "d"), wire.consume(topic, auto, 10));
    assertEquals(
        4,
        success(post("consumer/seek", topic, "consumer_id", auto, "offset", 99)).getInt("offset"));
    assertFailure(post("consumer/seek", topic, "consumer_id", auto), 400, "bad_request");
    assertFailure(
        post("consumer/seek", topic, "consumer_id", auto, "offset", 1, "timestamp", 1),
        400,
        "bad_request");
    assertFailure(
        post("consumer/seek", topic, "consumer_id", 999_999, "offset", 1),
        404,
        "consumer_not_found");
  }
}
