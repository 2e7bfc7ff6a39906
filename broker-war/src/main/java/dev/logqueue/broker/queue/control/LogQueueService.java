package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Command.Append;
import dev.logqueue.broker.queue.control.Command.Consume;
import dev.logqueue.broker.queue.control.Command.CreateTopic;
import dev.logqueue.broker.queue.control.Command.RegisterConsumer;
import dev.logqueue.broker.queue.control.Command.RegisterProducer;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The queue: topics, producers, consumers and their offsets, and the rules between them. Reads are
 * answered from memory; every change goes through the committer and is answered only once it is
 * committed to the store.
 */
@ApplicationScoped
public class LogQueueService {

  private static final Logger LOG = System.getLogger(LogQueueService.class.getName());

  @Inject LogStore store;
  @Inject QueueSettings settings;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private Committer committer;
  private Thread committerThread;
  private ExecutorService completions;
  private ScheduledThreadPoolExecutor timers;
  private HistoryCache history;
  private volatile IntConsumer onCommit = requests -> {};

  /** For CDI. */
  protected LogQueueService() {}

  /** Outside a container (tests). */
  LogQueueService(LogStore store, QueueSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /**
   * Restores the state from the store and starts the committer. If the store cannot be read now,
   * the broker starts unavailable and the committer retries until it can.
   *
   * @return whether the state was restored now
   */
  public synchronized boolean start() {
    if (committer != null) {
      return committer.isAvailable();
    }
    ThreadFactory factory = threads != null ? threads : Executors.defaultThreadFactory();
    history = new HistoryCache(store, settings.historyPageMessages(), settings.historyCacheBytes());
    completions = Executors.newFixedThreadPool(4, factory);
    timers = new ScheduledThreadPoolExecutor(1, factory);
    timers.setRemoveOnCancelPolicy(true);
    committer =
        new Committer(
            store, settings, history, completions, timers, requests -> onCommit.accept(requests));
    boolean restored = committer.restore();
    committerThread = factory.newThread(committer);
    committerThread.setName("logqueue-committer");
    committerThread.start();
    return restored;
  }

  public synchronized void stop() {
    if (committer == null) {
      return;
    }
    committer.stop();
    try {
      committerThread.join(10_000);
      completions.shutdown();
      completions.awaitTermination(5, TimeUnit.SECONDS);
      timers.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    committer = null;
  }

  /** Whether the state is restored and the committer takes requests. */
  public boolean isReady() {
    Committer current = committer;
    return current != null && current.isAvailable();
  }

  /** Whether the committer's thread runs (a database outage does not stop it). */
  public boolean isRunning() {
    Thread thread = committerThread;
    return committer != null && thread != null && thread.isAlive();
  }

  public boolean isStoreReachable() {
    return store.isReachable();
  }

  /** Bytes of older messages held in memory for consumers that read behind the windows. */
  public long historyBytes() {
    HistoryCache current = history;
    return current == null ? 0 : current.bytes();
  }

  /** Recent messages held in memory, all topics' windows together. */
  public long windowMessages() {
    return committedState().map(QueueState::windowMessages).orElse(0L);
  }

  /** Tells an observer of each transaction committed, with how many requests it carried. */
  public void observeCommits(IntConsumer observer) {
    this.onCommit = observer;
  }

  /** Messages appended to all topics since they were created. */
  public long messageCount() {
    return committedState().map(QueueState::messageCount).orElse(0L);
  }

  public long topicCount() {
    return committedState().map(state -> (long) state.topicCount()).orElse(0L);
  }

  /** The committed state for the gauges, none while there is none (starting, or rebuilding). */
  private Optional<QueueState> committedState() {
    Committer current = committer;
    if (current == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(current.state());
    } catch (LogQueueException unavailable) {
      return Optional.empty();
    }
  }

  public CompletableFuture<Void> createTopic(TopicName name) {
    return committer().submit(new CreateTopic(name, settings.commitDeadline()));
  }

  /** Topic names in creation order. */
  public List<TopicName> topics() {
    return committer().state().topicNames();
  }

  /** Registers a producer for a topic, creating the topic if it does not exist. */
  public CompletableFuture<ProducerId> registerProducer(TopicName topic) {
    return committer().submit(new RegisterProducer(topic, settings.commitDeadline()));
  }

  /** Registers a consumer for an existing topic; it starts at offset 0, the whole history. */
  public CompletableFuture<ConsumerId> registerConsumer(TopicName topic) {
    return committer().submit(new RegisterConsumer(topic, settings.commitDeadline()));
  }

  /** Appends messages without ids: {@link #produce(TopicName, ProducerId, List, List)}. */
  public CompletableFuture<Appended> produce(
      TopicName topic, ProducerId producer, List<String> texts) {
    return produce(topic, producer, texts, List.of());
  }

  /**
   * Appends messages to a topic, in order, all or none; a message whose id the topic appended
   * within the dedup window is not stored again.
   *
   * @param ids none, or one per message
   * @return where each message went, once all are committed
   */
  public CompletableFuture<Appended> produce(
      TopicName topic, ProducerId producer, List<String> texts, List<MessageId> ids) {
    if (!ids.isEmpty() && ids.size() != texts.size()) {
      throw LogQueueException.badRequest(
          ids.size() + " message ids for " + texts.size() + " messages; send one per message");
    }
    if (texts.size() > settings.produceMaxMessages()) {
      throw new LogQueueException(
          ErrorCode.MESSAGE_TOO_LARGE,
          texts.size() + " messages in one request; the limit is " + settings.produceMaxMessages());
    }
    long bytes = 0;
    for (String text : texts) {
      bytes += checkSize(text);
    }
    if (bytes > settings.produceMaxBytes()) {
      throw new LogQueueException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "The messages are "
              + bytes
              + " bytes of UTF-8 together; the limit per request is "
              + settings.produceMaxBytes());
    }
    Committer current = committer();
    current.state().producerTopic(topic, producer);
    return current.submit(
        new Append(
            topic, producer, List.copyOf(texts), List.copyOf(ids), settings.commitDeadline()));
  }

  /**
   * Gives a consumer its next messages, at most {@code max}, and moves its offset past them; the
   * move is committed before the messages are handed over. With nothing to give, it waits up to
   * {@code wait} for a message, without holding a thread.
   *
   * @param emptyIsRefusal whether having nothing to give is {@code queue_empty} (plain v1) rather
   *     than an empty list
   */
  public CompletableFuture<List<String>> consume(
      TopicName topic, ConsumerId consumer, int max, boolean emptyIsRefusal, Duration wait) {
    if (max < 1 || max > QueueSettings.CONSUME_MAX_MESSAGES) {
      throw new IllegalArgumentException("max out of range: " + max);
    }
    if (wait.isNegative() || wait.compareTo(QueueSettings.CONSUME_MAX_WAIT) > 0) {
      throw new IllegalArgumentException("wait out of range: " + wait);
    }
    Committer current = committer();
    ConsumerCursor cursor = current.state().consumer(topic, consumer);
    if (cursor.lag() == 0 && wait.isZero()) {
      if (emptyIsRefusal) {
        throw LogQueueException.queueEmpty(consumer, topic);
      }
      return CompletableFuture.completedFuture(List.of());
    }
    TopicLog log = cursor.topic();
    long offset = cursor.offset();
    if (offset < log.windowStart()) {
      prefetch(log, offset);
    }
    return current.submit(
        new Consume(
            topic,
            consumer,
            max,
            emptyIsRefusal,
            System.nanoTime() + wait.toNanos(),
            settings.commitDeadline()));
  }

  /** How many messages the consumer has not read yet. */
  public long size(TopicName topic, ConsumerId consumer) {
    return committer().state().consumer(topic, consumer).lag();
  }

  /** Reads history on the request's thread, so that the committer finds it cached. */
  private void prefetch(TopicLog log, long offset) {
    try {
      history.prefetch(log.id(), offset, log.end());
    } catch (StoreException e) {
      // the committer reads it itself, and refuses the request if the store does not answer
      LOG.log(Level.DEBUG, "History prefetch failed", e);
    }
  }

  /** The message's length in UTF-8, checked against the limit. */
  private long checkSize(String text) {
    long bytes = Utf8.length(text);
    if (bytes < 0) {
      throw LogQueueException.badRequest("Message is not valid Unicode (a lone surrogate)");
    }
    if (bytes > settings.maxMessageBytes()) {
      throw LogQueueException.messageTooLarge(bytes, settings.maxMessageBytes());
    }
    return bytes;
  }

  private Committer committer() {
    Committer current = committer;
    if (current == null) {
      throw LogQueueException.unavailable("The broker is starting; try again");
    }
    return current;
  }
}
