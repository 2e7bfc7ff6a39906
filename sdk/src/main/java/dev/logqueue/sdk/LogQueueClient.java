package dev.logqueue.sdk;

import dev.logqueue.sdk.client.BearerToken;
import dev.logqueue.sdk.client.Bodies.AgeChange;
import dev.logqueue.sdk.client.Bodies.BytesChange;
import dev.logqueue.sdk.client.Bodies.NewTopic;
import dev.logqueue.sdk.client.Bodies.RetentionChange;
import dev.logqueue.sdk.client.Bodies.TopicDetails;
import dev.logqueue.sdk.client.Brokers;
import dev.logqueue.sdk.client.LogQueueApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * What producers and consumers share: a connection to one broker (or to the brokers of a cluster),
 * topic management, retries and timeouts. Close it when done: it holds the REST client's
 * connections (unless the client was given to it, as an injected one).
 */
public class LogQueueClient implements AutoCloseable {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Longer than the broker's longest wait for a message (30 s). */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(40);

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  protected final LogQueueApi api;
  protected final Retry retry;
  private final boolean ownsApi;

  /** The threads of asynchronous calls, when this client made its REST client; else null. */
  private final ExecutorService asyncCalls;

  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connects to the broker of the builder, or uses the REST client given to it. */
  protected LogQueueClient(Builder<?, ?> builder) {
    this.ownsApi = builder.api == null;
    this.asyncCalls = ownsApi ? asyncCallThreads() : null;
    this.api =
        builder.api != null
            ? builder.api
            : connect(
                builder.brokers,
                builder.connectTimeout,
                builder.readTimeout,
                asyncCalls,
                builder.token,
                builder.trustStore);
    this.retry = builder.retry;
  }

  /** For CDI's client proxies only. */
  protected LogQueueClient() {
    this.api = null;
    this.retry = null;
    this.ownsApi = false;
    this.asyncCalls = null;
  }

  /**
   * A typed REST client for a broker, from whatever MicroProfile Rest Client implementation is on
   * the class path (logqueue-sdk-standalone brings one). Its asynchronous calls run on daemon
   * threads that end a minute after the last call, so they never keep a JVM from exiting.
   */
  public static LogQueueApi connect(URI broker, Duration connectTimeout, Duration readTimeout) {
    return connect(broker, connectTimeout, readTimeout, asyncCallThreads(), null, null);
  }

