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
 * Payara Micro: produce offsets and message ids.
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
    wire = new Wire(base.toURI());
    http = wire.http();
  }

  JsonObject produce(String topic, long producer, Object... fields) {
    Object[] all = new Object[fields.length + 4];
    all[0] = "topic";
    all[1] = topic;
    all[2] = "producer_id";
    all[3] = producer;
    System.arraycopy(fields, 0, all, 4, fields.length);
    Reply reply = http.post("producer/produce", json(all));
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
      Object[] all = new Object[fields.length + 4];
      all[0] = "topic";
      all[1] = topic;
      all[2] = "producer_id";
      all[3] = producer;
      System.arraycopy(fields, 0, all, 4, fields.length);
      assertFailure(http.post("producer/produce", json(all)), 400, "bad_request");
    }
    long consumer = wire.registerConsumer(topic);
    assertEquals(0, wire.size(topic, consumer), "nothing was stored");
  }
}
