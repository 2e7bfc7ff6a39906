package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.BatchProduceRequest;
import dev.logqueue.sdk.client.Bodies.ProduceRequest;
import dev.logqueue.sdk.client.Bodies.TopicRequest;
import dev.logqueue.sdk.client.LogQueueApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
  private final Set<CompletableFuture<Void>> inFlight;
  private volatile boolean stopped;

  protected Producer(Builder builder) {
    super(builder);
    this.ids = new ConcurrentHashMap<>();
    this.inFlight = ConcurrentHashMap.newKeySet();
    builder.topics.forEach(this::register);
  }

  /** For CDI's client proxies only. */
  protected Producer() {
    this.ids = null;
    this.inFlight = null;
  }

  /** A producer for the broker at this URL, registered for these topics (as the seed's was). */
  public Producer(String brokerUrl, Collection<String> topics) {
    this(builder(brokerUrl).topics(topics));
  }

  public static Builder builder(String brokerUrl) {
    return new Builder(URI.create(brokerUrl));
  }

  public static Builder builder(URI broker) {
    return new Builder(broker);
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
        t ->
            retry
                .call("register producer", false, () -> api.registerProducer(new TopicRequest(t)))
                .producerId());
  }

  /** The topics this producer is registered for, and its id for each. */
  public Map<String, Long> topicIds() {
    return Map.copyOf(ids);
  }

  /**
   * Sends a message and returns once the broker has committed it.
   *
   * @throws MessageTooLargeException if it is over the broker's limit
   * @throws BrokerUnavailableException if the broker could not take it, after retries
   * @throws IllegalStateException after {@link #stop()}
   */
  public void send(String topic, String message) {
    checkRunning();
    long id = register(topic);
    ProduceRequest request = new ProduceRequest(topic, id, message, nextMessageId());
    retry.call("produce", true, () -> api.produce(request));
  }

  /**
   * Sends messages to one topic in one request, in order, all or none, and returns once the broker
   * has committed them (the broker takes up to 1000 messages, 4 MiB, per request by default).
   *
   * @throws MessageTooLargeException if one message, or all together, are over the limits
   */
  public void sendBatch(String topic, List<String> messages) {
    checkRunning();
    long id = register(topic);
    List<String> messageIds = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      messageIds.add(nextMessageId());
    }
    BatchProduceRequest request = new BatchProduceRequest(topic, id, messages, messageIds);
    retry.call("produce", true, () -> api.produceBatch(request));
  }

  /**
   * Sends a message without waiting: the stage completes once the broker has committed it, or fails
   * with the exception {@link #send} would throw.
   */
  public CompletionStage<Void> sendAsync(String topic, String message) {
    checkRunning();
    Long known = ids.get(topic);
    CompletableFuture<Long> registered =
        known != null
            ? CompletableFuture.completedFuture(known)
            : CompletableFuture.supplyAsync(() -> register(topic));
    CompletableFuture<Void> sent =
        registered
            .thenCompose(
                id -> {
                  ProduceRequest request = request(topic, id, message); // one id for all tries
                  return retry.callAsync("produce", true, () -> api.produceAsync(request));
                })
            .thenApply(success -> (Void) null)
            .toCompletableFuture();
    inFlight.add(sent);
    sent.whenComplete((done, failure) -> inFlight.remove(sent));
    return sent;
  }

  /**
   * A message id no other message of this producer has: the broker stores a message whose id it saw
   * within its dedup window (2 minutes by default) only once, so a retry after a lost answer, a
   * broken connection or {@code unavailable} never stores it twice.
   */
  private String nextMessageId() {
    return instance + "-" + sequence.incrementAndGet();
  }

  private ProduceRequest request(String topic, long id, String message) {
    return new ProduceRequest(topic, id, message, nextMessageId());
  }

  /** Whether {@link #send} may be called: until {@link #stop()}. */
  public boolean canSend() {
    return !stopped && !isClosed();
  }

  /**
   * Stops taking messages and waits (up to a minute) until those sent asynchronously are committed
   * or have failed.
   */
  public void stop() {
    stopped = true;
    CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
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

  public static final class Builder extends LogQueueClient.Builder<Builder, Producer> {
    private Builder(URI broker) {
      super(broker);
    }

    private Builder(LogQueueApi api) {
      super(api);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public Producer build() {
      return new Producer(this);
    }
  }
}
