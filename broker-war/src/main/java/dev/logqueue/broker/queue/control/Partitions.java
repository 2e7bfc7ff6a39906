package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.Command.CreateTopic;
import dev.logqueue.broker.queue.control.Command.OpenCursor;
import dev.logqueue.broker.queue.control.Placement.ConsumerRow;
import dev.logqueue.broker.queue.control.Placement.ProducerRow;
import dev.logqueue.broker.queue.control.Placement.TopicRow;
import dev.logqueue.broker.queue.entity.Caller;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ErrorCode;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.MessageId;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import dev.logqueue.broker.queue.entity.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Topics of several partitions, over the queue. Partition 0 is the topic's own log; partition
 * {@code p > 0} is a log of its own ({@link Partition}), created where it is served when first
 * used, and each consumer has a cursor on it, opened when first used from where its registration
 * said it begins ({@link PartitionStart}). In a cluster each partition's log has a slot of its own,
 * so a topic's partitions spread over the members; a request that names its partition is served by
 * the member that serves that partition's log. A request about all partitions at once (a consume,
 * seek or size without {@code partition}) is answered by a single broker, which serves them all; in
 * a cluster it names its partition.
 */
@ApplicationScoped
public class Partitions {

  /** How long a member trusts what it read of a topic another member serves. */
  static final long LAYOUT_MILLIS = 2_000;

  /** How often a waiting consume of several partitions looks at them again. */
  static final long POLL_MILLIS = 50;

  @Inject QueueEngine engine;
  @Inject LogQueueService queue;

  private final Map<TopicName, Cached> layouts = new ConcurrentHashMap<>();
  private final Map<ConsumerId, CompletableFuture<ConsumerId>> opening = new ConcurrentHashMap<>();
  private final AtomicLong rotation = new AtomicLong();

  /** For CDI. */
  protected Partitions() {}

  /** Outside a container (tests). */
  Partitions(QueueEngine engine, LogQueueService queue) {
    this.engine = engine;
    this.queue = queue;
  }

  /** A topic's partitions: how many, and the names of their logs. */
  public record Layout(TopicName topic, TopicId id, int count, Retention retention) {

    /** The log of partition {@code partition}, which must exist. */
    public TopicName log(int partition) {
      return Partition.log(topic, id, check(partition));
    }

    /** {@code partition}, if the topic has it; else 400. */
    public int check(int partition) {
      if (partition < 0 || partition >= count) {
        throw LogQueueException.badRequest(
            "Topic '"
                + topic
                + "' has "
                + count
                + (count == 1 ? " partition" : " partitions")
                + ": 'partition' is 0"
                + (count == 1 ? "" : " to " + (count - 1))
                + " (got "
                + partition
                + ")");
      }
      return partition;
    }

    public boolean isPartitioned() {
      return count > 1;
    }
  }

  private record Cached(Layout layout, long readAt) {}

  /**
   * A produce's outcome: the partition it went to, and where in it; whether the topic has several.
   */
  public record Produced(int partition, Appended appended, boolean partitioned) {}

  /** What a consume took from each partition it looked at, in the order it took them. */
  public record Gathered(List<Part> parts, boolean explicit, boolean partitioned) {

    /** Taken from one partition. */
    public record Part(int partition, Taken taken) {}

    public boolean isEmpty() {
      return parts.stream().allMatch(part -> part.taken().isEmpty());
    }

    /** Every record, in the order taken. */
    public List<Taken.Record> records() {
      List<Taken.Record> all = new ArrayList<>();
      parts.forEach(part -> all.addAll(part.taken().records()));
      return all;
    }

    /** The messages retention deleted before the consumer read them, over all partitions. */
    public long skipped() {
      return parts.stream().mapToLong(part -> part.taken().skipped()).sum();
    }

    /** Until when the records are leased: the earliest lease of those taken (0 for auto). */
    public long leaseUntil() {
      return parts.stream()
          .filter(part -> !part.taken().isEmpty())
          .mapToLong(part -> part.taken().leaseUntil())
          .min()
          .orElse(0);
    }
  }

