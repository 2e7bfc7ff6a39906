package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A client started together with the broker: polled from the moment its process starts, every path
 * either refuses the connection (which clients retry) or answers JSON, the broker's own answers or
 * its JSON 503 with Retry-After; never Payara's HTML pages, never a 500.
 */
class StartupIT {

  private static final Duration POLL_EVERY = Duration.ofMillis(50);
  private static final Duration AFTER_READY = Duration.ofSeconds(2);

  record Probe(String method, String path, String body) {}

  private static final List<Probe> PROBES =
      List.of(
          new Probe("GET", "/status", null),
          new Probe("GET", "/topics", null),
          new Probe("POST", "/producer/register", "{\"topic\":\"startup\"}"),
          new Probe("GET", "/size?topic=startup&consumer_id=1", null),
          new Probe("GET", "/health/ready", null),
          new Probe("GET", "/no-such-path", null));

  @Test
  void aStartingBrokerRefusesConnectionsOrAnswersJsonNeverHtmlOr500() {
    Broker broker = Broker.on(Database.forSuite()).launch();
    try {
      Http http = new Http(broker.uri());
      Map<String, Integer> seen = new TreeMap<>();
      List<String> wrong = new ArrayList<>();
      long readySince = 0;
      for (int i = 0; broker.isAlive(); i++) {
        Probe probe = PROBES.get(i % PROBES.size());
        String outcome;
        try {
          Http.Reply reply =
              http.send(
                  probe.method(),
                  probe.path(),
                  probe.body() == null ? null : probe.body().getBytes(),
                  probe.body() == null ? null : "application/json",
                  Duration.ofSeconds(5));
          outcome = reply.status() + " " + reply.headers().firstValue("Content-Type").orElse("");
          String problem = problem(probe, reply);
          if (problem != null) {
            wrong.add(probe.method() + " " + probe.path() + ": " + problem + ": " + reply);
          }
          if (probe.path().equals("/health/ready") && reply.status() == 200 && readySince == 0) {
            readySince = System.nanoTime();
          }
        } catch (UncheckedIOException e) {
          assertTrue(
              e.getCause() instanceof ConnectException, () -> "not a refusal: " + e.getCause());
          outcome = "connection refused";
        }
        seen.merge(outcome, 1, Integer::sum);
        if (readySince != 0 && System.nanoTime() - readySince > AFTER_READY.toNanos()) {
          break;
        }
        sleep(POLL_EVERY);
      }
      System.getLogger(StartupIT.class.getName())
          .log(System.Logger.Level.INFO, "Answers while the broker started: {0}", seen);
      assertTrue(readySince != 0, () -> "never ready: " + seen + "\n" + broker.logTail());
      assertTrue(seen.containsKey("connection refused"), "polled from before it listened");
      assertEquals(List.of(), wrong, () -> "answers seen: " + seen);
    } finally {
      broker.stop();
    }
  }

  /** What is wrong with an answer, or null. */
  private static String problem(Probe probe, Http.Reply reply) {
    String type = reply.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/json")) {
      return "not JSON";
    }
    if (reply.status() >= 500 && reply.status() != 503) {
      return "a " + reply.status();
    }
    JsonObject body;
    try {
      body = reply.json();
    } catch (RuntimeException e) {
      return "unreadable JSON";
    }
    if (probe.path().startsWith("/health")) {
      return body.containsKey("status") ? null : "no health status";
    }
    if (reply.status() == 503
        && (!"unavailable".equals(reply.error())
            || reply.headers().firstValue("Retry-After").isEmpty())) {
      return "a 503 that is not 'unavailable' with Retry-After";
    }
    return body.containsKey("status") ? null : "no status field";
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
