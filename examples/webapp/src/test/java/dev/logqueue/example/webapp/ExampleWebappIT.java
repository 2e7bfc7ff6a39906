package dev.logqueue.example.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Ports;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example WAR deployed next to the broker, in the same Payara Micro: it injects the SDK's
 * Producer, Consumer and typed client, configured by MicroProfile Config from the environment.
 */
class ExampleWebappIT {

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void theInjectedSdkProducesAndConsumes() {
    int port = Ports.free();
    broker =
        Broker.on(Database.h2())
            .port(port)
            .deploy(Path.of(System.getProperty("example.war")))
            .setting("LOGQUEUE_MP_REST_URL", "http://127.0.0.1:" + port)
            .start();
    Http example = new Http(broker.uri().resolve("/logqueue-example/"));
    for (String event : List.of("signed up", "logged in", "logged out")) {
      Reply recorded = example.send("POST", "events", event, "text/plain");
      assertEquals(204, recorded.status(), recorded::toString);
    }

    // what the injected producer sent is in the broker, in order
    Wire wire = new Wire(broker.uri());
    long reader = wire.registerConsumer("example-events");
    assertEquals(Optional.of("signed up"), wire.consume("example-events", reader));
    assertEquals(2, wire.size("example-events", reader));

    // the injected consumer reads its own copy, from the start
    Reply read = example.get("events?max=10");
    assertEquals(200, read.status(), read::toString);
    JsonArray events = Json.createReader(new StringReader(read.text())).readArray();
    assertEquals(3, events.size(), read::toString);
    assertEquals("logged in", events.getJsonObject(1).getString("text"));
    assertEquals("example-events", events.getJsonObject(2).getString("topic"));
    assertEquals("[]", example.get("events").text(), "all read");

    Reply topics = example.get("events/topics");
    assertTrue(topics.text().contains("example-events"), topics::toString);
  }
}
