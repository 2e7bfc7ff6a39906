package dev.logqueue.broker.it;

import static dev.logqueue.broker.it.ContractIT.assertFailure;
import static dev.logqueue.broker.it.ContractIT.assertSuccess;
import static dev.logqueue.testkit.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Eventually;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retention and the topics' lifecycle (DESIGN.md, "Topic lifecycle and retention (v2)") on the
 * broker as its own process, on the suite's database: the endpoints and their errors, retention by
 * age and by bytes with consumers told what they skipped, a retained range that survives a kill -9,
 * and deletion while producers and consumers run.
 */
class LifecycleIT {

  Broker broker;
  Http http;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  void start(Broker.Builder builder) {
    broker = builder.start();
    http = new Http(broker.uri());
  }

  JsonObject ok(Reply reply) {
    assertSuccess(reply);
    return reply.json();
  }

  long producer(String topic) {
    return ok(http.post("producer/register", json("topic", topic)))
        .getJsonNumber("producer_id")
        .longValue();
  }

  long consumer(String topic, Object... fields) {
    Object[] all = new Object[fields.length + 2];
    all[0] = "topic";
    all[1] = topic;
    System.arraycopy(fields, 0, all, 2, fields.length);
    return ok(http.post("consumer/register", json(all))).getJsonNumber("consumer_id").longValue();
  }

  List<Long> produce(String topic, long producer, List<String> messages) {
    JsonObject answer =
        ok(http.post("producer/produce", Wire.batchBody(topic, producer, messages)));
    return answer.getJsonArray("offsets").getValuesAs(JsonNumber.class).stream()
        .map(JsonNumber::longValue)
        .toList();
  }

  JsonObject consume(String topic, long consumer, int max) {
    return ok(
        http.post("consumer/consume", json("topic", topic, "consumer_id", consumer, "max", max)));
  }

  JsonObject topic(String name) {
    return ok(http.get("topics/" + name)).getJsonObject("topic");
  }

