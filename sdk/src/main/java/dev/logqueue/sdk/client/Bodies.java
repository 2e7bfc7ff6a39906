package dev.logqueue.sdk.client;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/** The JSON bodies of the v1 contract, as records (JSON-B maps them). */
public final class Bodies {

  private Bodies() {}

  /** {@code {"status":"success"}}, with a message on some answers. */
  public record Success(String status, String message) {}

  /** POST /topics: a retention field left null is the broker's default. */
  public record NewTopic(
      String name,
      @JsonbProperty("retention_ms") Long retentionMs,
      @JsonbProperty("retention_bytes") Long retentionBytes,
      Integer partitions) {

    public NewTopic(String name) {
      this(name, null, null, null);
    }

    public NewTopic(String name, Long retentionMs, Long retentionBytes) {
      this(name, retentionMs, retentionBytes, null);
    }
  }

  /** PUT /topics/{name}: both fields are sent; null returns one to the broker's default. */
  /** PUT /topics/{name} changing the age only: the bytes stay as they are. */
  public record AgeChange(@JsonbNillable @JsonbProperty("retention_ms") Long retentionMs) {}

  /** PUT /topics/{name} changing the bytes only: the age stays as it is. */
  public record BytesChange(@JsonbNillable @JsonbProperty("retention_bytes") Long retentionBytes) {}

  public record RetentionChange(
      @JsonbNillable @JsonbProperty("retention_ms") Long retentionMs,
      @JsonbNillable @JsonbProperty("retention_bytes") Long retentionBytes) {}

  /** GET /topics/{name}, and PUT's answer. */
  public record TopicAnswer(String status, TopicDetails topic) {}

  public record TopicDetails(
      String name,
      @JsonbProperty("start_offset") long startOffset,
      @JsonbProperty("end_offset") long endOffset,
      long messages,
      long bytes,
      @JsonbProperty("oldest_timestamp") Long oldestTimestamp,
      @JsonbProperty("retention_ms") long retentionMs,
      @JsonbProperty("retention_bytes") long retentionBytes,
      int producers,
      List<ConsumerDetails> consumers,
      Integer partitions) {

    /** How many partitions the topic has. */
    public int partitionCount() {
      return partitions == null ? 1 : partitions;
    }
  }

  public record ConsumerDetails(
      @JsonbProperty("consumer_id") long consumerId,
      String name,
      String ack,
      long offset,
      long lag,
      @JsonbProperty("lag_ms") long lagMs,
      int leased,
      long acked,
      long redelivered,
      @JsonbProperty("dead_lettered") long deadLettered) {}

  /** GET /topics; with details=true also each topic's details, in the order of the names. */
  public record Topics(String status, List<String> topics, List<TopicDetails> details) {}

  /** GET /topics/{name}/messages: messages read without a consumer, oldest first. */
  public record Browsed(
      String status,
      @JsonbProperty("start_offset") long startOffset,
      @JsonbProperty("end_offset") long endOffset,
      List<Record> records) {}

  public record TopicRequest(String topic) {}

  /** {@code partitions}: null if the topic has one. */
  public record ProducerRegistered(
      String status, @JsonbProperty("producer_id") long producerId, Integer partitions) {

    /** How many partitions the topic has. */
    public int partitionCount() {
      return partitions == null ? 1 : partitions;
    }
  }

  /**
   * A message, with the producer's id for it (or null): a retry with the same id stores nothing.
   */
  public record ProduceRequest(
      String topic,
      @JsonbProperty("producer_id") long producerId,
      String message,
      @JsonbProperty("message_id") String messageId) {

    public ProduceRequest(String topic, long producerId, String message) {
      this(topic, producerId, message, null);
    }
  }

  /** A batch, with one id per message (or null), to one partition (null: a topic of one). */
  public record BatchProduceRequest(
      String topic,
      @JsonbProperty("producer_id") long producerId,
      List<String> messages,
      @JsonbProperty("message_ids") List<String> messageIds,
      Integer partition) {

    public BatchProduceRequest(String topic, long producerId, List<String> messages) {
      this(topic, producerId, messages, null, null);
    }

    public BatchProduceRequest(
        String topic, long producerId, List<String> messages, List<String> messageIds) {
      this(topic, producerId, messages, messageIds, null);
    }
  }