  /**
   * The REST client's own default for asynchronous calls is a pool of non-daemon threads that
   * outlive close() by a minute and hold the JVM open: give it daemon threads, ended on close().
   */
  private static ExecutorService asyncCallThreads() {
    String prefix = "logqueue-client-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger count = new AtomicInteger();
    ThreadFactory daemons =
        task -> {
          Thread thread = new Thread(task, prefix + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return Executors.newCachedThreadPool(daemons);
  }

  /**
   * One REST client per broker, behind one that spreads the calls over them ({@link Brokers}): a
   * cluster's members each serve any request.
   */
  private static LogQueueApi connect(
      List<URI> brokers,
      Duration connectTimeout,
      Duration readTimeout,
      ExecutorService asyncCalls,
      Supplier<String> token,
      KeyStore trustStore) {
    List<LogQueueApi> apis = new ArrayList<>(brokers.size());
    for (URI broker : brokers) {
      apis.add(connect(broker, connectTimeout, readTimeout, asyncCalls, token, trustStore));
    }
    return Brokers.over(apis, CLIENTS.get());
  }

  /** The URLs of a list separated by commas (one broker, or a cluster's). */
  static List<URI> brokers(String urls) {
    List<URI> brokers = new ArrayList<>();
    for (String url : urls.split(",")) {
      if (!url.isBlank()) {
        brokers.add(URI.create(url.strip()));
      }
    }
    if (brokers.isEmpty()) {
      throw new IllegalArgumentException("No broker URL in '" + urls + "'");
    }
    return brokers;
  }

  private static LogQueueApi connect(
      URI broker,
      Duration connectTimeout,
      Duration readTimeout,
      ExecutorService asyncCalls,
      Supplier<String> token,
      KeyStore trustStore) {
    Objects.requireNonNull(broker, "the broker's URL");
    try {
      RestClientBuilder builder =
          RestClientBuilder.newBuilder()
              .baseUri(broker)
              .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
              .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
              .executorService(asyncCalls);
      if (token != null) {
        builder.register(new BearerToken(token));
      }
      if (trustStore != null) {
        builder.trustStore(trustStore);
      }
      return builder.build(LogQueueApi.class);
    } catch (IllegalStateException | ServiceConfigurationError e) {
      throw new IllegalStateException(
          "No MicroProfile Rest Client implementation: outside a Jakarta EE or MicroProfile"
              + " server, depend on dev.logqueue:logqueue-sdk-standalone",
          e);
    }
  }

  /**
   * Creates a topic.
   *
   * @throws TopicExistsException if there is one of that name
   */
  public void createTopic(String topic) {
    createTopic(topic, Retention.DEFAULTS);
  }

  /**
   * Creates a topic that keeps what {@code retention} says (its null fields: the broker's
   * defaults).
   *
   * @throws TopicExistsException if there is one of that name
   */
  public void createTopic(String topic, Retention retention) {
    createTopic(topic, retention, 1);
  }

  /**
   * Creates a topic of {@code partitions} partitions (1 to 256): messages of one key go to one
   * partition, in order ({@link Producer#send(String, String, String)}); a consumer reads all.
   *
   * @throws TopicExistsException if there is one of that name
   */
  public void createTopic(String topic, Retention retention, int partitions) {
    retry.call(
        "create topic",
        false,
        () ->
            api.createTopic(
                new NewTopic(
                    topic,
                    retention.millis(),
                    retention.bytes(),
                    partitions == 1 ? null : partitions)));
  }

  /** The broker's topics, in the order they were created. */
  public List<String> listTopics() {
    return retry.call("list topics", true, () -> api.topics().topics());
  }

  /**
   * A topic's retained range, retention, producers and consumers, as the broker holds them now.
   *
   * @throws TopicNotFoundException if there is no such topic
   */
  public TopicInfo topic(String topic) {
    return info(retry.call("look at topic", true, () -> api.topic(topic)).topic());
  }

  /**
   * Changes what a topic keeps (null fields: the broker's defaults); the broker deletes what is
   * beyond in the background.
   *
   * @return the topic, changed
   */
  public TopicInfo setRetention(String topic, Retention retention) {
    RetentionChange change = new RetentionChange(retention.millis(), retention.bytes());
    return info(retry.call("set retention", true, () -> api.setRetention(topic, change)).topic());
  }

  /**
   * Changes how long a topic keeps its messages (null: the broker's default; 0: forever), and
   * leaves its retention by bytes as it is.
   *
   * @return the topic, changed
   */
  public TopicInfo setRetentionAge(String topic, Long millis) {
    AgeChange change = new AgeChange(millis);
    return info(retry.call("set retention", true, () -> api.setRetention(topic, change)).topic());
  }

  /**
   * Changes how many bytes a topic keeps at most (null: the broker's default; 0: no limit), and
   * leaves its retention by age as it is.
   *
   * @return the topic, changed
   */
  public TopicInfo setRetentionBytes(String topic, Long bytes) {
    BytesChange change = new BytesChange(bytes);
    return info(retry.call("set retention", true, () -> api.setRetention(topic, change)).topic());
  }

  /**
   * Deletes a topic, its producers, its consumers and its messages (for good once it returns); the
   * name may be created again, as a new topic.
   *
   * @throws TopicNotFoundException if there is no such topic (also when a retry finds it deleted)
   */
  public void deleteTopic(String topic) {
    retry.call("delete topic", false, () -> api.deleteTopic(topic));
  }

  /**
   * Deletes a consumer of a topic: its id and position are gone, its name (if durable) is free.
   *
   * @throws ClientNotFoundException if the topic has no such consumer
   */
  public void deleteConsumer(String topic, long consumerId) {
    retry.call("delete consumer", false, () -> api.deleteConsumer(topic, consumerId));
  }

  /** Every topic's details, in the order the topics were created (one request). */
  public List<TopicInfo> listTopicDetails() {
    return retry.call("list topics", true, () -> api.topics(true)).details().stream()
        .map(LogQueueClient::info)
        .toList();
  }

  /**
   * The newest {@code max} messages of a topic (1 to 1000), oldest first, read without a consumer:
   * nothing moves. Each message has its offset and append time.
   *
   * @throws TopicNotFoundException if there is no such topic
   */
  public List<Message> newestMessages(String topic, int max) {
    return browse(topic, null, null, max);
  }

  /** Up to {@code max} messages of a topic from {@code offset} on (clamped to what it retains). */
  public List<Message> messagesFrom(String topic, long offset, int max) {
    return browse(topic, offset, null, max);
  }

  /** Up to {@code max} messages of a topic from the first one appended at or after {@code time}. */
  public List<Message> messagesFrom(String topic, Instant time, int max) {
    return browse(topic, null, time.toEpochMilli(), max);
  }

  private List<Message> browse(String topic, Long offset, Long timestamp, int max) {
    return retry
        .call("read messages", true, () -> api.messages(topic, offset, timestamp, max))
        .records()
        .stream()
        .map(r -> new Message(topic, r.message(), r.offset(), r.timestamp(), 0))
        .toList();
  }

  private static TopicInfo info(TopicDetails details) {
    return new TopicInfo(
        details.name(),
        details.startOffset(),
        details.endOffset(),
        details.messages(),
        details.bytes(),
        details.oldestTimestamp() == null ? null : Instant.ofEpochMilli(details.oldestTimestamp()),
        details.retentionMs(),
        details.retentionBytes(),
        details.producers(),
        details.consumers().stream()
            .map(
                c ->
                    new TopicInfo.ConsumerInfo(
                        c.consumerId(),
                        c.name(),
                        "explicit".equals(c.ack()),
                        c.offset(),
                        c.lag(),
                        c.lagMs(),
                        c.leased(),
                        c.acked(),
                        c.redelivered(),
                        c.deadLettered()))
            .toList());
  }

  /** The REST client underneath, for what the facades do not offer. */
  public LogQueueApi api() {
    return api;
  }

  protected boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsApi) {
      api.close();
      asyncCalls.shutdown();
    }
  }