  /**
   * A topic's partitions. A topic this broker serves is read from memory; in a cluster, one that
   * another member serves is read from the store (and trusted for {@value #LAYOUT_MILLIS} ms:
   * partitions are never removed, so a layout read a moment ago is at worst short of new ones).
   */
  public Layout layout(TopicName topic) {
    QueueState state = engine.committer().state();
    Claims claims = state.claims();
    if (claims.covers(topic)) { // a single broker covers every topic
      TopicLog log = state.topic(topic);
      return new Layout(topic, log.id(), log.partitions(), log.retention());
    }
    long now = System.nanoTime();
    Cached cached = layouts.get(topic);
    if (cached != null && now - cached.readAt() < TimeUnit.MILLISECONDS.toNanos(LAYOUT_MILLIS)) {
      return cached.layout();
    }
    TopicRow row = read(() -> engine.placement().storedTopic(topic));
    if (row == null) {
      layouts.remove(topic);
      throw LogQueueException.topicNotFound(topic);
    }
    Layout layout = new Layout(topic, row.id(), row.partitions(), row.retention());
    layouts.put(topic, new Cached(layout, now));
    return layout;
  }

  /** Creates a topic of {@code partitions} partitions (1 to {@value Partition#MAX}). */
  public CompletableFuture<Void> createTopic(TopicName name, Retention retention, int partitions) {
    if (partitions < 1 || partitions > Partition.MAX) {
      throw LogQueueException.badRequest(
          "Field 'partitions' must be an integer from 1 to " + Partition.MAX);
    }
    return engine
        .committer()
        .submit(new CreateTopic(name, retention, partitions, engine.settings().commitDeadline()));
  }

  /**
   * The partition a produce goes to: the one it names, else its key's ({@link Partition#forKey}),
   * else the next in turn.
   */
  public int choose(Layout layout, OptionalInt partition, Optional<String> key) {
    if (partition.isPresent()) {
      return layout.check(partition.getAsInt());
    }
    if (key.isPresent()) {
      return Partition.forKey(key.get(), layout.count());
    }
    return layout.count() == 1
        ? 0
        : (int) Math.floorMod(rotation.getAndIncrement(), (long) layout.count());
  }

  /** Appends to the partition {@link #choose chosen}: see {@link LogQueueService#produce}. */
  public CompletableFuture<Produced> produce(
      TopicName topic,
      OptionalInt partition,
      Optional<String> key,
      ProducerId producer,
      List<String> texts,
      List<MessageId> ids,
      Caller caller) {
    if (partition.isEmpty()
        && key.isEmpty()
        && !engine.committer().state().claims().isClustered()) {
      Optional<TopicLog> own = engine.committer().state().findTopic(topic);
      if (own.isEmpty() || own.get().partitions() == 1) {
        // the v1 path, unchanged (and a producer of a topic not there yet hears it as before)
        return queue
            .produce(topic, producer, texts, ids, caller)
            .thenApply(appended -> new Produced(0, appended, false));
      }
    }
    Layout layout = layout(topic);
    int chosen = choose(layout, partition, key);
    if (chosen > 0) {
      knowProducer(producer);
    }
    return log(layout, chosen)
        .thenCompose(log -> queue.produce(log, producer, texts, ids, caller))
        .thenApply(appended -> new Produced(chosen, appended, layout.isPartitioned()));
  }

  /**
   * A consumer's next messages: from one partition if it names one, else (a single broker) from
   * all, in turn, up to {@code max} in all; waiting up to {@code wait} for one. See {@link
   * LogQueueService#consume}.
   */
  public CompletableFuture<Gathered> consume(
      TopicName topic,
      ConsumerId consumer,
      OptionalInt partition,
      int max,
      Duration wait,
      AckRequest settle,
      Caller caller) {
    Layout layout = layout(topic);
    if (partition.isPresent() || !layout.isPartitioned()) {
      int number = layout.check(partition.orElse(0));
      return cursor(layout, consumer, number, caller)
          .thenCompose(
              cursor ->
                  queue
                      .consume(layout.log(number), cursor, max, wait, settle, caller)
                      .thenApply(
                          taken ->
                              new Gathered(
                                  List.of(new Gathered.Part(number, taken)),
                                  taken.explicit(),
                                  layout.isPartitioned())));
    }
    requireAllHere(layout, "consume from");
    if (!settle.isEmpty()) {
      throw LogQueueException.badRequest(
          "Topic '"
              + topic
              + "' has "
              + layout.count()
              + " partitions: a consume that settles offsets names their 'partition'");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    int first = (int) Math.floorMod(rotation.getAndIncrement(), (long) layout.count());
    return gather(layout, consumer, max, caller, first, deadline);
  }

  /** One round over the partitions from {@code first}; again after a moment while none gave. */
  private CompletableFuture<Gathered> gather(
      Layout layout, ConsumerId consumer, int max, Caller caller, int first, long deadline) {
    return round(layout, consumer, max, caller, first, 0, new ArrayList<>())
        .thenCompose(
            gathered -> {
              long left = deadline - System.nanoTime();
              if (!gathered.isEmpty() || left <= 0) {
                return CompletableFuture.completedFuture(gathered);
              }
              Executor later =
                  CompletableFuture.delayedExecutor(
                      Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), left),
                      TimeUnit.NANOSECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(ignored -> gather(layout, consumer, max, caller, first, deadline));
            });
  }

