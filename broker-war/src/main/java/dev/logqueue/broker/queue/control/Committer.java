package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.Changes;
import dev.logqueue.broker.queue.entity.LogQueueException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one writer (group commit): it collects every pending command, applies them in arrival order
 * to a batch, writes the batch to the store in one transaction, publishes it to memory and only
 * then completes the commands' futures, on the completion executor. Under light load a lone command
 * is committed at once; under heavy load batches grow by themselves while a commit is under way.
 *
 * <p>Consumes with nothing to give wait in {@link WaitingConsumes}. When a commit fails nobody is
 * told "success", the batch is forgotten, and {@link Recovery} rebuilds the state from the store as
 * soon as it answers again.
 */
final class Committer implements Runnable {

  private static final Logger LOG = System.getLogger(Committer.class.getName());

  /** How long a fenced broker waits before it claims again what its cluster places on it. */
  static final long FENCED_PAUSE_MILLIS = 250;

  /** Into how many tasks one commit's answers are split (the machines here have 2 cores). */
  static final int COMPLETION_SLICES = 2;

  /** Up to how many answers of one commit the committer writes itself. */
  static final int INLINE_ANSWERS = 4;

  private final BlockingQueue<Command<?>> queue = new LinkedBlockingQueue<>();
  private final List<Command<?>> woken = new ArrayList<>();
  private Command<?> held; // an exclusive command taken, to be committed alone next
  private final WaitingConsumes waiting;
  private final Recovery recovery;
  private final QueueSettings settings;
  private final HistoryCache history;
  private final Executor completions;

  private final CommitObserver onCommit;
  private final QueueCounts counts = new QueueCounts();

  private final LogStore store;
  private volatile QueueState state;
  private volatile boolean available;
  private volatile boolean running = true;
  private volatile boolean replaced; // what this broker serves changed: reload before going on

  Committer(
      LogStore store,
      QueueSettings settings,
      HistoryCache history,
      Executor completions,
      ScheduledExecutorService timers,
      CommitObserver onCommit,
      Placement placement) {
    this.store = store;
    this.settings = settings;
    this.history = history;
    this.completions = completions;
    this.onCommit = onCommit;
    this.recovery = new Recovery(store, settings, history, placement);
    this.waiting = new WaitingConsumes(timers, queue::add, settings::commitDeadline);
  }

  /** Loads the state from the store; false if the store could not give it. */
  boolean restore() {
    try {
      state = recovery.restore();
      available = true;
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not restore the queue from the store", e);
      return false;
    }
  }

  boolean isAvailable() {
    return available && running;
  }

  /** The committed state; refused while the committer is rebuilding it. */
  /** How many consumes wait for messages now. */
  long waitingConsumes() {
    return waiting.count();
  }

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

  /**
   * What this broker serves changed (a cluster's placement moved): the committer reloads the state
   * after the batch under way, refusing (503) the consumes that wait meanwhile.
   */
  void replace() {
    replaced = true;
  }

  @Override
  public void run() {
    try {
      if (!available) {
        recover();
      }
      while (running) {
        if (replaced) {
          replaced = false;
          reload(
              LogQueueException.unavailable("What this broker serves changes; try again"), false);
          continue;
        }
        if (held != null) {
          Command<?> alone = held;
          held = null;
          commit(List.of(alone));
          continue;
        }
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
      if (next.isExclusive()) {
        if (batch.isEmpty()) {
          batch.add(next);
        } else {
          held = next; // alone, right after this batch: nothing behind it goes before it
        }
        break;
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
    Batch batch = new Batch(state, history, counts);
    try {
      for (Command<?> command : commands) {
        command.stage(batch);
      }
      Changes changes = batch.changes();
      if (!changes.isEmpty()) {
        long started = System.nanoTime();
        store.commit(changes);
        onCommit.committed(commands.size(), changes.messages().size(), System.nanoTime() - started);
      }
      batch.publish();
    } catch (LogStore.Fenced e) {
      LOG.log(
          Level.WARNING, "Commit of " + commands.size() + " requests fenced: " + e.getMessage());
      available = false;
      LogQueueException refusal =
          LogQueueException.unavailable(
              "Another broker of the cluster serves this topic now; nothing was stored; try again",
              e);
      commands.forEach(command -> command.fail(refusal));
      Thread.sleep(FENCED_PAUSE_MILLIS); // the cluster's members see the same placement by then
      reload(refusal, false);
      return;
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
      if (command instanceof Command.Consume consume && consume.isParked()) {
        waiting.park(consume, consume.wakeAt());
      } else {
        if (command instanceof Command.Consume consume) {
          consume.cancelTimer();
        }
        answered.add(command);
      }
    }
    complete(answered);
    if (!waiting.isEmpty()) {
      woken.addAll(waiting.wake(batch.changedTopics(), settings.commitDeadline()));
    }
  }

  /**
   * Answers the requests: a few here, at once, since waking a completion thread costs more than
   * writing them (on 2 cores the woken thread often takes the committer's core); more on the
   * completion threads, in a few slices rather than a task each.
   */
  private void complete(List<Command<?>> answered) {
    if (answered.size() <= INLINE_ANSWERS) {
      answered.forEach(Command::complete);
      return;
    }
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

  private void failWaiting(LogQueueException refusal) {
    waiting.failAll(refusal);
    woken.forEach(command -> command.fail(refusal));
    woken.clear();
  }

  /** Refuses what waits, then reloads the state from the store until it answers. */
  private void recover() throws InterruptedException {
    reload(unavailable(), true);
  }

  /**
   * Refuses what waits and what queues with {@code refusal}, then reloads the state from the store
   * until it answers; an {@code outage} of the store is logged.
   */
  private void reload(LogQueueException refusal, boolean outage) throws InterruptedException {
    available = false;
    failWaiting(refusal);
    QueueState recovered = recovery.await(() -> running, () -> failQueued(refusal), outage);
    if (recovered != null) {
      state = recovered;
      available = true;
    }
  }

  private void failQueued(LogQueueException refusal) {
    if (held != null) {
      held.fail(refusal);
      held = null;
    }
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
