package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Command.Ack;
import dev.logqueue.broker.queue.control.Command.Append;
import dev.logqueue.broker.queue.control.Command.Browse;
import dev.logqueue.broker.queue.control.Command.Consume;
import dev.logqueue.broker.queue.control.Command.CreateTopic;
import dev.logqueue.broker.queue.control.Command.DeleteConsumer;
import dev.logqueue.broker.queue.control.Command.DeleteTopic;
import dev.logqueue.broker.queue.control.Command.Inspect;
import dev.logqueue.broker.queue.control.Command.RegisterConsumer;
import dev.logqueue.broker.queue.control.Command.RegisterProducer;
import dev.logqueue.broker.queue.control.Command.Seek;
import dev.logqueue.broker.queue.control.Command.SetRetention;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The queue: topics, producers, consumers and their positions, and the rules between them. Reads
 * are answered from memory; every change goes through the committer and is answered only once it is
 * committed to the store.
 */
@ApplicationScoped
public class LogQueueService {

  private static final Logger LOG = System.getLogger(LogQueueService.class.getName());

  @Inject QueueEngine engine;

  /** For CDI. */
  protected LogQueueService() {}

  /** Outside a container (tests). */
  LogQueueService(QueueEngine engine) {
    this.engine = engine;
  }

  /** Creates a topic that follows the broker's default retention. */
  public CompletableFuture<Void> createTopic(TopicName name) {
    return createTopic(name, Retention.DEFAULTS);
  }

  /**
   * Creates a topic with its own retention: {@link Retention#DEFAULT} fields follow the broker's.
   */
  public CompletableFuture<Void> createTopic(TopicName name, Retention retention) {
    return committer().submit(new CreateTopic(name, retention, 1, deadline()));
  }

  /** Topic names in creation order; in a cluster, those of every member. */
  public List<TopicName> topics() {
    QueueState state = committer().state();
    if (state.claims().isClustered()) {
      try {
        return engine.placement().topicNames();
      } catch (StoreException e) {
        throw LogQueueException.unavailable("The broker's database is unavailable; try again", e);
      }
    }
    return state.topicNames();
  }

  /** A topic's range, retention, producers and consumers, from memory. */
  public CompletableFuture<TopicDetails> topic(TopicName name) {
    Committer current = committer();
    TopicLog topic = current.state().topic(name);
    prefetchPositions(current.state(), topic);
    return current
        .submit(new Inspect(name, false, deadline()))
        .thenApply(details -> details.get(0));
  }

  /** Every topic's details, in creation order. */
  public CompletableFuture<List<TopicDetails>> topicDetails() {
    return topicDetails(false);
  }

  /**
   * Every topic's details, in creation order; with {@code partitions}, also those of the logs of
   * the partitions above 0 this broker serves (all in creation order).
   */
  public CompletableFuture<List<TopicDetails>> topicDetails(boolean partitions) {
    Committer current = committer();
    QueueState state = current.state();
    state.allTopics().forEach(topic -> prefetchPositions(state, topic));
    return current.submit(new Inspect(null, partitions, deadline()));
  }

  /**
   * Up to {@code max} committed messages of a topic, read without a consumer: from {@code offset}
   * (raised to the topic's start), or from the first appended at or after {@code timestamp}, or
   * (neither) the newest.
   */
  public CompletableFuture<Browsed> browse(
      TopicName name, OptionalLong offset, OptionalLong timestamp, int max) {
    if (offset.isPresent() && timestamp.isPresent()) {
      throw LogQueueException.badRequest("Send 'offset' or 'timestamp', not both");
    }
    Committer current = committer();
    TopicLog topic = current.state().topic(name);
    long searchedUntil = topic.windowStart();
    long stored = searchedUntil;
    if (timestamp.isPresent()) {
      try {
        stored =
            engine
                .history()
                .firstAtOrAfter(topic.id(), topic.start(), searchedUntil, timestamp.getAsLong());
      } catch (StoreException e) {
        throw LogQueueException.unavailable("The broker's database is unavailable; try again", e);
      }
    }
    long from =
        offset.isPresent()
            ? offset.getAsLong()
            : timestamp.isPresent() ? stored : topic.end() - max;
    if (from < topic.windowStart()) {
      prefetch(topic, Math.max(from, topic.start()));
    }
    return current.submit(
        new Browse(name, offset, timestamp, stored, searchedUntil, max, deadline()));
  }

  /**
   * Changes a topic's own retention ({@link Retention#UNCHANGED} fields stay as they are, {@link
   * Retention#DEFAULT} ones follow the broker's), committed before the answer: the topic then.
   */
  public CompletableFuture<TopicDetails> setRetention(TopicName name, Retention change) {
    Committer current = committer();
    current.state().topic(name);
    return current
        .submit(new SetRetention(name, change, deadline()))
        .thenCompose(changed -> topic(name));
  }