  /** A single produce's answer: the message's offset; {@code duplicate} if stored before. */
  public record Produced(String status, long offset, boolean duplicate) {}

  /** A batch produce's answer: how many were newly stored, each one's offset. */
  public record Appended(String status, int appended, List<Long> offsets, int duplicates) {}

  /** {@code partitions}: null if the topic has one. */
  public record ConsumerRegistered(
      String status, @JsonbProperty("consumer_id") long consumerId, Integer partitions) {

    /** How many partitions the topic has. */
    public int partitionCount() {
      return partitions == null ? 1 : partitions;
    }
  }

  /**
   * A v2 registration: a durable {@code name}, where to {@code start} ("earliest", "latest" or an
   * offset), {@code ack} "auto" or "explicit", and an explicit consumer's lease and dead-letter
   * settings; null fields are left out (the broker's defaults).
   */
  public record RegisterRequest(
      String topic,
      String name,
      String start,
      String ack,
      @JsonbProperty("lease_ms") Long leaseMs,
      @JsonbProperty("max_deliveries") Integer maxDeliveries,
      @JsonbProperty("dead_letter_topic") String deadLetterTopic) {}

  /**
   * An explicit consumer's consume: up to {@code max} records, waiting up to {@code waitMs}, after
   * acknowledging {@code offsets} (null for none).
   */
  public record LeaseRequest(
      String topic,
      @JsonbProperty("consumer_id") long consumerId,
      int max,
      @JsonbProperty("wait_ms") long waitMs,
      List<Long> offsets,
      Integer partition) {

    public LeaseRequest(String topic, long consumerId, int max, long waitMs, List<Long> offsets) {
      this(topic, consumerId, max, waitMs, offsets, null);
    }
  }

  /** A message leased to an explicit consumer; {@code partition} 0 on a topic of one. */
  public record Record(long offset, String message, long timestamp, int delivery, int partition) {}

  /** {@code skipped}: what retention deleted before the consumer read it; null if nothing. */
  public record Leased(
      String status,
      List<Record> records,
      @JsonbProperty("lease_until") long leaseUntil,
      Long skipped) {}

  /** POST /consumer/ack; null fields are left out. */
  public record AckRequest(
      String topic,
      @JsonbProperty("consumer_id") long consumerId,
      List<Long> offsets,
      @JsonbProperty("ack_until") Long ackUntil,
      List<Long> release,
      List<Long> extend,
      List<Long> reject,
      @JsonbProperty("delay_ms") Long delayMs,
      Integer partition) {

    public AckRequest(
        String topic,
        long consumerId,
        List<Long> offsets,
        Long ackUntil,
        List<Long> release,
        List<Long> extend,
        List<Long> reject,
        Long delayMs) {
      this(topic, consumerId, offsets, ackUntil, release, extend, reject, delayMs, null);
    }
  }

  public record Acked(String status, long acked, int released, int extended, int rejected) {}

  public record ConsumeRequest(
      String topic, @JsonbProperty("consumer_id") long consumerId, Integer partition) {

    public ConsumeRequest(String topic, long consumerId) {
      this(topic, consumerId, null);
    }
  }

  public record Consumed(String status, String message) {}

  /**
   * A batch or waiting consume: up to {@code max} messages (1 to 1000), waiting up to {@code
   * waitMs} (0 to 30000) for the first.
   */
  public record BatchConsumeRequest(
      String topic,
      @JsonbProperty("consumer_id") long consumerId,
      int max,
      @JsonbProperty("wait_ms") long waitMs,
      Integer partition) {

    public BatchConsumeRequest(String topic, long consumerId, int max, long waitMs) {
      this(topic, consumerId, max, waitMs, null);
    }
  }

  /** {@code skipped}: what retention deleted before the consumer read it; null if nothing. */
  public record Batch(String status, List<String> messages, Long skipped) {}

  public record Size(String status, long size) {}

  /** Every failure: {@code status} is "failure", {@code error} the stable code. */
  public record Failure(String status, String message, String error) {}
}
