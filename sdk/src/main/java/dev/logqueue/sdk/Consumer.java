package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.AckRequest;
import dev.logqueue.sdk.client.Bodies.Batch;
import dev.logqueue.sdk.client.Bodies.BatchConsumeRequest;
import dev.logqueue.sdk.client.Bodies.ConsumeRequest;
import dev.logqueue.sdk.client.Bodies.ConsumerRegistered;
import dev.logqueue.sdk.client.Bodies.LeaseRequest;
import dev.logqueue.sdk.client.Bodies.Leased;
import dev.logqueue.sdk.client.Bodies.Record;
import dev.logqueue.sdk.client.Bodies.RegisterRequest;
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
import java.util.Objects;
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
  private final Settings settings;
  private final Map<Source, List<Long>> processed = new LinkedHashMap<>();
  private final Map<String, Integer> partitions = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopped;
  private int nextTopic;

  private final SkipListener onSkipped;
  private long skipped;

  /** What one consume reads: a topic, or one partition of a topic of several (else null). */
  private record Source(String topic, Integer partition) {}

  /** Told of messages retention deleted before the consumer read them. */
  @FunctionalInterface
  public interface SkipListener {
    /** {@code count} messages of {@code topic} were deleted unread: the consumer goes on after. */
    void skipped(String topic, long count);
  }

  private static final System.Logger LOG = System.getLogger(Consumer.class.getName());

  private static void logSkipped(String topic, long count) {
    LOG.log(
        System.Logger.Level.WARNING,
        "Retention deleted {0} messages of topic ''{1}'' before this consumer read them",
        count,
        topic);
  }

  /** A consumer's v2 settings; all null for a v1 consumer. */
  private record Settings(
      String name, String start, boolean explicit, Long leaseMs, String deadLetter, Integer max) {

    boolean isV1() {
      return name == null && start == null && !explicit;
    }
  }

  protected Consumer(Builder builder) {
    super(builder);
    this.ids = new LinkedHashMap<>(builder.resumed);
    this.settings =
        new Settings(
            builder.name,
            builder.start,
            builder.explicit,
            builder.leaseMs,
            builder.deadLetterTopic,
            builder.maxDeliveries);
    this.onSkipped = builder.onSkipped;
    builder.topics.forEach(this::register);
  }

  /** For CDI's client proxies only. */
  protected Consumer() {
    this.ids = null;
    this.settings = null;
    this.onSkipped = null;
  }

  /** How many messages retention deleted before this consumer read them, all topics together. */
  public long skipped() {
    return skipped;
  }

  private void skipped(String topic, Long count) {
    if (count != null && count > 0) {
      skipped += count;
      onSkipped.skipped(topic, count);
    }
  }

  /** Whether it acknowledges explicitly (at least once): {@link Builder#explicitAck()}. */
  public boolean isExplicit() {
    return settings.explicit();
  }

  /** A consumer for the broker at this URL, registered for these topics (as the seed's was). */
  public Consumer(String brokerUrl, Collection<String> topics) {
    this(builder(brokerUrl).topics(topics));
  }

  /**
   * A consumer for the broker at this URL, or for the brokers of a cluster: their URLs separated by
   * commas.
   */
  public static Builder builder(String brokerUrl) {
    return new Builder(LogQueueClient.brokers(brokerUrl));
  }

  public static Builder builder(URI broker) {
    return new Builder(List.of(broker));
  }

  /** A consumer for the brokers of a cluster: it spreads its requests over them (see Brokers). */
  public static Builder builder(List<URI> brokers) {
    return new Builder(brokers);
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
      ConsumerRegistered registered =
          settings.isV1()
              ? retry.call(
                  "register consumer", false, () -> api.registerConsumer(new TopicRequest(topic)))
              : retry.call(
                  "register consumer",
                  settings.name() != null, // a durable name registers once, however often sent
                  () ->
                      api.registerConsumer(
                          new RegisterRequest(
                              topic,
                              settings.name(),
                              settings.start(),
                              settings.explicit() ? "explicit" : null,
                              settings.leaseMs(),
                              settings.max(),
                              settings.deadLetter())));
      id = registered.consumerId();
      partitions.put(topic, registered.partitionCount());
      ids.put(topic, id);
    }
    return id;
  }

  /**
   * How many partitions a topic has: as its registration said, or (a consumer resumed) as the
   * broker says now. A consumer reads every partition.
   */
  public int partitions(String topic) {
    register(topic);
    return partitions.computeIfAbsent(
        topic, t -> retry.call("read topic", true, () -> api.topic(t)).topic().partitionCount());
  }

  /** What the consumer reads of a topic: the topic, or each of its partitions. */
  private List<Source> streams(String topic) {
    int count = partitions(topic);
    if (count == 1) {
      return List.of(new Source(topic, null));
    }
    List<Source> streams = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      streams.add(new Source(topic, p));
    }
    return streams;
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
    if (settings.explicit()) {
      throw new UnsupportedOperationException(
          "An explicit consumer acknowledges what it takes: use poll, pollBatch or iterate");
    }
    long id = register(topic);
    for (Source stream : streams(topic)) {
      try {
        return Optional.of(
            retry
                .call(
                    "consume",
                    false,
                    () -> api.consume(new ConsumeRequest(topic, id, stream.partition())))
                .message());
      } catch (QueueEmptyException e) {
        // the next partition, if any
      }
    }
    return Optional.empty();
  }

  /** How many messages of the topic this consumer has not read yet (of all its partitions). */
  public long size(String topic) {
    long id = register(topic);
    long size = 0;
    for (Source stream : streams(topic)) {
      size +=
          retry
              .call("size", true, () -> api.size(new ConsumeRequest(topic, id, stream.partition())))
              .size();
    }
    return size;
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
    if (ids.isEmpty()) {
      throw new IllegalStateException("The consumer reads no topic");
    }
    List<Source> topics = new ArrayList<>();
    for (String topic : new ArrayList<>(ids.keySet())) {
      topics.addAll(streams(topic));
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

  /**
   * Takes from the next topic in turn, waiting up to {@code wait} there; an explicit consumer's
   * request acknowledges what was processed of that topic first.
   */
  private List<Message> take(List<Source> topics, int max, Duration wait) {
    Source stream = topics.get(nextTopic % topics.size());
    nextTopic = (nextTopic + 1) % topics.size();
    String topic = stream.topic();
    long id = ids.get(topic);
    if (settings.explicit()) {
      List<Long> acks = processed.remove(stream);
      LeaseRequest request =
          new LeaseRequest(topic, id, max, wait.toMillis(), acks, stream.partition());
      Leased leased;
      try {
        // safe to send again: a lost answer's leases expire, and acks are idempotent
        leased = retry.call("consume", true, () -> api.lease(request));
      } catch (RuntimeException e) {
        if (acks != null) {
          processed.computeIfAbsent(stream, t -> new ArrayList<>()).addAll(0, acks);
        }
        throw e;
      }
      skipped(topic, leased.skipped());
      List<Message> messages = new ArrayList<>(leased.records().size());
      for (Record record : leased.records()) {
        messages.add(
            new Message(
                topic,
                record.message(),
                record.offset(),
                record.timestamp(),
                record.delivery(),
                stream.partition() == null ? 0 : stream.partition()));
      }
      return messages;
    }
    BatchConsumeRequest request =
        new BatchConsumeRequest(topic, id, max, wait.toMillis(), stream.partition());
    Batch batch = retry.call("consume", false, () -> api.consumeBatch(request));
    skipped(topic, batch.skipped());
    List<String> texts = batch.messages();
    List<Message> messages = new ArrayList<>(texts.size());
    int partition = stream.partition() == null ? 0 : stream.partition();
    texts.forEach(text -> messages.add(new Message(topic, text, -1, 0, 1, partition)));
    return messages;
  }

  /**
   * Marks a message of an explicit consumer processed: it is acknowledged with this consumer's next
   * consume of its topic (or at {@link #close()}), without a request of its own.
   */
  public void processed(Message message) {
    checkExplicit();
    processed.computeIfAbsent(sourceOf(message), t -> new ArrayList<>()).add(message.offset());
  }

  /** Where a message of this consumer came from. */
  private Source sourceOf(Message message) {
    return new Source(
        message.topic(), partitions(message.topic()) == 1 ? null : message.partition());
  }

  /** Acknowledges messages now: they are never given again. */
  public void ack(Message... messages) {
    settle(messages, "offsets", null);
  }

  /**
   * Acknowledges every message of the topic below {@code offset} this consumer was given (on a
   * topic of several partitions, name the partition: {@link #ackUntil(String, int, long)}).
   */
  public void ackUntil(String topic, long offset) {
    if (partitions(topic) > 1) {
      throw new IllegalArgumentException(
          "Topic '" + topic + "' has " + partitions(topic) + " partitions: name the partition");
    }
    ackUntil(topic, null, offset);
  }

  /** Acknowledges every message of one partition of the topic below {@code offset}. */
  public void ackUntil(String topic, int partition, long offset) {
    ackUntil(topic, (Integer) partition, offset);
  }

  private void ackUntil(String topic, Integer partition, long offset) {
    checkExplicit();
    long id = register(topic);
    retry.call(
        "ack",
        true,
        () -> api.ack(new AckRequest(topic, id, null, offset, null, null, null, null, partition)));
  }

  /** Gives messages back now, to be given again (to this or another client) after {@code delay}. */
  public void release(Duration delay, Message... messages) {
    settle(messages, "release", delay);
  }

  /** Renews the leases of messages still being worked on, by the consumer's lease time. */
  public void extend(Message... messages) {
    settle(messages, "extend", null);
  }

  /** Sends messages to the dead-letter topic now (without one, they are settled as acked). */
  public void reject(Message... messages) {
    settle(messages, "reject", null);
  }

  private void settle(Message[] messages, String how, Duration delay) {
    checkExplicit();
    Map<Source, List<Long>> byStream = new LinkedHashMap<>();
    for (Message message : messages) {
      byStream.computeIfAbsent(sourceOf(message), t -> new ArrayList<>()).add(message.offset());
    }
    byStream.forEach(
        (stream, offsets) -> {
          long id = register(stream.topic());
          AckRequest request =
              new AckRequest(
                  stream.topic(),
                  id,
                  how.equals("offsets") ? offsets : null,
                  null,
                  how.equals("release") ? offsets : null,
                  how.equals("extend") ? offsets : null,
                  how.equals("reject") ? offsets : null,
                  delay == null ? null : delay.toMillis(),
                  stream.partition());
          retry.call(how.equals("offsets") ? "ack" : how, true, () -> api.ack(request));
        });
  }

  /** Sends the acknowledgements still waiting for a next consume. */
  private void flushProcessed() {
    if (settings == null || !settings.explicit()) {
      return;
    }
    for (Map.Entry<Source, List<Long>> entry : new ArrayList<>(processed.entrySet())) {
      processed.remove(entry.getKey());
      Source stream = entry.getKey();
      long id = ids.get(stream.topic());
      retry.call(
          "ack",
          true,
          () ->
              api.ack(
                  new AckRequest(
                      stream.topic(),
                      id,
                      entry.getValue(),
                      null,
                      null,
                      null,
                      null,
                      null,
                      stream.partition())));
    }
  }

  private void checkExplicit() {
    if (!settings.explicit()) {
      throw new IllegalStateException(
          "This consumer acknowledges automatically; build it with explicitAck()");
    }
  }

  /**
   * The messages of all its topics as they come, until {@link #stop()}: {@code hasNext()} waits for
   * the next one. For an explicit consumer it is at least once: a message is acknowledged once the
   * loop's body returns for it (at the next {@code hasNext()}), with the next consume; if the body
   * throws, it is not, and comes again when its lease ends.
   */
  @Override
  public Iterator<Message> iterator() {
    return new Iterator<>() {
      private Message next;
      private Message current;

      @Override
      public boolean hasNext() {
        if (current != null) {
          processed(current);
          current = null;
        }
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
        if (settings.explicit()) {
          current = message;
        }
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

  /**
   * Runs {@code handler} on {@code workers} threads, each with its own client of this one durable
   * explicit consumer (so the broker splits the messages between them), until {@link
   * Workers#close()}. A message is acknowledged when the handler returns, and released for another
   * delivery when it throws.
   */
  public static Workers workers(
      Builder builder, int workers, java.util.function.Consumer<Message> handler) {
    if (builder.name == null || !builder.explicit) {
      throw new IllegalStateException(
          "Workers share one consumer by its name: build it with name(..) and explicitAck()");
    }
    return new Workers(builder, workers, handler);
  }

  /** Handlers running on threads of their own, on one shared explicit consumer. */
  public static final class Workers implements AutoCloseable {
    private final List<Consumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private Workers(Builder builder, int count, java.util.function.Consumer<Message> handler) {
      if (count < 1) {
        throw new IllegalArgumentException("At least one worker");
      }
      for (int i = 0; i < count; i++) {
        Consumer consumer = builder.build();
        consumers.add(consumer);
        Thread thread =
            new Thread(() -> work(consumer, handler), "logqueue-worker-" + builder.name + "-" + i);
        thread.setDaemon(true);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
    }

    private static void work(Consumer consumer, java.util.function.Consumer<Message> handler) {
      while (!consumer.isStopped()) {
        List<Message> batch;
        try {
          batch = consumer.pollBatch(LONGEST_WAIT, 100);
        } catch (BrokerUnavailableException e) {
          continue; // retried inside already; the leases of what was taken end by themselves
        }
        List<Message> failed = new ArrayList<>();
        for (Message message : batch) {
          try {
            handler.accept(message);
            consumer.processed(message);
          } catch (RuntimeException e) {
            failed.add(message);
          }
        }
        if (!failed.isEmpty()) {
          consumer.release(Duration.ZERO, failed.toArray(Message[]::new));
        }
      }
    }

    /** Stops the workers after the message each is handling, acknowledges, and disconnects. */
    @Override
    public void close() {
      consumers.forEach(Consumer::stop);
      for (Thread thread : threads) {
        try {
          thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      consumers.forEach(Consumer::close);
    }
  }

  /** Stops, acknowledges what was processed, then releases the connection. */
  @Override
  public void close() {
    stop();
    try {
      if (!isClosed()) {
        flushProcessed();
      }
    } finally {
      super.close();
    }
  }

  public static final class Builder extends LogQueueClient.Builder<Builder, Consumer> {
    private final Map<String, Long> resumed = new LinkedHashMap<>();
    private String name;
    private String start;
    private boolean explicit;
    private Long leaseMs;
    private String deadLetterTopic;
    private Integer maxDeliveries;
    private SkipListener onSkipped = Consumer::logSkipped;

    /**
     * Told when the broker's retention deleted messages of a topic before this consumer read them
     * (it goes on from the first message retained): with the next messages it gets. By default a
     * warning in the log.
     */
    public Builder onSkipped(SkipListener listener) {
      this.onSkipped = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * A durable consumer: registering this name on a topic again (another process, a restart, more
     * workers) is the same consumer, with its position.
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Where a new consumer begins: "earliest" (the default), "latest", or an offset. */
    public Builder start(String start) {
      this.start = start;
      return this;
    }

    public Builder start(long offset) {
      this.start = Long.toString(offset);
      return this;
    }

    /** At least once: messages are leased, and acknowledged when processed. */
    public Builder explicitAck() {
      this.explicit = true;
      return this;
    }

    /** How long a message given stays leased (1 s to 1 h; the broker's default is 30 s). */
    public Builder leaseMs(long leaseMs) {
      this.explicit = true;
      this.leaseMs = leaseMs;
      return this;
    }

    /** After {@code maxDeliveries} deliveries without an ack, a message goes to {@code topic}. */
    public Builder deadLetter(String topic, int maxDeliveries) {
      this.explicit = true;
      this.deadLetterTopic = topic;
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    private Builder(List<URI> brokers) {
      super(brokers);
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