  static List<String> numbered(String prefix, int from, int count) {
    List<String> texts = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      texts.add(prefix + i);
    }
    return texts;
  }

  static void eventually(String what, BooleanSupplier condition) {
    Eventually.eventually(what, Duration.ofSeconds(30), condition);
  }

  @Test
  void theEndpointsAnswerTheContractAndRefuseBadInputClearly() {
    start(Broker.on(Database.forSuite()).setting("LOGQUEUE_RETENTION_MS", 86_400_000));
    assertSuccess(
        http.post("topics", json("name", "own", "retention_ms", 60_000, "retention_bytes", 4096)));
    assertSuccess(http.post("topics", json("name", "plain")));
    JsonObject own = topic("own");
    assertEquals("own", own.getString("name"));
    assertEquals(60_000, own.getJsonNumber("retention_ms").longValue());
    assertEquals(4096, own.getJsonNumber("retention_bytes").longValue());
    JsonObject plain = topic("plain");
    assertEquals(86_400_000, plain.getJsonNumber("retention_ms").longValue(), "the default");
    assertEquals(0, plain.getJsonNumber("retention_bytes").longValue(), "without limit");

    long producer = producer("own");
    long auto = consumer("own");
    long explicit = consumer("own", "name", "audit", "ack", "explicit");
    produce("own", producer, List.of("a", "bé", "c"));
    consume("own", auto, 1);
    consume("own", explicit, 2);
    own = topic("own");
    assertEquals(0, own.getJsonNumber("start_offset").longValue());
    assertEquals(3, own.getJsonNumber("end_offset").longValue());
    assertEquals(3, own.getJsonNumber("messages").longValue());
    assertEquals(5, own.getJsonNumber("bytes").longValue(), "UTF-8 bytes");
    assertEquals(1, own.getInt("producers"));
    List<JsonObject> consumers = own.getJsonArray("consumers").getValuesAs(JsonObject.class);
    assertEquals(2, consumers.size());
    assertEquals(auto, consumers.get(0).getJsonNumber("consumer_id").longValue());
    assertTrue(consumers.get(0).isNull("name"));
    assertEquals("auto", consumers.get(0).getString("ack"));
    assertEquals(1, consumers.get(0).getJsonNumber("offset").longValue());
    assertEquals(2, consumers.get(0).getJsonNumber("lag").longValue());
    assertEquals(0, consumers.get(0).getInt("leased"));
    assertEquals("audit", consumers.get(1).getString("name"));
    assertEquals("explicit", consumers.get(1).getString("ack"));
    assertEquals(0, consumers.get(1).getJsonNumber("offset").longValue());
    assertEquals(3, consumers.get(1).getJsonNumber("lag").longValue());
    assertEquals(2, consumers.get(1).getInt("leased"));

    JsonObject changed =
        ok(http.send("PUT", "topics/own", "{\"retention_ms\":null}", "application/json"))
            .getJsonObject("topic");
    assertEquals(86_400_000, changed.getJsonNumber("retention_ms").longValue(), "back to default");
    assertEquals(4096, changed.getJsonNumber("retention_bytes").longValue(), "unchanged");

    assertFailure(http.get("topics/nope"), 404, "topic_not_found");
    assertFailure(http.get("topics/bad%20name"), 400, "bad_request");
    assertFailure(http.post("topics", json("name", "x", "retention_ms", -1)), 400, "bad_request");
    assertFailure(
        http.post("topics", json("name", "x", "retention_bytes", "lots")), 400, "bad_request");
    assertFailure(http.send("PUT", "topics/own", "{}", "application/json"), 400, "bad_request");
    assertFailure(
        http.send("PUT", "topics/own", "{\"retention_ms\":1.5}", "application/json"),
        400,
        "bad_request");
    assertFailure(
        http.send("PUT", "topics/nope", "{\"retention_ms\":1}", "application/json"),
        404,
        "topic_not_found");
    assertFailure(http.send("DELETE", "topics/nope", null, null), 404, "topic_not_found");
    assertFailure(http.send("DELETE", "topics/own/consumers/x", null, null), 400, "bad_request");
    assertFailure(
        http.send("DELETE", "topics/own/consumers/999", null, null), 404, "consumer_not_found");
    assertFailure(
        http.send("DELETE", "topics/plain/consumers/" + auto, null, null),
        403,
        "consumer_topic_mismatch");

    assertSuccess(http.send("DELETE", "topics/own/consumers/" + explicit, null, null));
    assertEquals(1, topic("own").getJsonArray("consumers").size());
    assertFailure(
        http.post("consumer/consume", json("topic", "own", "consumer_id", explicit)),
        404,
        "consumer_not_found");
    long audit = consumer("own", "name", "audit", "ack", "explicit");
    assertTrue(audit > explicit, "the name is free, the id new");

    assertSuccess(http.send("DELETE", "topics/own", null, null));
    assertFailure(http.get("topics/own"), 404, "topic_not_found");
    assertFailure(
        http.post(
            "producer/produce", json("topic", "own", "producer_id", producer, "message", "x")),
        404,
        "topic_not_found");
    assertEquals(List.of("plain"), topicNames());
    assertSuccess(http.post("topics", json("name", "own")));
    assertEquals(0, topic("own").getJsonNumber("end_offset").longValue(), "a new topic");
    assertFailure(
        http.post(
            "producer/produce", json("topic", "own", "producer_id", producer, "message", "x")),
        404,
        "producer_not_found");
    assertTrue(producer("own") > producer, "ids are never issued again");
    assertTrue(consumer("own") > audit);
  }

  List<String> topicNames() {
    return ok(http.get("topics")).getJsonArray("topics").getValuesAs(JsonValue.class).stream()
        .map(value -> ((jakarta.json.JsonString) value).getString())
        .toList();
  }

  @Test
  void retentionDeletesByAgeAndByBytesTellsConsumersAndTheRangeSurvivesAKill() {
    start(Broker.on(Database.forSuite()));
    assertSuccess(http.post("topics", json("name", "aged", "retention_ms", 2_000)));
    assertSuccess(http.post("topics", json("name", "sized", "retention_bytes", 100)));
    long aged = producer("aged");
    long sized = producer("sized");
    long agedReader = consumer("aged");
    long sizedReader = consumer("sized");
    produce("aged", aged, numbered("old-", 0, 50));
    // 50 messages of 10 bytes: the newest 100 bytes are the last 10
    produce("sized", sized, numbered("sized-", 1000, 50));
    eventually(
        "sized retained", () -> topic("sized").getJsonNumber("start_offset").longValue() == 40);
    JsonObject sizedTopic = topic("sized");
    assertEquals(10, sizedTopic.getJsonNumber("messages").longValue());
    assertEquals(100, sizedTopic.getJsonNumber("bytes").longValue());
    eventually("aged out", () -> topic("aged").getJsonNumber("start_offset").longValue() == 50);
    assertEquals(0, topic("aged").getJsonNumber("messages").longValue());

    broker.kill();
    broker.start();
    http = new Http(broker.uri());
    JsonObject agedTopic = topic("aged");
    assertEquals(50, agedTopic.getJsonNumber("start_offset").longValue(), "kept across a kill");
    assertEquals(50, agedTopic.getJsonNumber("end_offset").longValue(), "with no message stored");
    assertEquals(40, topic("sized").getJsonNumber("start_offset").longValue());

    assertEquals(List.of(50L, 51L), produce("aged", aged, List.of("new-0", "new-1")));
    JsonObject taken = consume("aged", agedReader, 10);
    assertEquals(List.of("new-0", "new-1"), strings(taken));
    assertEquals(50, taken.getJsonNumber("skipped").longValue());
    Reply v1 = http.post("consumer/consume", json("topic", "sized", "consumer_id", sizedReader));
    assertSuccess(v1);
    assertEquals("sized-1040", v1.json().getString("message"), "from the first retained");
    assertEquals(40, v1.json().getJsonNumber("skipped").longValue());
    JsonObject next = consume("sized", sizedReader, 3);
    assertFalse(next.containsKey("skipped"), "told once");
    eventually(
        "the aged messages leave", () -> topic("aged").getJsonNumber("messages").longValue() == 0);
  }

  @Test
  void deletionWhileProducersAndConsumersRunLosesNothingInsideRetention() throws Exception {
    start(
        Broker.on(Database.forSuite())
            .setting("LOGQUEUE_RETENTION_DELETE_BATCH", 50)
            .setting("LOGQUEUE_RETENTION_CHECK_MS", 100));
    assertSuccess(http.post("topics", json("name", "busy", "retention_bytes", 5_000)));
    long producer = producer("busy");
    long reader = consumer("busy");
    long laggard = consumer("busy");
    AtomicReference<Throwable> failed = new AtomicReference<>();
    List<Long> acknowledged = new ArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int batch = 0; batch < 100; batch++) {
                  acknowledged.addAll(produce("busy", producer, numbered("", batch * 20, 20)));
                  Thread.sleep(20); // about 2 s of produce: many retention rounds meanwhile
                }
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    writer.start();
    long expected = 0;
    long skipped = 0;
    while (writer.isAlive() || expected < 2_000) {
      JsonObject taken = consume("busy", reader, 37);
      long jump = taken.containsKey("skipped") ? taken.getJsonNumber("skipped").longValue() : 0;
      skipped += jump;
      expected += jump;
      for (String text : strings(taken)) {
        assertEquals(Long.toString(expected), text, "no gap, no duplicate, in order");
        expected++;
      }
      if (!writer.isAlive() && strings(taken).isEmpty() && jump == 0) {
        break;
      }
    }
    writer.join();
    assertEquals(null, failed.get());
    assertEquals(2_000, acknowledged.size());
    assertEquals(2_000, expected, "every message read or told skipped (" + skipped + ")");
    eventually("retained", () -> topic("busy").getJsonNumber("bytes").longValue() <= 5_000);
    JsonObject busy = topic("busy");
    long start = busy.getJsonNumber("start_offset").longValue();
    assertTrue(start > 0, busy::toString);
    assertEquals(2_000, busy.getJsonNumber("end_offset").longValue());

    JsonObject behind = consume("busy", laggard, 1000);
    assertEquals(start, behind.getJsonNumber("skipped").longValue(), "what it missed");
    List<String> rest = new ArrayList<>(strings(behind));
    for (List<String> more = strings(consume("busy", laggard, 1000));
        !more.isEmpty();
        more = strings(consume("busy", laggard, 1000))) {
      rest.addAll(more);
    }
    assertEquals(2_000 - start, rest.size());
    assertEquals(Long.toString(start), rest.get(0), "from the first retained message");
  }

  static List<String> strings(JsonObject answer) {
    return answer.getJsonArray("messages").getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }

  List<String> browse(String query) {
    JsonObject answer = ok(http.get("topics/logs/messages" + query));
    return answer.getJsonArray("records").getValuesAs(JsonObject.class).stream()
        .map(r -> r.getJsonNumber("offset").longValue() + ":" + r.getString("message"))
        .toList();
  }

  @Test
  void messagesAreBrowsedWithoutAConsumerAndTheDetailsOfAllTopicsComeInOneAnswer() {
    // a window of 10: most of what is browsed comes from the database, after a kill -9 all of it
    start(Broker.on(Database.forSuite()).setting("LOGQUEUE_WINDOW_MESSAGES", 10));
    long producer = producer("logs");
    long reader = consumer("logs");
    produce("logs", producer, numbered("m", 0, 50));
    long afterFirst = System.currentTimeMillis();
    eventually("the clock moved on", () -> System.currentTimeMillis() > afterFirst + 5);
    produce("logs", producer, List.of("<script>alert(1)</script>"));
    consume("logs", reader, 5);
    broker.kill();
    broker.start();

    assertEquals(List.of("48:m48", "49:m49", "50:<script>alert(1)</script>"), browse("?max=3"));
    assertEquals(List.of("3:m3", "4:m4"), browse("?offset=3&max=2"));
    assertEquals(List.of("50:<script>alert(1)</script>"), browse("?timestamp=" + (afterFirst + 1)));
    assertEquals(List.of(), browse("?offset=51"));
    JsonObject page = ok(http.get("topics/logs/messages?offset=0&max=1000"));
    assertEquals(51, page.getJsonArray("records").size());
    assertEquals(0, page.getJsonNumber("start_offset").longValue());
    assertEquals(51, page.getJsonNumber("end_offset").longValue());
    JsonObject first = page.getJsonArray("records").getJsonObject(0);
    assertTrue(first.getJsonNumber("timestamp").longValue() <= afterFirst);
    assertFalse(first.containsKey("delivery"), "no consumer was given it");

    assertFailure(http.get("topics/logs/messages?offset=1&timestamp=1"), 400, "bad_request");
    assertFailure(http.get("topics/logs/messages?max=1001"), 400, "bad_request");
    assertFailure(http.get("topics/logs/messages?offset=-1"), 400, "bad_request");
    assertFailure(http.get("topics/logs/messages?offset=x"), 400, "bad_request");
    assertFailure(http.get("topics/nope/messages"), 404, "topic_not_found");
    assertFailure(http.get("topics/bad%20name/messages"), 400, "bad_request");

    JsonObject reading = topic("logs").getJsonArray("consumers").getJsonObject(0);
    assertEquals(5, reading.getJsonNumber("offset").longValue(), "browsing moved nobody");
    assertEquals(46, reading.getJsonNumber("lag").longValue());
    assertTrue(reading.getJsonNumber("lag_ms").longValue() > 0, reading.toString());
    assertEquals(0, reading.getJsonNumber("acked").longValue());

    assertSuccess(http.post("topics", json("name", "empty")));
    JsonObject all = ok(http.get("topics?details=true"));
    assertEquals(List.of("logs", "empty"), strings(all, "topics"));
    List<JsonObject> details = all.getJsonArray("details").getValuesAs(JsonObject.class);
    assertEquals(List.of("logs", "empty"), details.stream().map(d -> d.getString("name")).toList());
    assertEquals(
        withoutLagMillis(topic("logs")),
        withoutLagMillis(details.get(0)),
        "as GET /topics/{name} (but lag_ms, which grows with the clock)");
    assertTrue(details.get(0).getJsonNumber("oldest_timestamp").longValue() <= afterFirst);
    assertEquals(JsonValue.NULL, details.get(1).get("oldest_timestamp"), "it holds none");
    assertFalse(ok(http.get("topics")).containsKey("details"), "v1's answer, unchanged");
    assertFailure(http.get("topics?details=yes"), 400, "bad_request");
  }

  static List<String> strings(JsonObject object, String name) {
    return object.getJsonArray(name).getValuesAs(jakarta.json.JsonString.class).stream()
        .map(jakarta.json.JsonString::getString)
        .toList();
  }

  /** A topic's details without its consumers' {@code lag_ms}, which depends on when it was read. */
  static String withoutLagMillis(JsonObject topic) {
    var consumers = Json.createArrayBuilder();
    for (JsonObject consumer : topic.getJsonArray("consumers").getValuesAs(JsonObject.class)) {
      consumers.add(Json.createObjectBuilder(consumer).remove("lag_ms"));
    }
    return Json.createObjectBuilder(topic).add("consumers", consumers).build().toString();
  }
}
