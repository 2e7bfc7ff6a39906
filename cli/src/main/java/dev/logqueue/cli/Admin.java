package dev.logqueue.cli;

import dev.logqueue.sdk.LogQueueClient;
import dev.logqueue.sdk.Retention;
import dev.logqueue.sdk.TopicInfo;
import dev.logqueue.sdk.TopicInfo.ConsumerInfo;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The operator's commands on topics and consumers: look (topics, topic, consumers) and change
 * (create, retention, delete, delete-consumer). Tables for people, {@code --json} for scripts: the
 * broker's own field names.
 */
final class Admin {

  private final LogQueueClient broker;
  private final PrintStream out;
  private final Instant now = Instant.now();

  Admin(LogQueueClient broker, PrintStream out) {
    this.broker = broker;
    this.out = out;
  }

  /** Every topic: sizes, age, retention, producers, consumers and the largest lag. */
  void topics(boolean json) {
    List<TopicInfo> topics = broker.listTopicDetails();
    if (json) {
      JsonArrayBuilder array = Json.createArrayBuilder();
      topics.forEach(topic -> array.add(json(topic)));
      out.println(array.build());
      return;
    }
    Table table =
        new Table(
            "TOPIC",
            "MESSAGES>",
            "BYTES>",
            "OLDEST>",
            "RETENTION",
            "PRODUCERS>",
            "CONSUMERS>",
            "MAX LAG>");
    for (TopicInfo topic : topics) {
      table.row(
          topic.name(),
          Units.count(topic.messages()),
          Units.size(topic.bytes()),
          topic.oldest() == null ? "-" : Units.age(topic.oldest(), now),
          Units.retention(topic.retentionMillis(), topic.retentionBytes()),
          topic.producers(),
          topic.consumers().size(),
          Units.count(topic.consumers().stream().mapToLong(ConsumerInfo::lag).max().orElse(0)));
    }
    if (table.isEmpty()) {
      out.println("no topics");
    } else {
      table.print(out);
    }
  }

  /** One topic's range, size, age, retention, producers, and its consumers by lag. */
  void topic(String name, boolean json) {
    TopicInfo topic = broker.topic(name);
    if (json) {
      out.println(json(topic));
      return;
    }
    Table facts = new Table("TOPIC", topic.name());
    facts.row(
        "offsets",
        topic.messages() == 0
            ? "none retained, the next is " + Units.count(topic.endOffset())
            : Units.count(topic.startOffset())
                + " to "
                + Units.count(topic.endOffset() - 1)
                + " ("
                + Units.count(topic.messages())
                + (topic.messages() == 1 ? " message, " : " messages, ")
                + Units.size(topic.bytes())
                + ")");
    facts.row(
        "oldest",
        topic.oldest() == null
            ? "-"
            : Units.time(topic.oldest()) + " (" + Units.age(topic.oldest(), now) + " ago)");
    facts.row("retention", Units.retention(topic.retentionMillis(), topic.retentionBytes()));
    facts.row("producers", topic.producers());
    facts.row("consumers", topic.consumers().size());
    facts.print(out);
    if (!topic.consumers().isEmpty()) {
      out.println();
      consumerTable(topic.consumers()).print(out);
    }
  }

  /** A topic's consumers, the furthest behind first. */
  void consumers(String name, boolean json) {
    TopicInfo topic = broker.topic(name);
    List<ConsumerInfo> consumers = byLag(topic.consumers());
    if (json) {
      JsonArrayBuilder array = Json.createArrayBuilder();
      consumers.forEach(consumer -> array.add(json(consumer)));
      out.println(array.build());
    } else if (consumers.isEmpty()) {
      out.println("no consumers of " + name);
    } else {
      consumerTable(consumers).print(out);
    }
  }

  void create(String name, Retention retention) {
    broker.createTopic(name, retention);
    TopicInfo topic = broker.topic(name);
    out.println(
        "created "
            + name
            + ", keeps "
            + Units.retention(topic.retentionMillis(), topic.retentionBytes()));
  }

  void delete(String name) {
    broker.deleteTopic(name);
    out.println("deleted " + name);
  }

  void deleteConsumer(String topic, long id) {
    broker.deleteConsumer(topic, id);
    out.println("deleted consumer " + id + " of " + topic);
  }

