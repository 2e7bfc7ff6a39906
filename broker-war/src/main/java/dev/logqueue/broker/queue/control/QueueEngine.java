package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.entity.LogQueueException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The queue's machinery and its lifecycle: the committer and its thread, the threads that hand
 * answers over, the timers of waiting consumes, and the cache of history. In the container its
 * threads come from the container's default managed thread factory; outside it (unit tests), from
 * the JVM's.
 */
@ApplicationScoped
public class QueueEngine {

  @Inject LogStore store;
  @Inject QueueSettings settings;
  @Inject Placement placement;

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
  ManagedThreadFactory threads;

  private volatile Committer committer;
  private volatile Thread committerThread;
  private volatile RetentionKeeper retention;
  private Thread retentionThread;
  private volatile HistoryCache history;
  private ScheduledThreadPoolExecutor timers;
  private final List<ExecutorService> owned = new ArrayList<>();
  private volatile CommitObserver onCommit = (requests, messages, nanos) -> {};

  /** For CDI. */
  protected QueueEngine() {}

  /** Outside a container (tests). */
  QueueEngine(LogStore store, QueueSettings settings) {
    this(store, settings, Placement.SINGLE);
  }

  /** Outside a container, as a member of a cluster (tests). */
  QueueEngine(LogStore store, QueueSettings settings, Placement placement) {
    this.store = store;
    this.settings = settings;
    this.placement = placement;
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
    // not a managed executor: it captures and restores the caller's context for every task, and
    // Payara's capture scans the class path for context providers each time (a profile under load
    // showed 5% of the broker's CPU there, and a fifth of the committer's time). The managed
    // factory's threads carry the application's context from the start.
    ExecutorService completions = Executors.newFixedThreadPool(COMPLETION_THREADS, factory);
    owned.add(completions);
    // not the container's scheduled executor: a waiting consume's timer is cancelled as soon as a
    // message comes, and only an executor that removes cancelled tasks keeps thousands of them
    // from piling up for their whole wait
    timers = new ScheduledThreadPoolExecutor(1, factory);
    timers.setRemoveOnCancelPolicy(true);
    // one reader ahead: history pages are read in order, and a read-ahead never delays an answer
    ExecutorService readAhead = Executors.newSingleThreadExecutor(factory);
    owned.add(readAhead);
    history =
        new HistoryCache(
            store, settings.historyPageMessages(), settings.historyCacheBytes(), readAhead);
    committer =
        new Committer(
            store,
            settings,
            history,
            completions,
            timers,
            (requests, messages, nanos) -> onCommit.committed(requests, messages, nanos),
            placement);
    Committer replaced = committer;
    placement.onChange(replaced::replace);
    boolean restored = committer.restore();
    committerThread = factory.newThread(committer);
    committerThread.setName("logqueue-committer");
    committerThread.start();
    Committer started = committer;
    timers.scheduleWithFixedDelay(
        () -> sweep(started), SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    retention = new RetentionKeeper(store, settings, () -> started);
    retentionThread = factory.newThread(retention);
    retentionThread.setName("logqueue-retention");
    retentionThread.setDaemon(true);
    retentionThread.start();
    return restored;
  }

  /** The threads that write committed answers out. */
  static final int COMPLETION_THREADS = 2;

  /** How often leases that ended at their last delivery are dead-lettered without a consume. */
  static final long SWEEP_SECONDS = 1;

  private void sweep(Committer target) {
    if (target.isAvailable()) {
      try {
        target.submit(new Command.Sweep(settings.commitDeadline()));
      } catch (RuntimeException unavailable) {
        // the next sweep tries again
      }
    }
  }

  public synchronized void stop() {
    if (committer == null) {
      return;
    }
    committer.stop();
    retention.stop(); // not an interrupt: H2 closes its file when a thread inside it is interrupted
    try {
      retentionThread.join(10_000);
      committerThread.join(10_000);
      for (ExecutorService own : owned) {
        own.shutdown();
        own.awaitTermination(5, TimeUnit.SECONDS);
      }
      timers.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    owned.clear();
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

  /** What makes the database unsafe (the broker does not use it then) or exposed. */
  public List<String> storeProblems() {
    return store.problems();
  }

  /** Consumes that wait for a message now; 0 before the committer starts. */
  long waitingConsumes() {
    Committer current = committer;
    return current == null ? 0 : current.waitingConsumes();
  }

  /** Tells an observer of each transaction committed: the requests it carried, its duration. */
  public void observeCommits(CommitObserver observer) {
    this.onCommit = observer;
  }

  QueueSettings settings() {
    return settings;
  }

  Placement placement() {
    return placement;
  }

  /** The committer; refused while the broker starts. */
  Committer committer() {
    Committer current = committer;
    if (current == null) {
      throw LogQueueException.unavailable("The broker is starting; try again");
    }
    return current;
  }

  HistoryCache history() {
    return history;
  }

  /** Retention's work: messages it is to delete, and rows it deleted since the start. */
  RetentionKeeper retention() {
    return retention;
  }

  /** The committed state, none while there is none (starting, or rebuilding). */
  Optional<QueueState> committedState() {
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
}
