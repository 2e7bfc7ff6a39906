package dev.logqueue.sdk;

import java.time.Duration;

/**
 * How a {@link Producer} gathers messages into batch requests, like Kafka's producer: a batch of
 * one topic is sent when it holds {@code maxMessages} or {@code maxBytes}, or when its oldest
 * message has waited {@code linger}, and only once the topic's previous batch is answered (one
 * request in flight per topic keeps the order through retries). While a request is under way the
 * next batch grows by itself, so under load the linger costs nothing.
 *
 * @param linger how long a message may wait for others before its batch is sent; zero: sent as soon
 *     as the topic has nothing in flight
 * @param maxMessages messages per request (the broker takes up to 1000 by default)
 * @param maxBytes bytes of message text per request (the broker takes 4 MiB of body by default);
 *     one message or {@code sendBatch} over it goes in a request of its own
 * @param bufferBytes bytes of messages not yet committed, over all topics, above which {@code
 *     sendAsync} waits for room (up to {@code maxBlock}, then throws)
 * @param maxBlock how long a send waits for room in the buffer
 */
public record Batching(
    Duration linger, int maxMessages, int maxBytes, long bufferBytes, Duration maxBlock) {

  /** 1 ms, 500 messages, 1 MiB per batch; 32 MiB buffered; a send waits up to a minute for room. */
  public static final Batching DEFAULT =
      new Batching(Duration.ofMillis(1), 500, 1 << 20, 32L << 20, Duration.ofMinutes(1));

  public Batching {
    if (linger.isNegative() || maxBlock.isNegative()) {
      throw new IllegalArgumentException("linger and maxBlock must not be negative");
    }
    if (maxMessages < 1 || maxBytes < 1 || bufferBytes < 1) {
      throw new IllegalArgumentException("maxMessages, maxBytes and bufferBytes must be positive");
    }
  }

  public Batching withLinger(Duration linger) {
    return new Batching(linger, maxMessages, maxBytes, bufferBytes, maxBlock);
  }

  public Batching withMaxMessages(int maxMessages) {
    return new Batching(linger, maxMessages, maxBytes, bufferBytes, maxBlock);
  }

  public Batching withMaxBytes(int maxBytes) {
    return new Batching(linger, maxMessages, maxBytes, bufferBytes, maxBlock);
  }

  public Batching withBufferBytes(long bufferBytes) {
    return new Batching(linger, maxMessages, maxBytes, bufferBytes, maxBlock);
  }

  public Batching withMaxBlock(Duration maxBlock) {
    return new Batching(linger, maxMessages, maxBytes, bufferBytes, maxBlock);
  }
}