  /**
   * Deletes a topic, its producers and its consumers, committed before the answer; its messages are
   * unreachable from then on, and their rows are deleted in the background. Ids are never issued
   * again; the name may be.
   */
  public CompletableFuture<Void> deleteTopic(TopicName name) {
    Committer current = committer();
    current.state().topic(name);
    return current.submit(new DeleteTopic(name, deadline()));
  }

  /** Deletes a consumer of a topic, committed before the answer; its id is never issued again. */
  public CompletableFuture<Void> deleteConsumer(TopicName topic, ConsumerId consumer) {
    return deleteConsumer(topic, consumer, Caller.ANYONE);
  }

  /** As {@link #deleteConsumer(TopicName, ConsumerId)}, if the caller may use that consumer. */
  public CompletableFuture<Void> deleteConsumer(
      TopicName topic, ConsumerId consumer, Caller caller) {
    Committer current = committer();
    owned(current.state().consumer(topic, consumer), caller);
    return current.submit(new DeleteConsumer(topic, consumer, deadline()));
  }

  /** Registers a producer for a topic, creating the topic if it does not exist. */
  public CompletableFuture<ProducerId> registerProducer(TopicName topic) {
    return registerProducer(topic, Caller.ANYONE);
  }

  /** As {@link #registerProducer(TopicName)}; the producer belongs to the caller's subject. */
  public CompletableFuture<ProducerId> registerProducer(TopicName topic, Caller caller) {
    return committer().submit(new RegisterProducer(topic, caller.owner(), deadline()));
  }

  /** Registers a v1 consumer of an existing topic: anonymous, auto, from the first message. */
  public CompletableFuture<Registered> registerConsumer(TopicName topic) {
    return registerConsumer(topic, ConsumerSettings.V1, Start.EARLIEST);
  }

  /**
   * Registers a consumer of an existing topic, starting at {@code start}; a durable consumer (one
   * with a name) registered before with the same settings is answered again.
   */
  public CompletableFuture<Registered> registerConsumer(
      TopicName topic, ConsumerSettings settings, Start start) {
    return registerConsumer(topic, settings, start, Caller.ANYONE);
  }

  /**
   * As {@link #registerConsumer(TopicName, ConsumerSettings, Start)}; a new consumer belongs to the
   * caller's subject, and a durable one registered before is answered only to a caller who may use
   * it.
   */
  public CompletableFuture<Registered> registerConsumer(
      TopicName topic, ConsumerSettings settings, Start start, Caller caller) {
    if (topic.equals(settings.deadLetterTopic())) {
      throw LogQueueException.badRequest("A topic cannot be its own dead-letter topic");
    }
    Claims claims = committer().state().claims();
    if (settings.deadLetterTopic() != null
        && !Claims.placementKey(topic).equals(Claims.placementKey(settings.deadLetterTopic()))
        && claims.isClustered()) {
      throw LogQueueException.badRequest(
          "In a cluster a dead-letter topic lives with its topic: its name begins as the topic's"
              + " does, up to the first '.' (for topic '"
              + topic
              + "', '"
              + Claims.placementKey(topic)
              + ".dlq' for instance)");
    }
    return committer().submit(new RegisterConsumer(topic, settings, start, caller, deadline()));
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
    return produce(topic, producer, texts, ids, Caller.ANYONE);
  }

  /** As {@link #produce(TopicName, ProducerId, List, List)}, if the caller may use the producer. */
  public CompletableFuture<Appended> produce(
      TopicName topic,
      ProducerId producer,
      List<String> texts,
      List<MessageId> ids,
      Caller caller) {
    QueueSettings settings = engine.settings();
    if (!ids.isEmpty() && ids.size() != texts.size()) {
      throw LogQueueException.badRequest(
          ids.size() + " message ids for " + texts.size() + " messages; send one per message");
    }
    if (texts.size() > settings.produceMaxMessages()) {
      throw new LogQueueException(
          ErrorCode.MESSAGE_TOO_LARGE,
          texts.size() + " messages in one request; the limit is " + settings.produceMaxMessages());
    }
    long[] lengths = new long[texts.size()];
    long bytes = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = checkSize(texts.get(i));
      bytes += lengths[i];
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
    caller.mayUse(current.state().producerOwner(producer), null, "Producer " + producer);
    return current.submit(
        new Append(topic, producer, List.copyOf(texts), lengths, List.copyOf(ids), deadline()));
  }

  /**
   * A consume that settles nothing first: {@link #consume(TopicName, ConsumerId, int, Duration,
   * AckRequest)}.
   */
  public CompletableFuture<Taken> consume(
      TopicName topic, ConsumerId consumer, int max, Duration wait) {
    return consume(topic, consumer, max, wait, AckRequest.NONE);
  }

  /**
   * Gives a consumer its next messages, at most {@code max}. An auto consumer's offset moves past
   * them, committed before they are handed over; an explicit consumer first settles what {@code
   * settle} says (committed), then its messages are leased to it, in memory. With nothing to give,
   * it waits up to {@code wait} for a message, without holding a thread; then the answer is empty.
   */
  public CompletableFuture<Taken> consume(
      TopicName topic, ConsumerId consumer, int max, Duration wait, AckRequest settle) {
    return consume(topic, consumer, max, wait, settle, Caller.ANYONE);
  }

