package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.Changes;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.TopicName;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The one writer (group commit). It takes every pending command, applies them in arrival order to a
 * batch, writes the batch to the store in one transaction, publishes it to memory and only then
 * completes the commands' futures, on the completion executor. Under light load a lone command is
 * committed at once; under heavy load batches grow by themselves while a commit is under way.
 *
 * <p>When a commit fails nobody is told "success", the batch is forgotten, and the committer
 * rebuilds its state from the store as soon as the store answers again: a failed commit may have
 * committed after all, so memory is never patched, always reloaded.
 */
final class Committer implements Runnable {

  private static final Logger LOG = System.getLogger(Committer.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  /** Into how many tasks one commit's answers are split (the machines here have 2 cores). */
  static final int COMPLETION_SLICES = 2;

  private final BlockingQueue<Command<?>> queue = new LinkedBlockingQueue<>();

  // consumes waiting for a message, by topic, and those a commit woke: the committer's alone
  private final Map<TopicName, List<Command.Consume>> waiting = new HashMap<>();
  private final List<Command<?>> woken = new ArrayList<>();
  private final ScheduledExecutorService timers;
  private final LogStore store;
  private final QueueSettings settings;
  private final HistoryCache history;
  private final Executor completions;

  /** Told of each transaction committed: how many requests it carried. */
  private final IntConsumer onCommit;

  private volatile QueueState state;
  private volatile boolean available;
  private volatile boolean running = true;

  Committer(
      LogStore store,
      QueueSettings settings,
      HistoryCache history,
      Executor completions,
      ScheduledExecutorService timers,
      IntConsumer onCommit) {
    this.onCommit = onCommit;
    this.timers = timers;
    this.store = store;
    this.settings = settings;
    this.history = history;
    this.completions = completions;
  }

  /** Loads the state from the store; false if the store could not give it. */
  boolean restore() {
    RuntimeException failure = tryRestore();
    if (failure != null) {
      LOG.log(Level.WARNING, "Could not restore the queue from the store", failure);
    }
    return failure == null;
  }

  /** Loads the state from the store; what went wrong, or null. */
  private RuntimeException tryRestore() {
    try {
      long idsSince = System.currentTimeMillis() - settings.dedupWindow().toMillis();
      QueueState restored =
          QueueState.restore(store.load(idsSince, settings.dedupMaxIds()), settings);
      history.clear();
      state = restored;
      available = true;
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  boolean isAvailable() {
    return available && running;
  }

  /** The committed state; refused while the committer is rebuilding it. */
  QueueState state() {
    QueueState current = state;
    if (current == null || !available) {
      throw unavailable();
    }
    return current;
  }

  <T> CompletableFuture<T> submit(Command<T> command) {
    if (!isAvailable()) {
      throw unavailable();
    }
    queue.add(command);
    return command.future();
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    try {
      if (!available) {
        recover();
      }
      while (running) {
        Command<?> first = woken.isEmpty() ? queue.poll(200, TimeUnit.MILLISECONDS) : null;
        if (first != null || !woken.isEmpty()) {
          commit(collect(first));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      available = false;
      LogQueueException refusal = LogQueueException.unavailable("The broker is shutting down");
      failQueued(refusal);
      failWaiting(refusal);
    }
  }

  private List<Command<?>> collect(Command<?> first) {
    List<Command<?>> batch = new ArrayList<>(woken);
    woken.clear();
    long now = System.nanoTime();
    int weight = 0;
    for (Command<?> next = first != null ? first : queue.poll();
        next != null;
        next = queue.poll()) {
      if (!next.take()) {
        continue;
      }
      if (next.isExpired(now)) {
        next.fail(LogQueueException.unavailable("The broker is overloaded; try again"));
        continue;
      }
      batch.add(next);
      weight += next.weight();
      if (weight >= settings.maxBatchMessages()) {
        break;
      }
    }
    return batch;
  }

  private void commit(List<Command<?>> commands) throws InterruptedException {
    if (commands.isEmpty()) {
      return;
    }
    Batch batch = new Batch(state, history);
    try {
      for (Command<?> command : commands) {
        command.stage(batch);
      }
      Changes changes = batch.changes();
      if (!changes.isEmpty()) {
        store.commit(changes);
        onCommit.accept(commands.size());
      }
      batch.publish();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Commit of " + commands.size() + " requests failed", e);
      available = false;
      LogQueueException refusal = unavailable(e);
      commands.forEach(command -> command.fail(refusal));
      recover();
      return;
    }
    List<Command<?>> answered = new ArrayList<>(commands.size());
    for (Command<?> command : commands) {
      if (command.isParked()) {
        park((Command.Consume) command);
      } else {
        if (command instanceof Command.Consume consume && consume.timer() != null) {
          consume.timer().cancel(false);
        }
        answered.add(command);
      }
    }
    complete(answered);
    if (!waiting.isEmpty()) {
      wake(batch.appendedTopics());
    }
  }

  /**
   * Answers the requests on the completion threads, in a few slices rather than a task each: an
   * answer is written where its future completes, and a handoff per request costs more than it.
   */
  private void complete(List<Command<?>> answered) {
    int slices = Math.min(answered.size(), COMPLETION_SLICES);
    for (int slice = 0; slice < slices; slice++) {
      List<Command<?>> part =
          answered.subList(
              slice * answered.size() / slices, (slice + 1) * answered.size() / slices);
      try {
        completions.execute(() -> part.forEach(Command::complete));
      } catch (RejectedExecutionException e) {
        part.forEach(Command::complete);
      }
    }
  }

  /** A consume with nothing to give waits for its topic to grow, or for its wait to end. */
  private void park(Command.Consume consume) {
    consume.park();
    List<Command.Consume> parked = waiting.computeIfAbsent(consume.topic(), t -> new ArrayList<>());
    if (parked.size() >= 64 && Integer.bitCount(parked.size()) == 1) {
      parked.removeIf(Command::isDone); // those that expired or were withdrawn
    }
    parked.add(consume);
    if (consume.timer() == null) {
      long delay = consume.waitUntil() - System.nanoTime();
      consume.timer(timers.schedule(consume::expire, Math.max(0, delay), TimeUnit.NANOSECONDS));
    }
  }

  /** What waited on the topics a commit appended to is applied again in the next batch. */
  private void wake(List<TopicName> topics) {
    long deadline = settings.commitDeadline();
    for (TopicName topic : topics) {
      List<Command.Consume> parked = waiting.remove(topic);
      if (parked != null) {
        for (Command.Consume consume : parked) {
          if (consume.wake(deadline)) {
            woken.add(consume);
          }
        }
      }
    }
  }

  private void failWaiting(LogQueueException refusal) {
    for (List<Command.Consume> parked : waiting.values()) {
      for (Command.Consume consume : parked) {
        if (consume.withdraw()) {
          consume.fail(refusal);
        }
      }
    }
    waiting.clear();
    for (Command<?> command : woken) {
      command.fail(refusal);
    }
    woken.clear();
  }

  /** Refuses what waits, then reloads the state from the store until it answers. */
  private void recover() throws InterruptedException {
    available = false;
    failWaiting(unavailable());
    LOG.log(Level.WARNING, "The store is unavailable; refusing requests until it answers again");
    long backoff = 50;
    long nextReport = System.nanoTime();
    while (running) {
      failQueued(unavailable());
      RuntimeException failure = tryRestore();
      if (failure == null) {
        LOG.log(Level.INFO, "The store answers again; state reloaded, serving requests");
        return;
      }
      if (System.nanoTime() - nextReport >= 0) {
        LOG.log(Level.WARNING, "Still unavailable: " + rootMessage(failure));
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      }
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private void failQueued(LogQueueException refusal) {
    for (Command<?> command = queue.poll(); command != null; command = queue.poll()) {
      if (command.take()) {
        command.fail(refusal);
      }
    }
  }

  private static LogQueueException unavailable() {
    return LogQueueException.unavailable("The broker's database is unavailable; try again");
  }

  private static LogQueueException unavailable(Throwable cause) {
    return LogQueueException.unavailable(
        "The broker's database is unavailable; nothing was stored; try again", cause);
  }
}