  private CompletableFuture<Gathered> round(
      Layout layout,
      ConsumerId consumer,
      int max,
      Caller caller,
      int first,
      int asked,
      List<Gathered.Part> parts) {
    int taken = parts.stream().mapToInt(part -> part.taken().records().size()).sum();
    if (asked == layout.count() || taken >= max) {
      boolean explicit = parts.stream().anyMatch(part -> part.taken().explicit());
      return CompletableFuture.completedFuture(new Gathered(parts, explicit, true));
    }
    int number = (first + asked) % layout.count();
    return cursor(layout, consumer, number, caller)
        .thenCompose(
            cursor ->
                queue.consume(
                    layout.log(number),
                    cursor,
                    max - taken,
                    Duration.ZERO,
                    AckRequest.NONE,
                    caller))
        .thenCompose(
            took -> {
              parts.add(new Gathered.Part(number, took));
              return round(layout, consumer, max, caller, first, asked + 1, parts);
            });
  }

  /** Settles an explicit consumer's offsets of one partition (0 if the topic has one). */
  public CompletableFuture<Acked> ack(
      TopicName topic,
      ConsumerId consumer,
      OptionalInt partition,
      AckRequest request,
      Caller caller) {
    Layout layout = layout(topic);
    if (partition.isEmpty() && layout.isPartitioned()) {
      throw LogQueueException.badRequest(
          "Topic '"
              + topic
              + "' has "
              + layout.count()
              + " partitions: name the 'partition' of the offsets (each record has its own)");
    }
    int number = layout.check(partition.orElse(0));
    return cursor(layout, consumer, number, caller)
        .thenCompose(cursor -> queue.ack(layout.log(number), cursor, request, caller));
  }

  /**
   * Moves a consumer on one partition, or (without {@code partition}, a single broker) on each: the
   * offsets it is at then, by partition.
   */
  public CompletableFuture<List<Long>> seek(
      TopicName topic,
      ConsumerId consumer,
      OptionalInt partition,
      OptionalLong offset,
      OptionalLong timestamp,
      Caller caller) {
    Layout layout = layout(topic);
    if (partition.isPresent() || !layout.isPartitioned()) {
      int number = layout.check(partition.orElse(0));
      return cursor(layout, consumer, number, caller)
          .thenCompose(cursor -> queue.seek(layout.log(number), cursor, offset, timestamp, caller))
          .thenApply(List::of);
    }
    requireAllHere(layout, "seek on");
    return inTurn(
        layout,
        0,
        number ->
            cursor(layout, consumer, number, caller)
                .thenCompose(
                    cursor -> queue.seek(layout.log(number), cursor, offset, timestamp, caller)));
  }

  /**
   * What a consumer has not read (or settled) yet on one partition, or (without {@code partition},
   * a single broker) on all.
   */
  public CompletableFuture<Long> size(
      TopicName topic, ConsumerId consumer, OptionalInt partition, Caller caller) {
    Layout layout = layout(topic);
    if (partition.isPresent() || !layout.isPartitioned()) {
      int number = layout.check(partition.orElse(0));
      return cursor(layout, consumer, number, caller)
          .thenApply(cursor -> queue.size(layout.log(number), cursor, caller));
    }
    requireAllHere(layout, "count the messages of");
    return inTurn(
            layout,
            0,
            number ->
                cursor(layout, consumer, number, caller)
                    .thenApply(cursor -> queue.size(layout.log(number), cursor, caller)))
        .thenApply(sizes -> sizes.stream().mapToLong(Long::longValue).sum());
  }

  /**
   * Deletes a consumer's cursor on one partition above 0, or (without {@code partition}) the
   * consumer with its cursors on the partitions this broker serves (a single broker: all).
   */
  public CompletableFuture<Void> deleteConsumer(
      TopicName topic, ConsumerId consumer, OptionalInt partition, Caller caller) {
    Layout layout = layout(topic);
    if (partition.isPresent() && partition.getAsInt() > 0) {
      int number = layout.check(partition.getAsInt());
      ConsumerId cursor = Partition.cursor(consumer, number);
      QueueState state = engine.committer().state();
      Optional<TopicLog> log = state.findTopic(layout.log(number));
      if (log.isEmpty() || state.findConsumer(cursor).isEmpty()) {
        return CompletableFuture.completedFuture(null); // never opened: nothing to delete
      }
      return queue.deleteConsumer(layout.log(number), cursor, caller);
    }
    return (servesAll()
            ? inTurn(layout, 1, p -> deleteConsumer(topic, consumer, OptionalInt.of(p), caller))
            : CompletableFuture.completedFuture(List.of()))
        .thenCompose(done -> queue.deleteConsumer(topic, consumer, caller));
  }

