package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.ConsumeRequest;
import dev.logqueue.sdk.client.Bodies.TopicRequest;
import dev.logqueue.sdk.client.LogQueueApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads every message of its topics, in order, from its own offsets. It registers once per topic
 * (when built, or at its first read of a topic), or resumes ids registered before ({@link
 * Builder#resume}), and keeps the topic-to-id map.
 *
 * <p>Iterate over it, or {@link #stream()} it, to get the messages of all its topics as they come
 * (each tells its topic); when every topic is empty it waits, backing off, without a busy loop. The
 * iteration ends after {@link #stop()}.
 *
 * <p><b>Not thread-safe</b>, like Kafka's consumer: one thread reads from a consumer (a consumer's
 * offsets are its own; give each thread its own consumer). {@link #stop()} may be called from any
 * thread.
 *
 * <pre>{@code
 * try (Consumer consumer = Consumer.builder("http://localhost:8080").topics("logs").build()) {
 *   for (Message message : consumer) {
 *     System.out.println(message.topic() + ": " + message.text());
 *   }
 * }
 * }</pre>
 */
public class Consumer extends LogQueueClient implements Iterable<Message> {

  private static final Duration FIRST_IDLE_WAIT = Duration.ofMillis(10);
  private static final Duration LAST_IDLE_WAIT = Duration.ofSeconds(1);

  private final Map<String, Long> ids;
  private final Object idle = new Object();
  private volatile boolean stopped;
  private int nextTopic;

  protected Consumer(Builder builder) {
    super(builder);
    this.ids = new LinkedHashMap<>(builder.resumed);
    builder.topics.forEach(this::register);
  }

  /** For CDI's client proxies only. */
  protected Consumer() {
    this.ids = null;
  }

  /** A consumer for the broker at this URL, registered for these topics (as the seed's was). */
  public Consumer(String brokerUrl, Collection<String> topics) {
    this(builder(brokerUrl).topics(topics));
  }

  public static Builder builder(String brokerUrl) {
    return new Builder(URI.create(brokerUrl));
  }

  public static Builder builder(URI broker) {
    return new Builder(broker);
  }

  /** A consumer over a REST client managed elsewhere (an injected one); close() leaves it open. */
  public static Builder builder(LogQueueApi api) {
    return new Builder(api);
  }

  /**
   * This consumer's id for a topic, registering for it the first time: a new registration starts at
   * the topic's first message.
   *
   * @throws TopicNotFoundException if the topic does not exist
   */
  public long register(String topic) {
    Long id = ids.get(topic);
    if (id == null) {
      id =
          retry
              .call("register consumer", false, () -> api.registerConsumer(new TopicRequest(topic)))
              .consumerId();
      ids.put(topic, id);
    }
    return id;
  }

  /** The topics this consumer reads, and its id for each. */
  public Map<String, Long> topicIds() {
    return Map.copyOf(ids);
  }

  /**
   * The next message of a topic, if there is one now; the consumer's offset moves past it.
   *
   * @return empty when the consumer has read every message of the topic
   */
  public Optional<String> dequeue(String topic) {
    long id = register(topic);
    try {
      return Optional.of(
          retry.call("consume", false, () -> api.consume(new ConsumeRequest(topic, id))).message());
    } catch (QueueEmptyException e) {
      return Optional.empty();
    }
  }

  /** How many messages of the topic this consumer has not read yet. */
  public long size(String topic) {
    long id = register(topic);
    return retry.call("size", true, () -> api.size(new ConsumeRequest(topic, id))).size();
  }

  /**
   * The next message of any of its topics, taking them in turn, waiting up to {@code timeout} for
   * one (without a busy loop).
   *
   * @return empty if none came in time, or the consumer was stopped
   */
  public Optional<Message> poll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = FIRST_IDLE_WAIT;
    while (!stopped) {
      Optional<Message> message = nextOfAnyTopic();
      if (message.isPresent()) {
        return message;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      pause(Math.min(wait.toNanos(), left));
      wait =
          wait.multipliedBy(2).compareTo(LAST_IDLE_WAIT) > 0
              ? LAST_IDLE_WAIT
              : wait.multipliedBy(2);
    }
    return Optional.empty();
  }

  private Optional<Message> nextOfAnyTopic() {
    List<String> topics = new ArrayList<>(ids.keySet());
    for (int i = 0; i < topics.size() && !stopped; i++) {
      String topic = topics.get((nextTopic + i) % topics.size());
      Optional<String> text = dequeue(topic);
      if (text.isPresent()) {
        nextTopic = (nextTopic + i + 1) % topics.size();
        return Optional.of(new Message(topic, text.get()));
      }
    }
    return Optional.empty();
  }

  private void pause(long nanos) {
    synchronized (idle) {
      if (stopped) {
        return;
      }
      try {
        idle.wait(Math.max(1, nanos / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }

  /**
   * The messages of all its topics as they come, until {@link #stop()}: {@code hasNext()} waits for
   * the next one.
   */
  @Override
  public Iterator<Message> iterator() {
    return new Iterator<>() {
      private Message next;

      @Override
      public boolean hasNext() {
        while (next == null && !stopped) {
          next = poll(LAST_IDLE_WAIT).orElse(null);
        }
        return next != null;
      }

      @Override
      public Message next() {
        if (!hasNext()) {
          throw new NoSuchElementException("The consumer is stopped");
        }
        Message message = next;
        next = null;
        return message;
      }
    };
  }

  /** {@link #iterator()} as a sequential stream, ending after {@link #stop()}. */
  public Stream<Message> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Ends the iteration: a waiting {@code hasNext()} returns false soon after. Any thread. */
  public void stop() {
    stopped = true;
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Stops, then releases the connection. */
  @Override
  public void close() {
    stop();
    super.close();
  }

  public static final class Builder extends LogQueueClient.Builder<Builder, Consumer> {
    private final Map<String, Long> resumed = new LinkedHashMap<>();

    private Builder(URI broker) {
      super(broker);
    }

    private Builder(LogQueueApi api) {
      super(api);
    }

    /**
     * Reads a topic as a consumer registered before (its offset is kept by the broker), instead of
     * registering anew from the first message.
     */
    public Builder resume(String topic, long consumerId) {
      resumed.put(topic, consumerId);
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public Consumer build() {
      return new Consumer(this);
    }
  }
}
