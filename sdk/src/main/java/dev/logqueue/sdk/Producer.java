package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.Appended;
import dev.logqueue.sdk.client.Bodies.BatchProduceRequest;
import dev.logqueue.sdk.client.Bodies.ProducerRegistered;
import dev.logqueue.sdk.client.Bodies.TopicRequest;
import dev.logqueue.sdk.client.LogQueueApi;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Sends messages to topics. A producer registers once per topic (when built, or at its first
 * message to a topic) and keeps the topic-to-id map.
 *
 * <p>Thread-safe, and meant to be shared: one producer per broker serves a whole application.
 *
 * <pre>{@code
 * try (Producer producer = Producer.builder("http://localhost:8080").topics("logs").build()) {
 *   producer.send("logs", "INFO started");
 * }
 * }</pre>
 */
public class Producer extends LogQueueClient {

  private final Map<String, Long> ids;
  private final String instance = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  private final Set<CompletableFuture<?>> inFlight;
  private final Batching batching;
  private final Buffer buffer;
  private final Map<String, TopicBatcher> batchers = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
  private final AtomicLong turn = new AtomicLong();
  private volatile boolean stopped;

  protected Producer(Builder builder) {
    super(builder);
    this.ids = new ConcurrentHashMap<>();
    this.inFlight = ConcurrentHashMap.newKeySet();
    this.batching = builder.batching;
    this.buffer = new Buffer(batching.bufferBytes());
    builder.topics.forEach(this::register);
  }

  /** For CDI's client proxies only. */
  protected Producer() {
    this.ids = null;
    this.inFlight = null;
    this.batching = null;
    this.buffer = null;
  }

  /** A producer for the broker at this URL, registered for these topics (as the seed's was). */
  public Producer(String brokerUrl, Collection<String> topics) {
    this(builder(brokerUrl).topics(topics));
  }

  /**
   * A producer for the broker at this URL, or for the brokers of a cluster: their URLs separated by
   * commas.
   */
  public static Builder builder(String brokerUrl) {
    return new Builder(LogQueueClient.brokers(brokerUrl));
  }

  public static Builder builder(URI broker) {
    return new Builder(List.of(broker));
  }

  /** A producer for the brokers of a cluster: it spreads its requests over them (see Brokers). */
  public static Builder builder(List<URI> brokers) {
    return new Builder(brokers);
  }

  /** A producer over a REST client managed elsewhere (an injected one); close() leaves it open. */
  public static Builder builder(LogQueueApi api) {
    return new Builder(api);
  }

  /**
   * This producer's id for a topic, registering for it (and so creating the topic) the first time.
   */
  public long register(String topic) {
    return ids.computeIfAbsent(
        topic,
        t -> {
          ProducerRegistered registered =
              retry.call(
                  "register producer", false, () -> api.registerProducer(new TopicRequest(t)));
          partitions.put(t, registered.partitionCount());
          return registered.producerId();
        });
  }

  /** How many partitions a topic has, as its registration said (registering the first time). */
  public int partitions(String topic) {
    register(topic);
    return partitions.get(topic);
  }

