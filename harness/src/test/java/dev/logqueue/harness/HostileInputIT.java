package dev.logqueue.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input and exposure, on a broker process: thousands of generated bad requests, bodies over
 * the limit refused before they are read, and no socket open beyond the configured one.
 */
class HostileInputIT {

  static Broker broker;

  @BeforeAll
  static void start() {
    broker = Broker.on(Database.h2()).start();
  }

  @AfterAll
  static void stop() {
    broker.stop();
  }

  @Test
  void twoThousandHostileRequestsGetNo5xxAndOnlyJsonFailures() {
    HostileInput.Result result = new HostileInput(broker.uri(), 3).run(2_000);
    assertTrue(result.requests() >= 2_000, "requests: " + result.requests());
    assertEquals(List.of(), result.examples(), "problems");
    assertTrue(result.clean(), result.toString());
  }

  @Test
  void aBodyDeclaredTooLargeIsRefusedBeforeItIsSent() throws Exception {
    String status = new HostileInput(broker.uri(), 4).refusesADeclaredHugeBody();
    assertTrue(status.startsWith("HTTP/1.1 413"), status);
  }

  @Test
  void anEndlessChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
    String answer = new HostileInput(broker.uri(), 5).refusesAnEndlessChunkedBody();
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    long sent = Long.parseLong(answer.replaceAll(".* after (\\d+) bytes.*", "$1"));
    assertTrue(sent < 64L * 1024 * 1024, "refused early: " + answer);
  }

  @Test
  void theBrokerListensOnTheConfiguredAddressAndNowhereElse() {
    List<Listeners.Listener> listening = Listeners.of(broker.pid());
    assertEquals(List.of(new Listeners.Listener("127.0.0.1", broker.port())), listening);
  }
}
