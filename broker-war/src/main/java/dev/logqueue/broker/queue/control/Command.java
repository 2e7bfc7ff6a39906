package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A change the committer applies to a batch, in the order requests arrived. Its outcome is kept
 * until the batch has committed: nobody learns of a change before it is durable.
 */
abstract sealed class Command<T>
    permits Command.CreateTopic,
        Command.RegisterProducer,
        Command.RegisterConsumer,
        Command.Append,
        Command.Consume {

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int PARKED = 2;
  private static final int WITHDRAWN = 3;

  private final AtomicInteger phase = new AtomicInteger(QUEUED);
  private final Outcome<T> future = new Outcome<>(this);
  private volatile long deadline;
  private T value;
  private RuntimeException refusal;

  Command(long deadline) {
    this.deadline = deadline;
  }

  /** Applies the change to the batch, or refuses it; refusals change nothing. */
  abstract T apply(Batch batch);

  /** How many messages the command writes or reads: what it weighs in a batch. */
  int weight() {
    return 1;
  }

  /**
   * The outcome. Cancelling it withdraws the command if the committer has not taken it (or it waits
   * parked): then nothing of it happens; once taken, it can no longer be cancelled.
   */
  CompletableFuture<T> future() {
    return future;
  }

  boolean isExpired(long now) {
    return now - deadline > 0;
  }

  /** The committer takes the command; false if it was withdrawn first. */
  boolean take() {
    return phase.compareAndSet(QUEUED, TAKEN);
  }

  /** Whether the last {@link #apply} asked to wait for a message instead of answering. */
  boolean isParked() {
    return false;
  }

  /** The committer parks a taken command until its topic grows or its wait ends. */
  void park() {
    phase.set(PARKED);
  }

  /** The committer takes a parked command back, to apply it again; false if it was withdrawn. */
  boolean wake(long newDeadline) {
    if (phase.compareAndSet(PARKED, TAKEN)) {
      deadline = newDeadline;
      return true;
    }
    return false;
  }

  /** Withdraws a command that is queued or parked; false if the committer has it. */
  boolean withdraw() {
    return phase.compareAndSet(QUEUED, WITHDRAWN) || phase.compareAndSet(PARKED, WITHDRAWN);
  }

  boolean isDone() {
    return future.isDone();
  }

  final void stage(Batch batch) {
    value = null;
    refusal = null;
    try {
      value = apply(batch);
    } catch (LogQueueException e) {
      refusal = e;
    }
  }

  /** Delivers the outcome; called once the batch has committed. */
  final void complete() {
    if (refusal != null) {
      future.completeExceptionally(refusal);
    } else {
      future.complete(value);
    }
  }

  final void fail(RuntimeException failure) {
    future.completeExceptionally(failure);
  }

  /** A future whose cancel withdraws its command, and fails if the command is too far along. */
  static final class Outcome<T> extends CompletableFuture<T> {
    private final Command<T> command;

    Outcome(Command<T> command) {
      this.command = command;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return command.withdraw() && super.cancel(false);
    }
  }

  static final class CreateTopic extends Command<Void> {
    private final TopicName name;

    CreateTopic(TopicName name, long deadline) {
      super(deadline);
      this.name = name;
    }

    @Override
    Void apply(Batch batch) {
      if (batch.findTopic(name) != null) {
        throw LogQueueException.topicExists(name);
      }
      batch.createTopic(name);
      return null;
    }
  }

  /** Registers a producer, creating its topic if there is none. */
  static final class RegisterProducer extends Command<ProducerId> {
    private final TopicName name;

    RegisterProducer(TopicName name, long deadline) {
      super(deadline);
      this.name = name;
    }

    @Override
    ProducerId apply(Batch batch) {
      TopicLog topic = batch.findTopic(name);
      return batch.registerProducer(topic != null ? topic : batch.createTopic(name));
    }
  }

  static final class RegisterConsumer extends Command<ConsumerId> {
    private final TopicName name;

    RegisterConsumer(TopicName name, long deadline) {
      super(deadline);
      this.name = name;
    }

    @Override
    ConsumerId apply(Batch batch) {
      TopicLog topic = batch.findTopic(name);
      if (topic == null) {
        throw LogQueueException.topicNotFound(name);
      }
      return batch.registerConsumer(topic);
    }
  }

  /**
   * Appends messages of one producer, all or none, except those whose id was appended already; the
   * outcome is where each went.
   */
  static final class Append extends Command<Appended> {
    private final TopicName topic;
    private final ProducerId producer;
    private final List<String> texts;
    private final List<MessageId> ids;

    Append(
        TopicName topic,
        ProducerId producer,
        List<String> texts,
        List<MessageId> ids,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.producer = producer;
      this.texts = texts;
      this.ids = ids;
    }

    @Override
    int weight() {
      return texts.size();
    }

    @Override
    Appended apply(Batch batch) {
      TopicLog log = batch.state().producerTopic(topic, producer);
      return batch.append(log, producer, texts, ids);
    }
  }

  /**
   * Gives a consumer its next messages, at most {@code max}, and moves its offset past them. With
   * nothing to give it waits (parked, holding no thread) until {@code waitUntil} for a message; if
   * none comes, the plain v1 consume ({@code emptyIsRefusal}) is {@code queue_empty}, a batch
   * consume an empty list.
   */
  static final class Consume extends Command<List<String>> {
    private final TopicName topic;
    private final ConsumerId consumer;
    private final int max;
    private final boolean emptyIsRefusal;
    private final long waitUntil;
    private boolean parked;
    private volatile Future<?> timer;

    Consume(
        TopicName topic,
        ConsumerId consumer,
        int max,
        boolean emptyIsRefusal,
        long waitUntil,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.consumer = consumer;
      this.max = max;
      this.emptyIsRefusal = emptyIsRefusal;
      this.waitUntil = waitUntil;
    }

    TopicName topic() {
      return topic;
    }

    @Override
    int weight() {
      return max;
    }

    @Override
    boolean isParked() {
      return parked;
    }

    long waitUntil() {
      return waitUntil;
    }

    void timer(Future<?> timer) {
      this.timer = timer;
    }

    Future<?> timer() {
      return timer;
    }

    @Override
    List<String> apply(Batch batch) {
      parked = false;
      ConsumerCursor cursor = batch.state().consumer(topic, consumer);
      long from = batch.offset(cursor);
      List<String> texts = batch.read(cursor.topic(), from, max);
      if (texts.isEmpty()) {
        if (System.nanoTime() - waitUntil < 0) {
          parked = true;
          return null;
        }
        return nothing();
      }
      batch.move(cursor, from + texts.size());
      return texts;
    }

    /** The answer when nothing came. */
    List<String> nothing() {
      if (emptyIsRefusal) {
        throw LogQueueException.queueEmpty(consumer, topic);
      }
      return List.of();
    }

    /** Ends a wait that no message ended: answers as an empty queue. */
    void expire() {
      if (withdraw()) {
        try {
          future().complete(nothing());
        } catch (LogQueueException e) {
          future().completeExceptionally(e);
        }
      }
    }
  }
}