  /**
   * Deletes one partition's log above 0, or (without {@code partition}) the topic with the logs of
   * its partitions this broker serves (a single broker: all).
   */
  public CompletableFuture<Void> deleteTopic(TopicName topic, OptionalInt partition) {
    Layout layout = layout(topic);
    if (partition.isPresent() && partition.getAsInt() > 0) {
      TopicName log = layout.log(partition.getAsInt());
      if (engine.committer().state().findTopic(log).isEmpty()) {
        return CompletableFuture.completedFuture(null); // never used: nothing to delete
      }
      return queue.deleteTopic(log);
    }
    layouts.remove(topic);
    return (servesAll()
            ? inTurn(layout, 1, p -> deleteTopic(topic, OptionalInt.of(p)))
            : CompletableFuture.completedFuture(List.of()))
        .thenCompose(done -> queue.deleteTopic(topic));
  }

  /**
   * Changes the retention of one partition's log, or (without {@code partition}) of the topic and
   * the logs of its partitions this broker serves (a single broker: all): the topic's details then.
   */
  public CompletableFuture<TopicDetails> setRetention(
      TopicName topic, OptionalInt partition, Retention change) {
    Layout layout = layout(topic);
    if (partition.isPresent() && partition.getAsInt() > 0) {
      TopicName log = layout.log(partition.getAsInt());
      return log(layout, partition.getAsInt())
          .thenCompose(created -> queue.setRetention(log, change));
    }
    layouts.remove(topic);
    return (servesAll()
            ? inTurn(layout, 1, p -> setRetention(topic, OptionalInt.of(p), change))
            : CompletableFuture.completedFuture(List.of()))
        .thenCompose(done -> queue.setRetention(topic, change));
  }

  /** The details of one partition's log (0: the topic's own). */
  public CompletableFuture<TopicDetails> topic(TopicName topic, int partition) {
    Layout layout = layout(topic);
    return log(layout, layout.check(partition)).thenCompose(queue::topic);
  }

  /** Reads one partition without a consumer: see {@link LogQueueService#browse}. */
  public CompletableFuture<Browsed> browse(
      TopicName topic, int partition, OptionalLong offset, OptionalLong timestamp, int max) {
    Layout layout = layout(topic);
    return log(layout, layout.check(partition))
        .thenCompose(log -> queue.browse(log, offset, timestamp, max));
  }

  /**
   * {@code step} for each partition from {@code first} to the last, one after the other (each
   * commits before the next starts): their outcomes, in order.
   */
  private static <T> CompletableFuture<List<T>> inTurn(
      Layout layout, int first, IntFunction<CompletableFuture<T>> step) {
    CompletableFuture<List<T>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (int p = first; p < layout.count(); p++) {
      int number = p;
      all =
          all.thenCompose(
              outcomes ->
                  step.apply(number)
                      .thenApply(
                          outcome -> {
                            outcomes.add(outcome);
                            return outcomes;
                          }));
    }
    return all;
  }

  /** Whether this broker serves every partition of every topic: it is not in a cluster. */
  public boolean servesAll() {
    return !engine.committer().state().claims().isClustered();
  }

  private void requireAllHere(Layout layout, String what) {
    if (!servesAll()) {
      throw LogQueueException.badRequest(
          "Topic '"
              + layout.topic()
              + "' has "
              + layout.count()
              + " partitions, which the members of the cluster share: to "
              + what
              + " it, name the 'partition' (0 to "
              + (layout.count() - 1)
              + "), one request each; the SDK's consumer reads them all");
    }
  }

  /** The log of a partition, created first if this broker serves it and it was never used. */
  CompletableFuture<TopicName> log(Layout layout, int partition) {
    TopicName log = layout.log(partition);
    if (partition == 0 || engine.committer().state().findTopic(log).isPresent()) {
      return CompletableFuture.completedFuture(log);
    }
    requireCurrent(layout);
    return engine
        .committer()
        .submit(new CreateTopic(log, layout.retention(), 1, engine.settings().commitDeadline()))
        .handle(
            (created, failure) -> {
              if (failure != null && !isRefusal(failure, ErrorCode.TOPIC_EXISTS)) {
                throw failure instanceof CompletionException e
                    ? e
                    : new CompletionException(failure);
              }
              return log;
            });
  }