  /** What producers' and consumers' builders share. */
  public abstract static class Builder<B extends Builder<B, C>, C extends LogQueueClient> {
    private List<URI> brokers;
    private LogQueueApi api;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Retry retry = Retry.DEFAULT;
    private Supplier<String> token;
    private KeyStore trustStore;
    protected final List<String> topics = new ArrayList<>();

    protected Builder(List<URI> brokers) {
      if (brokers.isEmpty()) {
        throw new IllegalArgumentException("No broker URL");
      }
      brokers.forEach(broker -> Objects.requireNonNull(broker, "the broker's URL"));
      this.brokers = List.copyOf(brokers);
    }

    protected Builder(LogQueueApi api) {
      this.api = Objects.requireNonNull(api);
    }

    protected abstract B self();

    /** Builds the client and registers it for its topics. */
    public abstract C build();

    /** Topics to register for when built. */
    public B topics(String... topics) {
      return topics(List.of(topics));
    }

    public B topics(Collection<String> topics) {
      this.topics.addAll(topics);
      return self();
    }

    public B connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return self();
    }

    public B readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return self();
    }

    public B retry(Retry retry) {
      this.retry = retry;
      return self();
    }

    /** A bearer token sent with every request (a broker with authentication asks for one). */
    public B token(String token) {
      Objects.requireNonNull(token, "token");
      return token(() -> token);
    }

    /** A bearer token asked for at every request, so that it can be renewed while in use. */
    public B token(Supplier<String> token) {
      this.token = Objects.requireNonNull(token, "token");
      return self();
    }

    /** The certificates to trust for an https:// broker, instead of the JVM's. */
    public B trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return self();
    }

    /** A trust store file (PKCS12, or JKS) and its password. */
    public B trustStore(Path file, char[] password) {
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(in, password);
        return trustStore(store);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "Cannot read the trust store " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
