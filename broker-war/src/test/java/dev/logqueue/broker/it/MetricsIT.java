package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Eventually;
import dev.logqueue.testkit.Http;
import dev.logqueue.testkit.Http.Reply;
import dev.logqueue.testkit.Wire;
import jakarta.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
    long producer = wire.registerProducer("metered");
    wire.produce("metered", producer, "m");
    wire.registerConsumer("metered");
    Http server = new Http(broker.uri());
    Map<String, String> types = new TreeMap<>();
    Map<String, String> help = new TreeMap<>();
    Eventually.eventually(
        "the topic's and the consumer's series",
        Duration.ofSeconds(10),
        () -> server.get("metrics").text().contains("logqueue_consumer_lag_messages{"));
    Reply metrics = server.get("metrics");
    assertEquals(200, metrics.status(), metrics::toString);
    for (String line : metrics.text().lines().toList()) {
      String[] parts = line.split(" ", 4);
      if (parts.length == 4 && parts[2].startsWith("logqueue_")) {
        (parts[1].equals("TYPE") ? types : help).put(parts[2], parts[3]);
      }
    }
    Map<String, String> expected = new TreeMap<>();
    for (String gauge :
        List.of(
            "topics",
            "window_messages",
            "history_cache_bytes",
            "retention_deleted",
            "retention_pending",
            "consumes_waiting",
            "database_up",
            "topic_end_offset",
            "topic_retained_messages",
            "topic_retained_bytes",
            "topic_oldest_age_seconds",
            "consumer_lag_messages",
            "consumer_lag_seconds",
            "consumer_leased",
            "commit_duration_max",
            "commit_duration_mean",
            "commit_messages_max",
            "commit_messages_mean",
            "requests_max",
            "requests_mean")) {
      expected.put("logqueue_" + gauge, "gauge");
    }
    for (String counter :
        List.of(
            "commits",
            "committed_requests",
            "history_cache_hits",
            "history_cache_misses",
            "topic_appended_messages",
            "topic_appended_bytes",
            "topic_retention_removed",
            "consumer_acked",
            "consumer_redelivered",
            "consumer_dead_lettered")) {
      expected.put("logqueue_" + counter + "_total", "counter");
    }
    expected.put("logqueue_commit_duration", "histogram");
    expected.put("logqueue_requests", "histogram");
    expected.put("logqueue_commit_messages", "summary");
    assertEquals(expected, types);
    // the timers' and histograms' _mean is Payara's, derived, and comes without a help line of its
    // own
    Set<String> described = new TreeSet<>(types.keySet());
    described.removeIf(name -> name.endsWith("_mean"));
    assertTrue(help.keySet().containsAll(described), "a # HELP line for each: " + help.keySet());
    help.forEach((metric, text) -> assertTrue(text.length() > 10, metric + ": " + text));
    Map<String, Double> values = wire.metrics();
    assertTrue(values.get("logqueue_commits_total") >= 1, "the produce was a commit");
    assertTrue(values.get("logqueue_commit_duration_count") >= 1, "and its duration was timed");
    assertTrue(values.get("logqueue_commit_duration{quantile=0.99}") > 0, values.toString());
    assertTrue(
        metrics
            .text()
            .contains("logqueue_commit_duration_bucket{mp_scope=\"application\",le=\"0.01\"}"),
        "buckets, for PromQL's histogram_quantile");

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

  /** The labelled series of one metric, as label text (without mp_scope) to value. */
  static Map<String, Double> series(String metrics, String name) {
    Map<String, Double> found = new TreeMap<>();
    for (String line : metrics.lines().toList()) {
      if (line.startsWith(name + "{")) {
        String labels = line.substring(name.length(), line.lastIndexOf(' '));
        labels =
            labels
                .replace("mp_scope=\"application\",", "")
                .replace(",mp_scope=\"application\"", "");
        found.put(labels, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return found;
  }

  @Test
  void eachTopicAndConsumerHasItsSeriesUntilItIsDeletedAndRequestsAreCountedByPath()
      throws Exception {
    Http http = new Http(broker.uri());
    long producer = wire.registerProducer("orders");
    for (int i = 0; i < 3; i++) {
      wire.produce("orders", producer, "order-" + i);
    }
    Reply registered =
        http.post(
            "consumer/register",
            Http.json(
                "topic",
                "orders",
                "name",
                "billing",
                "ack",
                "explicit",
                "max_deliveries",
                1,
                "dead_letter_topic",
                "orders.dlq"));
    long billing = registered.json().getJsonNumber("consumer_id").longValue();
    long auditor = wire.registerConsumer("orders");
    assertEquals(
        200,
        http.post(
                "consumer/consume", Http.json("topic", "orders", "consumer_id", billing, "max", 2))
            .status());
    assertEquals(
        200,
        http.post(
                "consumer/ack",
                Http.json(
                    "topic",
                    "orders",
                    "consumer_id",
                    billing,
                    "offsets",
                    Json.createArrayBuilder().add(0).build(),
                    "reject",
                    Json.createArrayBuilder().add(1).build()))
            .status());
    assertEquals(404, http.get("topics/nope").status());

    String billingLabels =
        "{consumer=\"" + billing + "\",consumer_name=\"billing\",topic=\"orders\"}";
    String auditorLabels = "{consumer=\"" + auditor + "\",consumer_name=\"\",topic=\"orders\"}";
    Eventually.eventually(
        "the counts of the ack",
        Duration.ofSeconds(10),
        () ->
            series(http.get("metrics").text(), "logqueue_consumer_dead_lettered_total")
                    .getOrDefault(billingLabels, 0.0)
                == 1.0);
    String text = http.get("metrics").text();
    assertEquals(
        Map.of("{topic=\"orders\"}", 3.0, "{topic=\"orders.dlq\"}", 1.0),
        series(text, "logqueue_topic_appended_messages_total"));
    assertEquals(
        Map.of("{topic=\"orders\"}", 3.0, "{topic=\"orders.dlq\"}", 1.0),
        series(text, "logqueue_topic_end_offset"));
    assertEquals(
        Map.of(billingLabels, 1.0, auditorLabels, 3.0),
        series(text, "logqueue_consumer_lag_messages"),
        "billing settled 0 (acked) and 1 (rejected): 2 is left");
    assertEquals(1.0, series(text, "logqueue_consumer_acked_total").get(billingLabels));
    assertTrue(series(text, "logqueue_consumer_lag_seconds").get(auditorLabels) > 0);
    assertEquals(
        1.0,
        series(text, "logqueue_requests_count")
            .get("{method=\"POST\",path=\"/consumer/ack\",status=\"200\"}"));
    assertEquals(
        1.0,
        series(text, "logqueue_requests_count")
            .get("{method=\"GET\",path=\"/topics/{name}\",status=\"404\"}"),
        "labelled by the declared path, never by a topic");
    assertEquals(1.0, wire.metrics().get("logqueue_database_up"));

    assertEquals(
        200,
        http.send("DELETE", "topics/orders/consumers/" + auditor, "", "application/json").status());
    assertEquals(200, http.send("DELETE", "topics/orders.dlq", "", "application/json").status());
    Eventually.eventually(
        "the deleted consumer's and topic's series gone",
        Duration.ofSeconds(10),
        () -> {
          String now = http.get("metrics").text();
          return !now.contains("consumer=\"" + auditor + "\"") && !now.contains("orders.dlq");
        });
    text = http.get("metrics").text();
    assertEquals(Map.of(billingLabels, 1.0), series(text, "logqueue_consumer_lag_messages"));
    assertEquals(
        Map.of("{topic=\"orders\"}", 3.0), series(text, "logqueue_topic_retained_messages"));
  }

  @Test
  void eachPartitionOfATopicHasItsSeries() throws Exception {
    Http http = new Http(broker.uri());
    assertEquals(200, http.post("topics", Http.json("name", "parts", "partitions", 2)).status());
    long producer = wire.registerProducer("parts");
    long consumer = wire.registerConsumer("parts");
    for (int partition = 0; partition < 2; partition++) {
      for (int i = 0; i <= partition; i++) {
        assertEquals(
            200,
            http.post(
                    "producer/produce",
                    Http.json(
                        "topic",
                        "parts",
                        "producer_id",
                        producer,
                        "message",
                        "m",
                        "partition",
                        partition))
                .status());
      }
    }
    Eventually.eventually(
        "partition 1's series",
        Duration.ofSeconds(10),
        () ->
            series(http.get("metrics").text(), "logqueue_topic_end_offset")
                .containsKey("{topic=\"parts#1\"}"));
    String text = http.get("metrics").text();
    assertEquals(1.0, series(text, "logqueue_topic_end_offset").get("{topic=\"parts\"}"));
    assertEquals(2.0, series(text, "logqueue_topic_end_offset").get("{topic=\"parts#1\"}"));
    assertEquals(
        2.0,
        series(text, "logqueue_consumer_lag_messages")
            .get("{consumer=\"" + consumer + "\",consumer_name=\"\",topic=\"parts#1\"}"),
        "a consumer's lag on each partition, under its own id");
    assertEquals(200, http.send("DELETE", "topics/parts", "", "application/json").status());
    Eventually.eventually(
        "the deleted topic's series gone, its partitions' too",
        Duration.ofSeconds(10),
        () -> !http.get("metrics").text().contains("parts"));
  }
}