  /**
   * Before a partition's log is created: the topic is still the one the layout was read of (a
   * layout read a moment ago may be of a topic deleted since, and perhaps created again under its
   * name, with a new id: a log for the old one would take messages nobody can read).
   */
  private void requireCurrent(Layout layout) {
    QueueState state = engine.committer().state();
    TopicId now;
    if (state.claims().covers(layout.topic())) {
      now = state.findTopic(layout.topic()).map(TopicLog::id).orElse(null);
    } else {
      TopicRow row = read(() -> engine.placement().storedTopic(layout.topic()));
      now = row == null ? null : row.id();
    }
    if (!layout.id().equals(now)) {
      layouts.remove(layout.topic());
      throw now == null
          ? LogQueueException.topicNotFound(layout.topic())
          : LogQueueException.unavailable(
              "Topic '" + layout.topic() + "' was deleted and created again; try again");
    }
  }

  /**
   * A consumer's cursor on a partition: the consumer itself on 0; on another, opened first if it
   * never was, as the consumer's registration says (its settings, owner and start).
   */
  CompletableFuture<ConsumerId> cursor(
      Layout layout, ConsumerId consumer, int partition, Caller caller) {
    if (partition == 0) {
      return CompletableFuture.completedFuture(consumer);
    }
    ConsumerId cursor = Partition.cursor(consumer, partition);
    return log(layout, partition)
        .thenCompose(
            log -> {
              QueueState state = engine.committer().state();
              if (state.findConsumer(cursor).isPresent()) {
                return CompletableFuture.completedFuture(cursor);
              }
              CompletableFuture<ConsumerId> mine = new CompletableFuture<>();
              CompletableFuture<ConsumerId> theirs = opening.putIfAbsent(cursor, mine);
              if (theirs != null) {
                return theirs; // another request opens it: this one waits for that
              }
              try {
                open(layout, log, consumer, cursor, caller)
                    .whenComplete(
                        (id, failure) -> {
                          opening.remove(cursor, mine);
                          if (failure != null) {
                            mine.completeExceptionally(failure);
                          } else {
                            mine.complete(id);
                          }
                        });
              } catch (RuntimeException e) {
                opening.remove(cursor, mine);
                mine.completeExceptionally(e);
              }
              return mine;
            });
  }

  private CompletableFuture<ConsumerId> open(
      Layout layout, TopicName log, ConsumerId consumer, ConsumerId cursor, Caller caller) {
    ConsumerRow parent = registration(layout, consumer);
    caller.mayUse(parent.owner(), parent.settings().name(), "Consumer " + consumer);
    return engine
        .committer()
        .submit(
            new OpenCursor(
                log,
                cursor,
                parent.settings(),
                parent.owner(),
                parent.startAt(),
                engine.settings().commitDeadline()));
  }

  /** How a consumer of the topic was registered: from memory, or in a cluster from the store. */
  private ConsumerRow registration(Layout layout, ConsumerId consumer) {
    QueueState state = engine.committer().state();
    if (state.claims().covers(layout.topic())) {
      ConsumerCursor parent = state.consumer(layout.topic(), consumer);
      return new ConsumerRow(layout.id(), parent.settings(), parent.owner(), parent.startAt());
    }
    ConsumerRow row = read(() -> engine.placement().storedConsumer(consumer));
    if (row == null) {
      throw LogQueueException.consumerNotFound(consumer);
    }
    if (!row.topic().equals(layout.id())) {
      throw new LogQueueException(
          ErrorCode.CONSUMER_TOPIC_MISMATCH,
          "Consumer "
              + consumer
              + " is registered for another topic, not '"
              + layout.topic()
              + "'");
    }
    return row;
  }

  /** In a cluster, learns from the store a producer another member registered. */
  private void knowProducer(ProducerId producer) {
    QueueState state = engine.committer().state();
    if (!state.claims().isClustered() || state.knowsProducer(producer)) {
      return;
    }
    ProducerRow row = read(() -> engine.placement().storedProducer(producer));
    if (row != null) {
      state.learnProducer(producer, row);
    }
  }

  private static <T> T read(java.util.function.Supplier<Optional<T>> lookup) {
    try {
      return lookup.get().orElse(null);
    } catch (StoreException e) {
      throw LogQueueException.unavailable("The broker's database is unavailable; try again", e);
    }
  }

  private static boolean isRefusal(Throwable failure, ErrorCode code) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    return cause instanceof LogQueueException refusal && refusal.error() == code;
  }
}
