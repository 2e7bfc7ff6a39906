package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.BatchConsumeRequest;
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

  /**
   * The longest a request waits at the broker for a message: a stop() is noticed within it. With
   * several topics each is waited on in turn, shortly, so that none waits behind another.
   */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

  private static final Duration LONGEST_WAIT_PER_TOPIC = Duration.ofMillis(250);

  private final Map<String, Long> ids;
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
   * one: the broker holds the request until a message comes (no busy loop).
   *
   * @return empty if none came in time, or the consumer was stopped
   */
  public Optional<Message> poll(Duration timeout) {
    List<Message> one = pollBatch(timeout, 1);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  /**
   * Up to {@code max} messages (1 to 1000) of one of its topics, taking topics in turn, waiting up
   * to {@code timeout} for the first. Every message returned is taken: the consumer's offset has
   * moved past it.
   *
   * @return the messages, in order; empty if none came in time, or the consumer was stopped
   */
  public List<Message> pollBatch(Duration timeout, int max) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> topics = new ArrayList<>(ids.keySet());
    if (topics.isEmpty()) {
      throw new IllegalStateException("The consumer reads no topic");
    }
    // with several topics, what is there now, topic by topic, so that waiting on an empty one
    // does not hold back another; then wait on each in turn (a lone topic's wait answers at once
    // when there is something, so it needs no look first unless nothing is to be waited for)
    if (topics.size() > 1 || timeout.toMillis() == 0) {
      for (int i = 0; i < topics.size() && !stopped; i++) {
        List<Message> taken = take(topics, max, Duration.ZERO);
        if (!taken.isEmpty()) {
          return taken;
        }
      }
    }
    Duration longest = topics.size() == 1 ? LONGEST_WAIT : LONGEST_WAIT_PER_TOPIC;
    while (!stopped) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Duration wait = Duration.ofNanos(Math.min(left, longest.toNanos()));
      List<Message> taken = take(topics, max, wait);
      if (!taken.isEmpty()) {
        return taken;
      }
    }
    return List.of();
  }

  /** Takes from the next topic in turn, waiting up to {@code wait} there. */
  private List<Message> take(List<String> topics, int max, Duration wait) {
    String topic = topics.get(nextTopic % topics.size());
    nextTopic = (nextTopic + 1) % topics.size();
    long id = ids.get(topic);
    BatchConsumeRequest request = new BatchConsumeRequest(topic, id, max, wait.toMillis());
    List<String> texts = retry.call("consume", false, () -> api.consumeBatch(request)).messages();
    List<Message> messages = new ArrayList<>(texts.size());
    texts.forEach(text -> messages.add(new Message(topic, text)));
    return messages;
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
          next = poll(LONGEST_WAIT).orElse(null);
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

  /** Ends the iteration: a waiting {@code hasNext()} returns false within a second. Any thread. */
  public void stop() {
    stopped = true;
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
