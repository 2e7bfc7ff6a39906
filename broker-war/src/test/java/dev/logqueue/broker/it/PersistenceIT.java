package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker as its own process, restarted on the same data: after a clean stop and after a kill
 * -9, topics, producers, consumers, offsets and every acknowledged message are as they were, and no
 * id is issued twice.
 */
class PersistenceIT {

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void everythingIsAsItWasAfterARestartAndAfterAKill() {
    broker = Broker.on(Database.forSuite()).start();
    Wire wire = new Wire(broker.uri());
    wire.createTopic("empty");
    long producer = wire.registerProducer("logs");
    long other = wire.registerProducer("metrics");
    long reader = wire.registerConsumer("logs");
    long idle = wire.registerConsumer("logs");
    for (int i = 0; i < 50; i++) {
      wire.produce("logs", producer, "log-" + i);
    }
    wire.produce("metrics", other, "metric-0");
    for (int i = 0; i < 20; i++) {
      assertEquals(Optional.of("log-" + i), wire.consume("logs", reader));
    }

    broker.stop();
    broker.start();
    wire = new Wire(broker.uri());
    assertEquals(List.of("empty", "logs", "metrics"), wire.topics());
    assertEquals(30, wire.size("logs", reader));
    assertEquals(50, wire.size("logs", idle));
    assertEquals(Optional.of("log-20"), wire.consume("logs", reader), "the offset was kept");
    assertEquals(Optional.of("log-0"), wire.consume("logs", idle));
    long newer = wire.registerProducer("logs");
    assertTrue(newer > other, "producer ids go on: " + newer);
    List<String> acknowledged = new ArrayList<>();
    for (int i = 50; i < 150; i++) {
      wire.produce("logs", newer, "log-" + i);
      acknowledged.add("log-" + i);
    }

    broker.kill(); // right after the last acknowledgement: nothing may be lost
    broker.start();
    wire = new Wire(broker.uri());
    assertEquals(129, wire.size("logs", reader));
    for (int i = 21; i < 50; i++) {
      assertEquals(Optional.of("log-" + i), wire.consume("logs", reader));
    }
    for (String message : acknowledged) {
      assertEquals(Optional.of(message), wire.consume("logs", reader));
    }
    assertEquals(Optional.empty(), wire.consume("logs", reader));
    assertTrue(wire.registerConsumer("metrics") > idle, "consumer ids go on");
    assertTrue(wire.registerProducer("new") > newer);
    assertEquals(List.of("empty", "logs", "metrics", "new"), wire.topics());
  }

  @Test
  void messageIdsAreRememberedAcrossAKillWithinTheWindow() {
    broker = Broker.on(Database.forSuite()).setting("LOGQUEUE_DEDUP_MAX_IDS", 30).start();
    Wire wire = new Wire(broker.uri());
    long producer = wire.registerProducer("ids");
    long consumer = wire.registerConsumer("ids");
    for (int i = 0; i < 20; i++) {
      assertEquals(i, produceWithId(wire, producer, "m-" + i).getInt("offset"));
    }

    broker.kill(); // a producer that saw no answer retries after the restart
    broker.start();
    wire = new Wire(broker.uri());
    for (int i = 0; i < 20; i++) {
      JsonObject retry = produceWithId(wire, producer, "m-" + i);
      assertEquals(i, retry.getInt("offset"), retry::toString);
      assertTrue(retry.getBoolean("duplicate"), retry::toString);
    }
    assertEquals(20, produceWithId(wire, producer, "m-20").getInt("offset"));
    assertEquals(21, wire.size("ids", consumer), "each message stored once");

    for (int i = 21; i < 51; i++) {
      produceWithId(wire, producer, "m-" + i);
    }
    JsonObject outside = produceWithId(wire, producer, "m-0");
    assertEquals(51, outside.getInt("offset"), "30 newer ids pushed m-0 out of the window");
    assertFalse(outside.containsKey("duplicate"), outside::toString);
  }

  private static JsonObject produceWithId(Wire wire, long producer, String message) {
    Reply reply =
        wire.http()
            .post(
                "producer/produce",
                Http.json(
                    "topic",
                    "ids",
                    "producer_id",
                    producer,
                    "message",
                    message,
                    "message_id",
                    message));
    assertEquals(200, reply.status(), reply::toString);
    return reply.json();
  }
}