  /**
   * The retention options of create: {@code --retention 7d} (0: forever), {@code --retention-bytes
   * 10GB}; absent or "default": the broker's default.
   */
  static Retention retention(CommandLine line) throws UsageException {
    return new Retention(
        value(line.option("--retention"), true), value(line.option("--retention-bytes"), false));
  }

  /** Changes what the options name, keeps the other as it is ("default": the broker's). */
  void changeRetention(String name, CommandLine line) throws UsageException {
    Optional<String> age = line.option("--retention");
    Optional<String> bytes = line.option("--retention-bytes");
    TopicInfo topic;
    if (age.isPresent() && bytes.isPresent()) {
      topic = broker.setRetention(name, new Retention(value(age, true), value(bytes, false)));
    } else if (age.isPresent()) {
      topic = broker.setRetentionAge(name, value(age, true));
    } else if (bytes.isPresent()) {
      topic = broker.setRetentionBytes(name, value(bytes, false));
    } else {
      throw new UsageException("retention takes --retention, --retention-bytes or both");
    }
    out.println(
        name + " keeps " + Units.retention(topic.retentionMillis(), topic.retentionBytes()));
  }

  /** An option's duration or size; null when absent or "default". */
  private static Long value(Optional<String> option, boolean duration) throws UsageException {
    if (option.isEmpty() || option.get().equals("default")) {
      return null;
    }
    return duration ? Units.millis(option.get()) : Units.bytes(option.get());
  }

  private static List<ConsumerInfo> byLag(List<ConsumerInfo> consumers) {
    return consumers.stream()
        .sorted(
            Comparator.comparingLong(ConsumerInfo::lag)
                .thenComparingLong(ConsumerInfo::lagMillis)
                .reversed()
                .thenComparingLong(ConsumerInfo::id))
        .toList();
  }

  private static Table consumerTable(List<ConsumerInfo> consumers) {
    Table table =
        new Table(
            "ID>",
            "NAME",
            "ACK",
            "OFFSET>",
            "LAG>",
            "BEHIND>",
            "LEASED>",
            "ACKED>",
            "REDELIVERED>",
            "DEAD LETTERS>");
    for (ConsumerInfo c : byLag(consumers)) {
      table.row(
          c.id(),
          c.name() == null ? "-" : c.name(),
          c.explicit() ? "explicit" : "auto",
          Units.count(c.offset()),
          Units.count(c.lag()),
          c.lagMillis() == 0 ? "-" : Units.duration(c.lagMillis()),
          Units.count(c.leased()),
          Units.count(c.acked()),
          Units.count(c.redelivered()),
          Units.count(c.deadLettered()));
    }
    return table;
  }

  static JsonObject json(TopicInfo topic) {
    JsonObjectBuilder object =
        Json.createObjectBuilder()
            .add("name", topic.name())
            .add("start_offset", topic.startOffset())
            .add("end_offset", topic.endOffset())
            .add("messages", topic.messages())
            .add("bytes", topic.bytes());
    if (topic.oldest() == null) {
      object.addNull("oldest_timestamp");
    } else {
      object.add("oldest_timestamp", topic.oldest().toEpochMilli());
    }
    JsonArrayBuilder consumers = Json.createArrayBuilder();
    topic.consumers().forEach(consumer -> consumers.add(json(consumer)));
    return object
        .add("retention_ms", topic.retentionMillis())
        .add("retention_bytes", topic.retentionBytes())
        .add("producers", topic.producers())
        .add("consumers", consumers)
        .build();
  }

  static JsonObject json(ConsumerInfo consumer) {
    JsonObjectBuilder object = Json.createObjectBuilder().add("consumer_id", consumer.id());
    if (consumer.name() == null) {
      object.addNull("name");
    } else {
      object.add("name", consumer.name());
    }
    return object
        .add("ack", consumer.explicit() ? "explicit" : "auto")
        .add("offset", consumer.offset())
        .add("lag", consumer.lag())
        .add("lag_ms", consumer.lagMillis())
        .add("leased", consumer.leased())
        .add("acked", consumer.acked())
        .add("redelivered", consumer.redelivered())
        .add("dead_lettered", consumer.deadLettered())
        .build();
  }
}
