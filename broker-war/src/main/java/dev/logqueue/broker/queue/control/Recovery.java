package dev.logqueue.broker.queue.control;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Rebuilds the queue's state from the log of record: at start, and after a failed commit (which may
 * have committed after all, so memory is never patched, always reloaded).
 */
final class Recovery {

  private static final Logger LOG = System.getLogger(Recovery.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final LogStore store;
  private final QueueSettings settings;
  private final HistoryCache history;
  private final Placement placement;

  Recovery(LogStore store, QueueSettings settings, HistoryCache history, Placement placement) {
    this.store = store;
    this.settings = settings;
    this.history = history;
    this.placement = placement;
  }

  /**
   * The state as the store has it now, of the topics this broker serves (claimed first, so that the
   * load sees every commit of whoever served them before); throws what the store threw.
   */
  QueueState restore() {
    Claims claims = placement.claim();
    long idsSince = System.currentTimeMillis() - settings.dedupWindow().toMillis();
    QueueState restored =
        QueueState.restore(
            store.load(idsSince, settings.dedupMaxIds(), claims::covers),
            settings,
            claims,
            placement);
    history.clear();
    if (claims.isClustered()) {
      LOG.log(Level.INFO, "Serving {0}: {1} topics", claims, restored.topicCount());
    }
    return restored;
  }

  /**
   * Retries {@link #restore()} with a growing pause until the store answers, or until {@code
   * running} turns false (then null). {@code beforeEach} runs before every attempt: the committer
   * refuses what queued meanwhile. {@code outage} says whether the store failed (the log says so)
   * or the state is reloaded for another reason (what the broker serves changed).
   */
  QueueState await(BooleanSupplier running, Runnable beforeEach, boolean outage)
      throws InterruptedException {
    if (outage) {
      LOG.log(Level.WARNING, "The store is unavailable; refusing requests until it answers again");
    }
    long backoff = 50;
    long nextReport = System.nanoTime();
    while (running.getAsBoolean()) {
      beforeEach.run();
      try {
        QueueState restored = restore();
        if (outage) {
          LOG.log(Level.INFO, "The store answers again; state reloaded, serving requests");
        }
        return restored;
      } catch (RuntimeException failure) {
        if (System.nanoTime() - nextReport >= 0) {
          LOG.log(Level.WARNING, "Still unavailable: " + rootMessage(failure));
          nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        }
      }
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
    return null;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
