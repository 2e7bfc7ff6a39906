package dev.logqueue.broker.it;

import static dev.logqueue.testkit.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The v1 wire contract, case by case: the seed's test list, the specification and DESIGN.md, over
 * HTTP against the WAR on Payara Micro.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ContractIT {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;

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

  /** A topic name no other test uses. */
  static String topic(String name) {
    return name + "-" + TOPICS.incrementAndGet() + "." + System.nanoTime() % 100_000;
  }

  static void assertFailure(Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply::toString);
    JsonObject body = reply.json();
    assertEquals("failure", body.getString("status"), reply::toString);
    assertEquals(error, body.getString("error"), reply::toString);
    assertFalse(body.getString("message").isBlank(), reply::toString);
    assertTrue(
        reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        reply::toString);
    assertLengthGiven(reply);
  }

  static void assertSuccess(Reply reply) {
    assertEquals(200, reply.status(), reply::toString);
    assertEquals("success", reply.json().getString("status"), reply::toString);
    assertLengthGiven(reply);
  }

  /** The broker's answers say their length (they are not chunked). */
  static void assertLengthGiven(Reply reply) {
    assertEquals(
        String.valueOf(reply.text().getBytes(StandardCharsets.UTF_8).length),
        reply.headers().firstValue("Content-Length").orElse("none"),
        reply::toString);
  }

  long registerProducer(String topic) {
    return wire.registerProducer(topic);
  }

  long registerConsumer(String topic) {
    return wire.registerConsumer(topic);
  }

  void produce(String topic, long producer, String message) {
    wire.produce(topic, producer, message);
  }

  String consume(String topic, long consumer) {
    return wire.consume(topic, consumer).orElseThrow();
  }

  List<String> topics() {
    return wire.topics();
  }

  @Test
  void statusAnswersSuccess() {
    assertEquals("{\"status\":\"success\"}", http.get("status").text());
  }

  @Test
  void createTopicNewThenExisting() {
    String name = topic("create");
    Reply created = http.post("topics", json("name", name));
    assertSuccess(created);
    assertEquals("Topic '" + name + "' created successfully", created.json().getString("message"));
    assertFailure(http.post("topics", json("name", name)), 409, "topic_exists");
    assertFailure(http.post("topics", json("topic_name", name)), 409, "topic_exists");
  }

  @Test
  void createTopicTakesTheSeedsFieldName() {
    String name = topic("seed");
    assertSuccess(http.post("topics", json("topic_name", name)));
    assertTrue(topics().contains(name));
  }

  @Test
  void topicsAreListedInCreationOrder() {
    String first = topic("order-b");
    String second = topic("order-a");
    String third = topic("order-c");
    assertSuccess(http.post("topics", json("name", first)));
    registerProducer(second);
    assertSuccess(http.post("topics", json("name", third)));
    List<String> listed = topics();
    assertTrue(listed.indexOf(first) < listed.indexOf(second), listed::toString);
    assertTrue(listed.indexOf(second) < listed.indexOf(third), listed::toString);
  }

  @Test
  void registerConsumerOnExistingAndMissingTopic() {
    String name = topic("consumers");
    assertSuccess(http.post("topics", json("name", name)));
    long first = registerConsumer(name);
    long second = registerConsumer(name);
    assertTrue(second > first && first >= 1);
    assertFailure(
        http.post("consumer/register", json("topic", topic("nope"))), 404, "topic_not_found");
  }

  @Test
  void registerProducerOnExistingAndMissingTopicWhichThenAppears() {
    String existing = topic("producers");
    assertSuccess(http.post("topics", json("name", existing)));
    long first = registerProducer(existing);
    String missing = topic("auto");
    assertFalse(topics().contains(missing));
    long second = registerProducer(missing);
    assertTrue(second > first && first >= 1);
    assertTrue(topics().contains(missing));
    assertSuccess(http.post("producer/register", json("topic_name", topic("alias"))));
  }

  @Test
  void produceSucceedsAndEachConsumerReadsInOrder() {
    String name = topic("flow");
    long producer = registerProducer(name);
    long early = registerConsumer(name);
    produce(name, producer, "one");
    assertSuccess(
        http.post(
            "producer/produce",
            json("topic_name", name, "producer_id", producer, "log_message", "two")));
    long late = registerConsumer(name);
    assertEquals("one", consume(name, early));
    assertEquals("two", consume(name, early));
    assertFailure(
        http.post("consumer/consume", json("topic", name, "consumer_id", early)),
        404,
        "queue_empty");
    assertEquals("one", consume(name, late), "a new consumer starts at the beginning");
  }

  @Test
  void produceFailures() {
    String mine = topic("mine");
    String other = topic("other");
    long producer = registerProducer(mine);
    registerProducer(other);
    assertFailure(
        http.post(
            "producer/produce",
            json("topic", topic("missing"), "producer_id", producer, "message", "x")),
        404,
        "topic_not_found");
    assertFailure(
        http.post(
            "producer/produce", json("topic", mine, "producer_id", 987654321, "message", "x")),
        404,
        "producer_not_found");
    assertFailure(
        http.post(
            "producer/produce", json("topic", other, "producer_id", producer, "message", "x")),
        403,
        "producer_topic_mismatch");
    long consumer = registerConsumer(other);
    assertFailure(
        http.post("consumer/consume", json("topic", other, "consumer_id", consumer)),
        404,
        "queue_empty");
  }

  @Test
  void consumeAndSizeFailures() {
    String mine = topic("c-mine");
    String other = topic("c-other");
    registerProducer(mine);
    registerProducer(other);
    long consumer = registerConsumer(mine);
    for (String path : List.of("consumer/consume", "size")) {
      assertFailure(
          http.post(path, json("topic", topic("missing"), "consumer_id", consumer)),
          404,
          "topic_not_found");
      assertFailure(
          http.post(path, json("topic", mine, "consumer_id", 987654321)),
          404,
          "consumer_not_found");
      assertFailure(
          http.post(path, json("topic", other, "consumer_id", consumer)),
          403,
          "consumer_topic_mismatch");
      assertFailure(
          http.get(path + "?topic=" + other + "&consumer_id=" + consumer),
          403,
          "consumer_topic_mismatch");
    }
  }

  @Test
  void sizeCountsWhatTheConsumerHasNotRead() {
    String name = topic("size");
    long producer = registerProducer(name);
    long consumer = registerConsumer(name);
    assertEquals(
        0, http.get("size?topic=" + name + "&consumer_id=" + consumer).json().getInt("size"));
    for (int i = 0; i < 3; i++) {
      produce(name, producer, "m" + i);
    }
    assertEquals(
        3, http.get("size?topic=" + name + "&consumer_id=" + consumer).json().getInt("size"));
    consume(name, consumer);
    Reply size =
        http.send(
            "GET",
            "size",
            json("topic", name, "consumer_id", consumer).toString(),
            "application/json");
    assertSuccess(size);
    assertEquals(2, size.json().getInt("size"));
    assertEquals(
        2,
        http.post("size", json("topic_name", name, "consumer_id", "" + consumer))
            .json()
            .getInt("size"));
  }

  @Test
  void consumeTakesItsParametersFromTheQueryOrAJsonBodyWithGetOrPost() {
    String name = topic("params");
    long producer = registerProducer(name);
    long consumer = registerConsumer(name);
    for (int i = 0; i < 5; i++) {
      produce(name, producer, "m" + i);
    }
    Reply query = http.get("consumer/consume?topic=" + name + "&consumer_id=" + consumer);
    assertEquals("m0", query.json().getString("log_message"));
    Reply alias = http.get("consumer/consume?topic_name=" + name + "&consumer_id=" + consumer);
    assertEquals("m1", alias.json().getString("message"));
    Reply getBody =
        http.send(
            "GET",
            "consumer/consume",
            json("topic", name, "consumer_id", consumer).toString(),
            "application/json");
    assertEquals("m2", getBody.json().getString("message"));
    Reply postBody =
        http.post("consumer/consume", json("topic_name", name, "consumer_id", "" + consumer));
    assertEquals("m3", postBody.json().getString("message"));
    Reply noContentType =
        http.send(
            "GET",
            "consumer/consume",
            json("topic", name, "consumer_id", consumer).toString(),
            null);
    assertEquals("m4", noContentType.json().getString("message"));
  }

  @Test
  void idsAreIntegersFromOneAndNumericStringsAreIds() {
    String name = topic("ids");
    long producer = registerProducer(name);
    assertTrue(producer >= 1);
    assertSuccess(
        http.post(
            "producer/produce", json("topic", name, "producer_id", "" + producer, "message", "s")));
    for (String bad :
        List.of("0", "-3", "\"-3\"", "1.5", "\"x\"", "true", "99999999999999999999999")) {
      assertFailure(
          http.post(
              "producer/produce",
              "{\"topic\":\"" + name + "\",\"producer_id\":" + bad + ",\"message\":\"m\"}"),
          400,
          "bad_request");
    }
  }

  @Test
  void badInputIsA400WithAJsonFailureNeverA500() {
    String name = topic("bad");
    long producer = registerProducer(name);
    for (String body :
        List.of(
            "",
            "{",
            "not json",
            "[]",
            "\"topic\"",
            "{\"topic\":\"" + name + "\"}",
            "{\"topic\":\"" + name + "\",\"producer_id\":" + producer + "}",
            "{\"producer_id\":" + producer + ",\"message\":\"m\"}",
            "{\"topic\":5,\"producer_id\":" + producer + ",\"message\":\"m\"}",
            "{\"topic\":\"" + name + "\",\"producer_id\":" + producer + ",\"message\":5}",
            "{\"topic\":\"" + name + "\",\"producer_id\":" + producer + ",\"message\":null}",
            "{\"topic\":\"a b\",\"producer_id\":" + producer + ",\"message\":\"m\"}",
            "{\"topic\":\"../x\",\"producer_id\":" + producer + ",\"message\":\"m\"}",
            "{\"topic\":\""
                + "t".repeat(250)
                + "\",\"producer_id\":"
                + producer
                + ",\"message\":\"m\"}")) {
      assertFailure(http.post("producer/produce", body), 400, "bad_request");
    }
    assertFailure(http.post("topics", json("name", "no spaces")), 400, "bad_request");
    assertFailure(http.post("topics", "{\"name\":\"\"}"), 400, "bad_request");
    assertFailure(http.post("consumer/register", json("topic", "semi;colon")), 400, "bad_request");
    assertFailure(http.get("size?topic=bad%20name&consumer_id=1"), 400, "bad_request");
    assertFailure(http.get("consumer/consume?topic=" + name), 400, "bad_request");
    byte[] invalidUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertFailure(
        http.send("POST", "topics", invalidUtf8, "application/json", Duration.ofSeconds(10)),
        400,
        "bad_request");
  }

  @Test
  void theMessageLimitIsOneMebibyteOfUtf8ExactlyTheLimitIsAccepted() {
    String name = topic("large");
    long producer = registerProducer(name);
    long consumer = registerConsumer(name);
    String exactly = "x".repeat(MIB - 2) + "é";
    assertEquals(MIB, exactly.getBytes(StandardCharsets.UTF_8).length);
    produce(name, producer, exactly);
    assertEquals(exactly, consume(name, consumer));
    assertFailure(
        http.post(
            "producer/produce",
            json("topic", name, "producer_id", producer, "message", exactly + "x")),
        413,
        "message_too_large");
    assertFailure(
        http.post(
            "producer/produce",
            json("topic", name, "producer_id", producer, "message", "é".repeat(MIB / 2 + 1))),
        413,
        "message_too_large");
    // size before topic: an oversized message to a topic that does not exist is still a 413
    assertFailure(
        http.post(
            "producer/produce",
            json("topic", topic("none"), "producer_id", 1, "message", exactly + "x")),
        413,
        "message_too_large");
  }

  @Test
  void aBodyTooLargeToReadIsA413() {
    byte[] huge = new byte[9 * MIB];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertFailure(
        http.send("POST", "producer/produce", huge, "application/json", Duration.ofSeconds(30)),
        413,
        "message_too_large");
  }

  @Test
  void everyUnicodeTextRoundTrips() {
    String name = topic("unicode");
    long producer = registerProducer(name);
    long consumer = registerConsumer(name);
    List<String> texts =
        List.of("", "tab\tnewline\n", "nul\u0000inside", "é€😀", "\"quoted\" \\ back");
    for (String text : texts) {
      produce(name, producer, text);
    }
    for (String text : texts) {
      assertEquals(text, consume(name, consumer));
    }
  }

  @Test
  void unknownPathsAndWrongMethodsAnswerJson() {
    assertFailure(http.get("nope"), 404, "not_found");
    assertFailure(http.get("producer/nope"), 404, "not_found");
    Reply wrongMethod = http.send("DELETE", "topics", null, null);
    assertFailure(wrongMethod, 405, "method_not_allowed");
    String allow = wrongMethod.headers().firstValue("Allow").orElse("");
    assertTrue(allow.contains("GET") && allow.contains("POST"), allow);
    assertFailure(http.get("producer/produce"), 405, "method_not_allowed");
    assertFailure(
        http.send("PUT", "consumer/consume", "{}", "application/json"), 405, "method_not_allowed");
  }

  @Test
  void healthIsUpAndReady() throws Exception {
    URI root = Deployments.base(base).resolve("/");
    Http server = new Http(root);
    Reply ready = server.get("health/ready");
    assertEquals(200, ready.status(), ready::toString);
    assertTrue(ready.text().contains("\"logqueue\""), ready::toString);
    Reply live = server.get("health/live");
    assertEquals(200, live.status(), live::toString);
    assertEquals(
        "UP",
        Json.createReader(new java.io.StringReader(live.text())).readObject().getString("status"));
  }
}