  /** As {@link #consume(TopicName, ConsumerId, int, Duration, AckRequest)}, for its owner. */
  public CompletableFuture<Taken> consume(
      TopicName topic,
      ConsumerId consumer,
      int max,
      Duration wait,
      AckRequest settle,
      Caller caller) {
    if (max < 1 || max > QueueSettings.CONSUME_MAX_MESSAGES) {
      throw new IllegalArgumentException("max out of range: " + max);
    }
    if (wait.isNegative() || wait.compareTo(QueueSettings.CONSUME_MAX_WAIT) > 0) {
      throw new IllegalArgumentException("wait out of range: " + wait);
    }
    Committer current = committer();
    ConsumerCursor cursor = owned(current.state().consumer(topic, consumer), caller);
    if (!cursor.isExplicit()) {
      if (!settle.isEmpty()) {
        throw LogQueueException.notExplicit(consumer);
      }
      if (cursor.lag() == 0 && wait.isZero()) {
        return CompletableFuture.completedFuture(new Taken(List.of(), false, 0, 0));
      }
      TopicLog log = cursor.topic();
      long offset = cursor.offset();
      if (offset < log.windowStart()) {
        prefetch(log, offset);
      }
    }
    return current.submit(
        new Consume(
            topic,
            consumer,
            max,
            settle,
            engine.settings().maxLeases(),
            System.nanoTime() + wait.toNanos(),
            deadline()));
  }

  /** Settles an explicit consumer's messages, committed before the answer. */
  public CompletableFuture<Acked> ack(TopicName topic, ConsumerId consumer, AckRequest request) {
    return ack(topic, consumer, request, Caller.ANYONE);
  }

  /** As {@link #ack(TopicName, ConsumerId, AckRequest)}, for the consumer's owner. */
  public CompletableFuture<Acked> ack(
      TopicName topic, ConsumerId consumer, AckRequest request, Caller caller) {
    Committer current = committer();
    if (!owned(current.state().consumer(topic, consumer), caller).isExplicit()) {
      throw LogQueueException.notExplicit(consumer);
    }
    return current.submit(new Ack(topic, consumer, request, deadline()));
  }

  /**
   * Moves a consumer to {@code offset} (clamped to the topic), or to the first message appended at
   * or after {@code timestamp}; committed before the answer, which is the offset.
   */
  public CompletableFuture<Long> seek(
      TopicName topic, ConsumerId consumer, OptionalLong offset, OptionalLong timestamp) {
    return seek(topic, consumer, offset, timestamp, Caller.ANYONE);
  }

  /** As {@link #seek(TopicName, ConsumerId, OptionalLong, OptionalLong)}, for its owner. */
  public CompletableFuture<Long> seek(
      TopicName topic,
      ConsumerId consumer,
      OptionalLong offset,
      OptionalLong timestamp,
      Caller caller) {
    if (offset.isPresent() == timestamp.isPresent()) {
      throw LogQueueException.badRequest("Send 'offset' or 'timestamp', one of them");
    }
    Committer current = committer();
    owned(current.state().consumer(topic, consumer), caller);
    return current.submit(new Seek(topic, consumer, offset, timestamp, deadline()));
  }

  /**
   * How many messages the consumer has not read yet (auto), or not settled yet (explicit, leased
   * ones included).
   */
  public long size(TopicName topic, ConsumerId consumer) {
    return size(topic, consumer, Caller.ANYONE);
  }

  /** As {@link #size(TopicName, ConsumerId)}, for the consumer's owner. */
  public long size(TopicName topic, ConsumerId consumer, Caller caller) {
    return owned(committer().state().consumer(topic, consumer), caller).lag();
  }

  /** The consumer, if the caller may use it (its owner, a sharer of its name, an admin). */
  private static ConsumerCursor owned(ConsumerCursor consumer, Caller caller) {
    caller.mayUse(consumer.owner(), consumer.settings().name(), "Consumer " + consumer.id());
    return consumer;
  }

  /** Reads the messages a topic's consumers are at into the cache, where the window lacks them. */
  private void prefetchPositions(QueueState state, TopicLog topic) {
    for (ConsumerCursor consumer : state.consumersOf(topic)) {
      long offset = Math.max(consumer.offset(), topic.start());
      if (offset < topic.windowStart() && offset < topic.end()) {
        prefetch(topic, offset);
      }
    }
  }

  /** Reads history on the request's thread, so that the committer finds it cached. */
  private void prefetch(TopicLog log, long offset) {
    try {
      engine.history().prefetch(log.id(), offset, log.start(), log.end());
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
    if (bytes > engine.settings().maxMessageBytes()) {
      throw LogQueueException.messageTooLarge(bytes, engine.settings().maxMessageBytes());
    }
    return bytes;
  }

  private long deadline() {
    return engine.settings().commitDeadline();
  }

  private Committer committer() {
    return engine.committer();
  }
}
