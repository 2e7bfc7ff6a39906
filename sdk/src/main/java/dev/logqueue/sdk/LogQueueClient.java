package dev.logqueue.sdk;

import dev.logqueue.sdk.client.Bodies.NewTopic;
import dev.logqueue.sdk.client.LogQueueApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * What producers and consumers share: a connection to one broker, topic management, retries and
 * timeouts. Close it when done: it holds the REST client's connections (unless the client was given
 * to it, as an injected one).
 */
public class LogQueueClient implements AutoCloseable {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Longer than the broker's longest wait for a message (30 s). */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(40);

  protected final LogQueueApi api;
  protected final Retry retry;
  private final boolean ownsApi;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connects to the broker of the builder, or uses the REST client given to it. */
  protected LogQueueClient(Builder<?, ?> builder) {
    this.ownsApi = builder.api == null;
    this.api =
        builder.api != null
            ? builder.api
            : connect(builder.broker, builder.connectTimeout, builder.readTimeout);
    this.retry = builder.retry;
  }

  /** For CDI's client proxies only. */
  protected LogQueueClient() {
    this.api = null;
    this.retry = null;
    this.ownsApi = false;
  }

  /**
   * A typed REST client for a broker, from whatever MicroProfile Rest Client implementation is on
   * the class path (logqueue-sdk-standalone brings one).
   */
  public static LogQueueApi connect(URI broker, Duration connectTimeout, Duration readTimeout) {
    Objects.requireNonNull(broker, "the broker's URL");
    try {
      return RestClientBuilder.newBuilder()
          .baseUri(broker)
          .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .build(LogQueueApi.class);
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
    retry.call("create topic", false, () -> api.createTopic(new NewTopic(topic)));
  }

  /** The broker's topics, in the order they were created. */
  public List<String> listTopics() {
    return retry.call("list topics", true, () -> api.topics().topics());
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
    }
  }

  /** What producers' and consumers' builders share. */
  public abstract static class Builder<B extends Builder<B, C>, C extends LogQueueClient> {
    private URI broker;
    private LogQueueApi api;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Retry retry = Retry.DEFAULT;
    protected final List<String> topics = new ArrayList<>();

    protected Builder(URI broker) {
      this.broker = broker;
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
  }
}
