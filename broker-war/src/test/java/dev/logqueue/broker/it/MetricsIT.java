package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics as an operator's Prometheus reads it, on the broker as users run it (at the context
 * root, where /metrics is the broker's own path).
 */
class MetricsIT {

  Broker broker;
  Wire wire;

  @BeforeEach
  void start() {
    broker = Broker.on(Database.forSuite()).start();
    wire = new Wire(broker.uri());
  }

  @AfterEach
  void stop() {
    broker.stop();
  }

  @Test
  void everyLogQueueMetricHasHelpTextAndCommitsAreCounters() throws Exception {
    wire.produce("metered", wire.registerProducer("metered"), "m");
    Http server = new Http(broker.uri());
    Reply metrics = server.get("metrics");
    assertEquals(200, metrics.status(), metrics::toString);
    Map<String, String> types = new TreeMap<>();
    Map<String, String> help = new TreeMap<>();
    for (String line : metrics.text().lines().toList()) {
      String[] parts = line.split(" ", 4);
      if (parts.length == 4 && parts[2].startsWith("logqueue_")) {
        (parts[1].equals("TYPE") ? types : help).put(parts[2], parts[3]);
      }
    }
    assertEquals(
        Map.of(
            "logqueue_commits_total", "counter",
            "logqueue_committed_requests_total", "counter",
            "logqueue_commit_duration", "summary",
            "logqueue_commit_duration_max", "gauge",
            "logqueue_commit_duration_mean", "gauge",
            "logqueue_history_cache_bytes", "gauge",
            "logqueue_retention_deleted", "gauge",
            "logqueue_retention_pending", "gauge",
            "logqueue_topics", "gauge",
            "logqueue_window_messages", "gauge"),
        types);
    // the timer's _mean is Payara's, derived, and comes without a help line of its own
    Set<String> described = new TreeSet<>(types.keySet());
    described.remove("logqueue_commit_duration_mean");
    assertTrue(help.keySet().containsAll(described), "a # HELP line for each: " + help.keySet());
    help.forEach((metric, text) -> assertTrue(text.length() > 10, metric + ": " + text));
    Map<String, Double> values = wire.metrics();
    assertTrue(values.get("logqueue_commits_total") >= 1, "the produce was a commit");
    assertTrue(values.get("logqueue_commit_duration_count") >= 1, "and its duration was timed");
    assertTrue(values.get("logqueue_commit_duration{quantile=0.99}") > 0, values.toString());

    HttpResponse<String> json =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(broker.uri().resolve("/metrics"))
                    .header("Accept", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(406, json.statusCode(), json::body);
    assertEquals(
        "not_acceptable",
        Json.createReader(new java.io.StringReader(json.body())).readObject().getString("error"));
  }
}