  /**
   * The partition of a key on a topic of {@code count} partitions: the broker's (CRC-32 of the
   * key's UTF-8 bytes, modulo the count), so that a message sent with a key by any client lands
   * there.
   */
  public static int partitionOf(String key, int count) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % count);
  }

  /** The topics this producer is registered for, and its id for each. */
  public Map<String, Long> topicIds() {
    return Map.copyOf(ids);
  }

  /**
   * Sends a message and returns its offset once the broker has committed it. Messages sent from
   * many threads at once travel together, in one batch request per topic ({@link Batching}).
   *
   * @throws MessageTooLargeException if it is over the broker's limit
   * @throws BrokerUnavailableException if the broker could not take it, after retries
   * @throws IllegalStateException after {@link #stop()}
   */
  public long send(String topic, String message) {
    return join(sendAsync(topic, message));
  }

  /**
   * Sends a message with a key: on a topic of several partitions, messages of the same key go to
   * the same partition, in the order sent ({@link #partitionOf}); the offset is within it.
   */
  public long send(String topic, String key, String message) {
    return join(sendAsync(topic, key, message));
  }

  /**
   * Sends a message to one partition of a topic (0 to {@link #partitions(String)} - 1); the offset
   * is within it.
   *
   * @throws IllegalArgumentException if the topic has no such partition
   */
  public long send(String topic, int partition, String message) {
    return join(sendAsync(topic, partition, message));
  }

  /** {@link #send(String, int, String)} without waiting. */
  public CompletionStage<Long> sendAsync(String topic, int partition, String message) {
    int count = partitions(topic);
    if (partition < 0 || partition >= count) {
      throw new IllegalArgumentException(
          "Topic '" + topic + "' has " + count + " partitions: no partition " + partition);
    }
    return enqueueTo(
        topic, count == 1 ? null : partition, List.of(message), offsets -> offsets.get(0));
  }

  /**
   * Sends messages to one topic in one request, in order, all or none, and returns their offsets
   * once the broker has committed them (the broker takes up to 1000 messages, 4 MiB, per request by
   * default). They keep their place among the messages sent before them.
   *
   * @throws MessageTooLargeException if one message, or all together, are over the limits
   */
  public List<Long> sendBatch(String topic, List<String> messages) {
    return join(enqueue(topic, null, List.copyOf(messages), offsets -> offsets));
  }

  /**
   * Sends a message without waiting: the stage completes with its offset once the broker has
   * committed it, or fails with the exception {@link #send} would throw. Messages of one topic are
   * committed in the order they were given (on a topic of several partitions: of one partition;
   * without a key the messages take the partitions in turn). The stage completes on the client's
   * own thread: hand long work on to another.
   *
   * <p>Waits only when the messages not yet committed fill the buffer ({@link
   * Batching#bufferBytes()}), up to {@link Batching#maxBlock()}, then throws {@link
   * BrokerUnavailableException}.
   */
  public CompletionStage<Long> sendAsync(String topic, String message) {
    return enqueue(topic, null, List.of(message), offsets -> offsets.get(0));
  }

  /** {@link #sendAsync(String, String)} with a key: see {@link #send(String, String, String)}. */
  public CompletionStage<Long> sendAsync(String topic, String key, String message) {
    return enqueue(topic, key, List.of(message), offsets -> offsets.get(0));
  }

  /**
   * Hands the messages to their topic's batcher; the stage answers the caller with {@code answer}
   * of their offsets, and {@link #flush()} waits for that very stage (not only for the offsets), so
   * that every stage a caller holds is complete when flush returns.
   */
  private <T> CompletableFuture<T> enqueue(
      String topic, String key, List<String> messages, Function<List<Long>, T> answer) {
    checkRunning();
    Integer partition;
    try {
      partition = partition(topic, key);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // its registration failed: the stage says so
    }
    return enqueueTo(topic, partition, messages, answer);
  }

  /** Hands the messages to the batcher of their topic's partition (null: a topic of one). */
  private <T> CompletableFuture<T> enqueueTo(
      String topic, Integer partition, List<String> messages, Function<List<Long>, T> answer) {
    checkRunning();
    long bytes = 0;
    List<String> messageIds = new ArrayList<>(messages.size());
    for (String message : messages) {
      bytes += utf8Length(message);
      messageIds.add(nextMessageId()); // one id for all tries: a retry never stores it twice
    }
    buffer.reserve(bytes, batching.maxBlock());
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    CompletableFuture<T> answered = done.thenApply(answer);
    inFlight.add(answered);
    answered.whenComplete((result, failure) -> inFlight.remove(answered));
    batchers
        .computeIfAbsent(
            partition == null ? topic : topic + "#" + partition, t -> batcher(topic, partition))
        .add(new TopicBatcher.Unit(messages, messageIds, bytes, done));
    return answered;
  }

  /**
   * Where a message goes: null on a topic of one partition (the broker's v1 path); its key's
   * partition; else the partitions in turn. The first message to a topic registers for it here, to
   * learn its partitions.
   */
  private Integer partition(String topic, String key) {
    int count = partitions(topic);
    if (count == 1) {
      return null;
    }
    return key != null
        ? partitionOf(key, count)
        : (int) Math.floorMod(turn.getAndIncrement(), count);
  }

  private TopicBatcher batcher(String topic, Integer partition) {
    return new TopicBatcher(
        batching,
        (messages, messageIds) ->
            producerId(topic)
                .thenCompose(
                    id ->
                        retry.callAsync(
                            "produce",
                            true,
                            () ->
                                api.produceBatchAsync(
                                    new BatchProduceRequest(
                                        topic, id, messages, messageIds, partition))))
                .thenApply(Appended::offsets),
        unit -> buffer.release(unit.bytes()));
  }

  /** This producer's id for the topic, registering on another thread the first time. */
  private CompletionStage<Long> producerId(String topic) {
    Long known = ids.get(topic);
    return known != null
        ? CompletableFuture.completedFuture(known)
        : CompletableFuture.supplyAsync(() -> register(topic));
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  /**
   * A message id no other message of this producer has: the broker stores a message whose id it saw
   * within its dedup window (2 minutes by default) only once, so a retry after a lost answer, a
   * broken connection or {@code unavailable} never stores it twice.
   */
  private String nextMessageId() {
    return instance + "-" + sequence.incrementAndGet();
  }

  /**
   * Sends what waits for its linger now, and returns once every message given so far is committed
   * or has failed (waiting up to a minute).
   */
  public void flush() {
    CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
    batchers.values().forEach(TopicBatcher::flush);
    try {
      CompletableFuture.allOf(pending).get(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // each sender sees its own failure through its stage
    } catch (TimeoutException e) {
      // give up waiting; the stages still complete on their own
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #send} may be called: until {@link #stop()}. */
  public boolean canSend() {
    return !stopped && !isClosed();
  }

  /**
   * Stops taking messages and waits (up to a minute) until those already given are committed or
   * have failed.
   */
  public void stop() {
    stopped = true;
    flush();
  }

  /** Stops, then releases the connection. */
  @Override
  public void close() {
    stop();
    super.close();
  }

  private void checkRunning() {
    if (!canSend()) {
      throw new IllegalStateException("The producer is stopped");
    }
  }

  /** The bytes of messages given and not yet settled, bounded. */
  private static final class Buffer {
    private final Semaphore room;
    private final int limit;

    Buffer(long bytes) {
      this.limit = (int) Math.min(bytes, Integer.MAX_VALUE);
      this.room = new Semaphore(limit);
    }

    /** A unit larger than the whole buffer takes all of it. */
    private int permits(long bytes) {
      return (int) Math.min(bytes, limit);
    }

    void reserve(long bytes, Duration maxBlock) {
      try {
        if (!room.tryAcquire(permits(bytes), maxBlock.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new BrokerUnavailableException(
              0,
              null,
              "The producer's buffer ("
                  + limit
                  + " bytes) stayed full for "
                  + maxBlock
                  + ": the broker does not keep up",
              null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BrokerUnavailableException(0, null, "Interrupted while waiting for room", e);
      }
    }

    void release(long bytes) {
      room.release(permits(bytes));
    }
  }

  public static final class Builder extends LogQueueClient.Builder<Builder, Producer> {
    private Batching batching = Batching.DEFAULT;

    private Builder(List<URI> brokers) {
      super(brokers);
    }

    private Builder(LogQueueApi api) {
      super(api);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** How messages are gathered into batch requests ({@link Batching#DEFAULT} unless told). */
    public Builder batching(Batching batching) {
      this.batching = Objects.requireNonNull(batching);
      return this;
    }

    /** How long a message may wait for others to share its request (1 ms unless told). */
    public Builder linger(Duration linger) {
      return batching(batching.withLinger(linger));
    }

    @Override
    public Producer build() {
      return new Producer(this);
    }
  }
}
