package dev.logqueue.testkit;

import dev.logqueue.testkit.Http.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The v1 wire contract's happy paths over plain HTTP: each call returns its result or throws an
 * {@link AssertionError} that shows the broker's answer.
 */
public final class Wire {

  private static final Pattern METRIC =
      Pattern.compile("^([a-z_]+)(\\{[^}]*})? ([-+0-9.eE]+|NaN)$", Pattern.MULTILINE);

  private static final Pattern QUANTILE = Pattern.compile("quantile=\"([0-9.]+)\"");

  private final Http http;
  private final Http server;

  /**
   * @param base the application's root (its context root)
   */
  public Wire(URI base) {
    this.http = new Http(base);
    this.server = new Http(base.resolve("/"));
  }

  public Http http() {
    return http;
  }

  private static JsonObject success(Reply reply) {
    JsonObject body = reply.status() == 200 ? reply.json() : null;
    if (body == null || !"success".equals(body.getString("status", null))) {
      throw new AssertionError("Expected success, got " + reply);
    }
    return body;
  }

  /** A batch produce's body: {@code {"topic":T,"producer_id":P,"messages":[...]}}. */
  public static String batchBody(String topic, long producer, List<String> messages) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    messages.forEach(array::add);
    return Json.createObjectBuilder()
        .add("topic", topic)
        .add("producer_id", producer)
        .add("messages", array)
        .build()
        .toString();
  }

  public void createTopic(String topic) {
    success(http.post("topics", Http.json("name", topic)));
  }

  public List<String> topics() {
    return success(http.get("topics")).getJsonArray("topics").getValuesAs(JsonString::getString);
  }

  public long registerProducer(String topic) {
    return success(http.post("producer/register", Http.json("topic", topic)))
        .getJsonNumber("producer_id")
        .longValueExact();
  }

  public long registerConsumer(String topic) {
    return success(http.post("consumer/register", Http.json("topic", topic)))
        .getJsonNumber("consumer_id")
        .longValueExact();
  }

  public void produce(String topic, long producer, String message) {
    success(
        http.post(
            "producer/produce",
            Http.json("topic", topic, "producer_id", producer, "message", message)));
  }

  /** The consumer's next message, or empty when it has read everything (queue_empty). */
  public Optional<String> consume(String topic, long consumer) {
    Reply reply = http.post("consumer/consume", Http.json("topic", topic, "consumer_id", consumer));
    if (reply.status() == 404 && "queue_empty".equals(reply.error())) {
      return Optional.empty();
    }
    JsonObject body = success(reply);
    if (!body.getString("message").equals(body.getString("log_message"))) {
      throw new AssertionError("message and log_message differ: " + reply);
    }
    return Optional.of(body.getString("message"));
  }

  /**
   * Up to {@code max} of the consumer's next messages (a batch consume); empty when none is left.
   */
  public List<String> consume(String topic, long consumer, int max) {
    return success(
            http.post(
                "consumer/consume", Http.json("topic", topic, "consumer_id", consumer, "max", max)))
        .getJsonArray("messages")
        .getValuesAs(JsonString::getString);
  }

  public long size(String topic, long consumer) {
    return success(http.get("size?topic=" + topic + "&consumer_id=" + consumer))
        .getJsonNumber("size")
        .longValueExact();
  }

  /**
   * The broker's application metrics (name to value), from /metrics; a summary's quantiles as
   * {@code name{quantile=0.99}}.
   */
  public Map<String, Double> metrics() {
    Reply reply = server.get("metrics");
    if (reply.status() != 200) {
      throw new AssertionError("GET /metrics: " + reply);
    }
    Map<String, Double> metrics = new HashMap<>();
    Matcher matcher = METRIC.matcher(reply.text());
    while (matcher.find()) {
      Matcher quantile = matcher.group(2) == null ? null : QUANTILE.matcher(matcher.group(2));
      String name =
          quantile != null && quantile.find()
              ? matcher.group(1) + "{quantile=" + quantile.group(1) + "}"
              : matcher.group(1);
      metrics.put(name, Double.parseDouble(matcher.group(3)));
    }
    return metrics;
  }
}
