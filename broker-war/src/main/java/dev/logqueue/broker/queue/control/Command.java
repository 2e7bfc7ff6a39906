package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ConsumerSettings;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Message;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A change the committer applies to a batch, in the order requests arrived. Its outcome is kept
 * until the batch has committed: nobody learns of a change before it is durable.
 */
abstract sealed class Command<T>
    permits Command.CreateTopic,
        Command.RegisterProducer,
        Command.RegisterConsumer,
        Command.OpenCursor,
        Command.Append,
        Command.Consume,
        Command.Ack,
        Command.Seek,
        Command.Sweep,
        Command.SetRetention,
        Command.Retain,
        Command.DeleteTopic,
        Command.DeleteConsumer,
        Command.Inspect,
        Command.Browse {

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int PARKED = 2;
  private static final int WITHDRAWN = 3;

  private final AtomicInteger phase = new AtomicInteger(QUEUED);
  private final Outcome<T> future = new Outcome<>(this);
  private volatile long deadline;
  private volatile AtomicLong parkedIn;
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
   * Whether the command is committed in a batch of its own: a deletion, which no other command of
   * its batch may see half done (nor write rows of what it deletes, before or after it).
   */
  boolean isExclusive() {
    return false;
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

  /**
   * The committer parks a taken command until its topic grows or its wait ends; {@code waiting}
   * counts it until it leaves.
   */
  void park(AtomicLong waiting) {
    parkedIn = waiting;
    waiting.incrementAndGet();
    phase.set(PARKED);
  }

  /** Called once by whoever moved the command out of the parked phase. */
  private boolean unparked() {
    AtomicLong waiting = parkedIn;
    parkedIn = null;
    waiting.decrementAndGet();
    return true;
  }

  /** The committer takes a parked command back, to apply it again; false if it was withdrawn. */
  boolean wake(long newDeadline) {
    if (phase.compareAndSet(PARKED, TAKEN) && unparked()) {
      deadline = newDeadline;
      return true;
    }
    return false;
  }

  /**
   * A timer hands a parked command back to the committer's queue, to be applied again; false if it
   * was withdrawn or woken first.
   */
  boolean requeue(long newDeadline) {
    if (phase.compareAndSet(PARKED, QUEUED) && unparked()) {
      deadline = newDeadline;
      return true;
    }
    return false;
  }

  /** Withdraws a command that is queued or parked; false if the committer has it. */
  boolean withdraw() {
    return phase.compareAndSet(QUEUED, WITHDRAWN)
        || (phase.compareAndSet(PARKED, WITHDRAWN) && unparked());
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

  /**
   * Creates a topic with its own retention ({@link Retention#DEFAULT} fields follow the broker).
   */
  static final class CreateTopic extends Command<Void> {
    private final TopicName name;
    private final Retention retention;
    private final int partitions;

    CreateTopic(TopicName name, Retention retention, int partitions, long deadline) {
      super(deadline);
      this.name = name;
      this.retention = retention;
      this.partitions = partitions;
    }

    @Override
    Void apply(Batch batch) {
      if (batch.findTopic(name).isPresent()) {
        throw LogQueueException.topicExists(name);
      }
      batch.createTopic(name, retention, partitions);
      return null;
    }
  }

  /** Registers a producer, creating its topic if there is none. */
  static final class RegisterProducer extends Command<ProducerId> {
    private final TopicName name;
    private final String owner;

    RegisterProducer(TopicName name, String owner, long deadline) {
      super(deadline);
      this.name = name;
      this.owner = owner;
    }

    @Override
    ProducerId apply(Batch batch) {
      return batch.registerProducer(batch.topicOrCreate(name), owner);
    }
  }

  /**
   * Registers a consumer of an existing topic; a durable one (with a name) registered before is
   * found again, if its settings are the same.
   */
  static final class RegisterConsumer extends Command<Registered> {
    private final TopicName name;
    private final ConsumerSettings settings;
    private final Start start;
    private final Caller caller;

    RegisterConsumer(
        TopicName name, ConsumerSettings settings, Start start, Caller caller, long deadline) {
      super(deadline);
      this.name = name;
      this.settings = settings;
      this.start = start;
      this.caller = caller;
    }

    @Override
    Registered apply(Batch batch) {
      TopicLog topic =
          batch.findTopic(name).orElseThrow(() -> LogQueueException.topicNotFound(name));
      if (settings.name() != null) {
        Optional<ConsumerCursor> known =
            batch
                .state()
                .findConsumer(topic, settings.name())
                .or(() -> batch.findNewConsumer(topic, settings.name()));
        if (known.isPresent()) {
          ConsumerCursor existing = known.get();
          caller.mayUse(
              existing.owner(), existing.settings().name(), "Consumer '" + settings.name() + "'");
          if (!existing.settings().equals(settings)) {
            throw LogQueueException.consumerExists(settings.name(), name);
          }
          return new Registered(existing.id(), true, settings, existing.offset());
        }
      }
      if (topic.partitions() > 1 && settings.hasDeadLetterTopic()) {
        throw LogQueueException.badRequest(
            "Topic '"
                + name
                + "' has "
                + topic.partitions()
                + " partitions: its consumers cannot have a dead-letter topic (yet)");
      }
      long offset = start.resolve(topic.start(), batch.end(topic));
      ConsumerCursor consumer = batch.registerConsumer(topic, settings, offset, caller.owner());
      if (topic.partitions() > 1) {
        consumer.startAt(PartitionStart.of(start, batch.now()));
        openCursors(batch, topic, consumer);
      }
      return new Registered(consumer.id(), false, settings, offset);
    }

    /**
     * Opens the new consumer's cursors on the partitions this broker serves (a single broker: all),
     * where they are now; those of partitions other members serve open when first used there, from
     * the registration's time ({@link PartitionStart}).
     */
    private void openCursors(Batch batch, TopicLog topic, ConsumerCursor consumer) {
      for (int p = 1; p < topic.partitions(); p++) {
        TopicName log = Partition.log(name, topic.id(), p);
        if (!batch.state().claims().covers(log)) {
          continue;
        }
        TopicLog partition =
            batch.findTopic(log).orElseGet(() -> batch.createTopic(log, topic.retention(), 1));
        batch.registerConsumer(
            Partition.cursor(consumer.id(), p),
            partition,
            settings,
            start.resolve(partition.start(), batch.end(partition)),
            caller.owner());
      }
    }
  }

  /**
   * Opens a consumer's cursor on a partition of its topic above 0 (the partition's log), where its
   * registration said it begins; nothing if the cursor is open already.
   */
  static final class OpenCursor extends Command<ConsumerId> {
    private final TopicName log;
    private final ConsumerId cursor;
    private final ConsumerSettings settings;
    private final String owner;
    private final String startAt;

    OpenCursor(
        TopicName log,
        ConsumerId cursor,
        ConsumerSettings settings,
        String owner,
        String startAt,
        long deadline) {
      super(deadline);
      this.log = log;
      this.cursor = cursor;
      this.settings = settings;
      this.owner = owner;
      this.startAt = startAt;
    }

    @Override
    ConsumerId apply(Batch batch) {
      TopicLog topic = batch.findTopic(log).orElseThrow(() -> LogQueueException.topicNotFound(log));
      if (batch.state().findConsumer(cursor).isPresent() || batch.isNewConsumer(cursor)) {
        return cursor;
      }
      long offset = PartitionStart.offset(startAt, topic, batch);
      batch.registerConsumer(cursor, topic, settings, offset, owner);
      return cursor;
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
    private final long[] lengths;
    private final List<MessageId> ids;

    /** {@code lengths} are the texts' lengths in UTF-8, measured by the caller's size check. */
    Append(
        TopicName topic,
        ProducerId producer,
        List<String> texts,
        long[] lengths,
        List<MessageId> ids,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.producer = producer;
      this.texts = texts;
      this.lengths = lengths;
      this.ids = ids;
    }

    @Override
    int weight() {
      return texts.size();
    }

    @Override
    Appended apply(Batch batch) {
      TopicLog log = batch.state().producerTopic(topic, producer);
      return batch.append(log, producer, texts, lengths, ids);
    }
  }

  /**
   * Gives a consumer its next messages, at most {@code max}. An auto consumer's offset moves past
   * them, committed before they are handed over; an explicit consumer's are leased to it, in
   * memory, after what the request settles (applied once, first). With nothing to give it waits
   * (parked, holding no thread) until {@code waitUntil} for a message; if none comes, the answer is
   * empty.
   */
  static final class Consume extends Command<Taken> {
    private final TopicName topic;
    private final ConsumerId consumer;
    private final int max;
    private final long waitUntil;
    private final int maxPending;
    private AckRequest settle;
    private boolean parked;
    private long wakeAt;
    private volatile Future<?> timer;
    private volatile boolean explicit;

    Consume(
        TopicName topic,
        ConsumerId consumer,
        int max,
        AckRequest settle,
        int maxPending,
        long waitUntil,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.consumer = consumer;
      this.max = max;
      this.settle = settle;
      this.maxPending = maxPending;
      this.waitUntil = waitUntil;
    }

    TopicName topic() {
      return topic;
    }

    @Override
    int weight() {
      return max + settle.size();
    }

    /** Whether the last {@link #apply} asked to wait instead of answering. */
    boolean isParked() {
      return parked;
    }

    long waitUntil() {
      return waitUntil;
    }

    /** When to look again, in {@link System#nanoTime()} terms: the wait's end, or a lease's. */
    long wakeAt() {
      return wakeAt;
    }

    void timer(Future<?> timer) {
      this.timer = timer;
    }

    void cancelTimer() {
      Future<?> current = timer;
      if (current != null) {
        current.cancel(false);
      }
    }

    @Override
    Taken apply(Batch batch) {
      parked = false;
      ConsumerCursor cursor = batch.state().consumer(topic, consumer);
      explicit = cursor.isExplicit();
      Taken taken = explicit ? leased(batch, cursor) : moved(batch, cursor);
      if (taken.isEmpty() && System.nanoTime() - waitUntil < 0) {
        parked = true;
        wakeAt = waitUntil;
        if (explicit) {
          long expiry = cursor.deliveries().nextExpiry();
          if (expiry != Long.MAX_VALUE) {
            long untilExpiry = Math.max(0, expiry - batch.now()) * 1_000_000;
            if (untilExpiry < waitUntil - System.nanoTime()) {
              wakeAt = System.nanoTime() + untilExpiry;
            }
          }
        }
        return null;
      }
      return taken;
    }

    private Taken moved(Batch batch, ConsumerCursor cursor) {
      if (!settle.isEmpty()) {
        throw LogQueueException.notExplicit(consumer);
      }
      long from = batch.offset(cursor);
      List<Message> messages = batch.read(cursor.topic(), from, max);
      batch.move(cursor, from + messages.size());
      List<Taken.Record> records = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        records.add(new Taken.Record(from + i, messages.get(i), 1));
      }
      return new Taken(records, false, 0, tellSkipped(batch, cursor, records));
    }

    private Taken leased(Batch batch, ConsumerCursor cursor) {
      if (!settle.isEmpty()) {
        Settling.apply(batch, cursor, settle);
        settle = AckRequest.NONE; // applied once, even if the consume waits and applies again
      }
      Taken taken = Leasing.lease(batch, cursor, max, maxPending);
      long skipped = tellSkipped(batch, cursor, taken.records());
      return skipped == 0 ? taken : new Taken(taken.records(), true, taken.leaseUntil(), skipped);
    }

    /**
     * What retention skipped of this consumer, told with the first messages it is given after (and
     * then forgotten, in the same commit): an empty answer tells nothing, so nothing is told twice
     * nor lost.
     */
    private static long tellSkipped(Batch batch, ConsumerCursor cursor, List<Taken.Record> given) {
      long skipped = batch.skipped(cursor);
      if (skipped == 0 || given.isEmpty()) {
        return 0;
      }
      batch.skipped(cursor, 0);
      return skipped;
    }

    /** Ends a wait that no message ended: answers empty. */
    void expire() {
      if (withdraw()) {
        future().complete(new Taken(List.of(), explicit, 0, 0));
      }
    }
  }

  /** Settles an explicit consumer's messages: POST /consumer/ack. */
  static final class Ack extends Command<Acked> {
    private final TopicName topic;
    private final ConsumerId consumer;
    private final AckRequest request;

    Ack(TopicName topic, ConsumerId consumer, AckRequest request, long deadline) {
      super(deadline);
      this.topic = topic;
      this.consumer = consumer;
      this.request = request;
    }

    @Override
    int weight() {
      return request.size();
    }

    @Override
    Acked apply(Batch batch) {
      return Settling.apply(batch, batch.state().consumer(topic, consumer), request);
    }
  }

  /**
   * Moves a consumer to an offset, or to the first message appended at or after a time; an explicit
   * consumer drops its leases and acknowledgements. The outcome is the offset.
   */
  static final class Seek extends Command<Long> {
    private final TopicName topic;
    private final ConsumerId consumer;
    private final OptionalLong offset;
    private final OptionalLong timestamp;

    Seek(
        TopicName topic,
        ConsumerId consumer,
        OptionalLong offset,
        OptionalLong timestamp,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.consumer = consumer;
      this.offset = offset;
      this.timestamp = timestamp;
    }

    @Override
    Long apply(Batch batch) {
      ConsumerCursor cursor = batch.state().consumer(topic, consumer);
      TopicLog log = cursor.topic();
      long end = log.end();
      long position =
          offset.isPresent()
              ? Math.max(log.start(), Math.min(offset.getAsLong(), end))
              : batch.firstAtOrAfter(log, timestamp.getAsLong());
      if (cursor.isExplicit()) {
        cursor.deliveries().seek(position);
        batch.settled(cursor);
        batch.released(log);
      } else {
        batch.move(cursor, position);
      }
      return position;
    }
  }

  /**
   * Dead-letters what is due on every consumer with a dead-letter topic, whether or not it
   * consumes: messages whose lease ended at their last allowed delivery. Submitted by a timer; it
   * commits only if there was something to move.
   */
  static final class Sweep extends Command<Void> {

    Sweep(long deadline) {
      super(deadline);
    }

    @Override
    Void apply(Batch batch) {
      for (ConsumerCursor consumer : batch.state().deadLettering()) {
        if (consumer.deliveries().nextExpiry() <= batch.now()) {
          Leasing.deadLetterDue(batch, consumer);
        }
      }
      return null;
    }
  }

  /** Changes a topic's own retention; the outcome is the topic. */
  static final class SetRetention extends Command<TopicLog> {
    private final TopicName name;
    private final Retention change;

    /**
     * {@code change}: {@link Retention#UNCHANGED} fields stay, {@link Retention#DEFAULT} ones
     * follow the broker.
     */
    SetRetention(TopicName name, Retention change, long deadline) {
      super(deadline);
      this.name = name;
      this.change = change;
    }

    @Override
    TopicLog apply(Batch batch) {
      TopicLog topic = batch.state().topic(name);
      batch.retention(topic, topic.retention().changedBy(change));
      return topic;
    }
  }

  /**
   * Moves a topic's first retained offset up, to where its retention found it: the messages below
   * are then deleted in the background. Submitted by {@link RetentionKeeper}; nothing if the topic
   * is gone or is there already.
   */
  static final class Retain extends Command<Void> {
    private final TopicLog topic;
    private final long start;
    private final long position;
    private final long time;

    Retain(TopicLog topic, long start, long position, long time, long deadline) {
      super(deadline);
      this.topic = topic;
      this.start = start;
      this.position = position;
      this.time = time;
    }

    @Override
    boolean isExclusive() {
      return true;
    }

    @Override
    Void apply(Batch batch) {
      // the topic as the keeper saw it: not if it was deleted, or the state rebuilt since
      boolean current = batch.state().findTopic(topic.name()).orElse(null) == topic;
      if (current && start > topic.start() && start <= topic.end()) {
        batch.retainFrom(topic, start, position, time);
      }
      return null;
    }
  }

  /** Deletes a topic, its producers, its consumers and its messages. */
  static final class DeleteTopic extends Command<Void> {
    private final TopicName name;

    DeleteTopic(TopicName name, long deadline) {
      super(deadline);
      this.name = name;
    }

    @Override
    boolean isExclusive() {
      return true;
    }

    @Override
    Void apply(Batch batch) {
      batch.deleteTopic(batch.state().topic(name));
      return null;
    }
  }

  /** Deletes a consumer of a topic. */
  static final class DeleteConsumer extends Command<Void> {
    private final TopicName topic;
    private final ConsumerId consumer;

    DeleteConsumer(TopicName topic, ConsumerId consumer, long deadline) {
      super(deadline);
      this.topic = topic;
      this.consumer = consumer;
    }

    @Override
    boolean isExclusive() {
      return true;
    }

    @Override
    Void apply(Batch batch) {
      batch.deleteConsumer(batch.state().consumer(topic, consumer));
      return null;
    }
  }

  /**
   * Reads the details of one topic, or of every topic in creation order: changes nothing. Its
   * consumers' lags in time read the messages they are at (in the window, or history that the
   * caller had read into the cache).
   */
  static final class Inspect extends Command<List<TopicDetails>> {
    private final TopicName topic;
    private final boolean partitions;

    /**
     * {@code topic}: null for every topic, with the logs of their partitions above 0 if {@code
     * partitions}.
     */
    Inspect(TopicName topic, boolean partitions, long deadline) {
      super(deadline);
      this.topic = topic;
      this.partitions = partitions;
    }

    @Override
    List<TopicDetails> apply(Batch batch) {
      List<TopicLog> topics =
          topic == null
              ? batch.state().allTopics().stream()
                  .filter(t -> partitions || !Partition.isLog(t.name()))
                  .toList()
              : List.of(batch.state().topic(topic));
      List<TopicDetails> details = new ArrayList<>(topics.size());
      for (TopicLog log : topics) {
        details.add(TopicDetails.of(batch, log));
      }
      return details;
    }
  }

  /**
   * Reads up to {@code max} committed messages of a topic without a consumer: from {@code offset}
   * (raised to the topic's start), from the first message appended at or after {@code timestamp},
   * or, with neither, the newest. Changes nothing.
   */
  static final class Browse extends Command<Browsed> {
    private final TopicName topic;
    private final OptionalLong offset;
    private final OptionalLong timestamp;
    private final long stored;
    private final long searchedUntil;
    private final int max;

    /**
     * With {@code timestamp}, the caller has asked the store (so that the committer does not wait
     * for it): {@code stored} is the first offset below {@code searchedUntil} (the window's start
     * then) of a message appended at or after it, {@code searchedUntil} if none.
     */
    Browse(
        TopicName topic,
        OptionalLong offset,
        OptionalLong timestamp,
        long stored,
        long searchedUntil,
        int max,
        long deadline) {
      super(deadline);
      this.topic = topic;
      this.offset = offset;
      this.timestamp = timestamp;
      this.stored = stored;
      this.searchedUntil = searchedUntil;
      this.max = max;
    }

    @Override
    int weight() {
      return max;
    }

    @Override
    Browsed apply(Batch batch) {
      TopicLog log = batch.state().topic(topic);
      long start = log.start();
      long end = log.end();
      long from;
      if (offset.isPresent()) {
        from = offset.getAsLong();
      } else if (timestamp.isPresent()) {
        from = firstAtOrAfter(batch, log, timestamp.getAsLong());
      } else {
        from = end - max;
      }
      from = Math.max(from, start);
      List<Taken.Record> records = new ArrayList<>();
      if (from < end) {
        List<Message> messages = batch.read(log, from, (int) Math.min(max, end - from));
        for (int i = 0; i < messages.size(); i++) {
          records.add(new Taken.Record(from + i, messages.get(i), 0));
        }
      }
      return new Browsed(start, end, records);
    }

    /** Timestamps never decrease in a topic: the first hit is the answer. */
    private long firstAtOrAfter(Batch batch, TopicLog log, long time) {
      if (stored < searchedUntil) {
        return stored;
      }
      long inWindow = log.firstInWindowAtOrAfter(time);
      if (inWindow >= 0) {
        return inWindow;
      }
      // none below searchedUntil, none in the window: the window's first, unless it moved on
      // past messages nobody looked at (rare: the store is asked again, here)
      return searchedUntil >= log.windowStart()
          ? log.windowStart()
          : batch.firstAtOrAfter(log, time);
    }
  }
}
