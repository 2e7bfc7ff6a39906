package dev.logqueue.broker.queue.control;

import dev.logqueue.broker.queue.control.LogStore.DeletedTopic;
import dev.logqueue.broker.queue.control.LogStore.Mark;
import dev.logqueue.broker.queue.control.TopicLog.Range;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Retention;
import dev.logqueue.broker.queue.entity.TopicId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Retention, in the background, on a thread of its own. Every {@code retentionCheck} it finds, per
 * topic, the first offset its retention keeps (by age, then by bytes: a binary search of the store
 * by primary key when the limit falls inside the retained range), has the committer move the
 * topic's start there (with the consumers behind it, who are told what they skipped), then deletes
 * the rows below the start, and the messages of deleted topics, in transactions of at most {@code
 * deleteBatch} rows, apart from the commits, pausing as long as each took, so that deleting never
 * takes more than half of the store's time from produce and consume.
 *
 * <p>Deletion is idempotent: after a restart it resumes from the lowest row still stored. Once
 * {@value #RECLAIM_ROWS} rows or more were deleted, and at most every {@value #RECLAIM_SECONDS} s,
 * the store is told to make their space reusable ({@link LogStore#reclaim()}: PostgreSQL's
 * autovacuum would wait for its next round, a minute by default, while the table grows).
 */
final class RetentionKeeper implements Runnable {

  private static final Logger LOG = System.getLogger(RetentionKeeper.class.getName());

  private final LogStore store;
  private final QueueSettings settings;
  private final Supplier<Committer> committer;
  private volatile boolean running = true;

  // the lowest offset still stored, per topic, as far as this keeper knows (absent: ask the store)
  private final Map<TopicId, Long> lowest = new HashMap<>();
  // deleted topics whose messages are still stored, with their ends
  private final Map<TopicId, Long> deleted = new LinkedHashMap<>();
  private QueueState seen;
  private volatile long pending;
  private final AtomicLong deletedRows = new AtomicLong();
  private long deletedSinceReclaim;
  private long lastReclaim = System.nanoTime();
  private boolean reclaimRefused;

  static final long RECLAIM_ROWS = 10_000;
  static final long RECLAIM_SECONDS = 10;

  RetentionKeeper(LogStore store, QueueSettings settings, Supplier<Committer> committer) {
    this.store = store;
    this.settings = settings;
    this.committer = committer;
  }

  /** Ends the thread's work, at the latest once the deletion it is doing has committed. */
  /** Messages below the topics' starts, and of deleted topics, not deleted yet (last round). */
  long pending() {
    return pending;
  }

  /** Rows deleted since the keeper started. */
  long deleted() {
    return deletedRows.get();
  }

  void stop() {
    synchronized (this) {
      running = false;
      notifyAll();
    }
  }

  /** Sleeps, until {@link #stop()} at the latest. */
  private synchronized void pause(long nanos) throws InterruptedException {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; running && left > 0; left = until - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void run() {
    long pause = settings.retentionCheck().toMillis();
    while (running) {
      long started = System.nanoTime();
      try {
        round(started + TimeUnit.MILLISECONDS.toNanos(pause));
        reclaimIfDue();
      } catch (LogQueueException | StoreException e) {
        // unavailable: the next round tries again
        LOG.log(Level.DEBUG, "Retention round interrupted", e);
        lowest.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Retention round failed", e);
        lowest.clear();
      }
      try {
        pause(TimeUnit.MILLISECONDS.toNanos(pause) - (System.nanoTime() - started));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One pass: retention of every topic, then deletion until {@code until} (nanoTime). */
  void round(long until) throws InterruptedException {
    Committer current = committer.get();
    QueueState state = current.state();
    if (state != seen) {
      lowest.clear(); // rebuilt from the store: what it holds is asked again
      seen = state;
    }
    for (DeletedTopic topic : state.takeDeletions()) {
      deleted.merge(topic.id(), topic.end(), Math::max);
    }
    long now = System.currentTimeMillis();
    for (TopicLog topic : state.allTopics()) {
      if (running) {
        retain(current, topic, state.retentionOf(topic), now);
      }
    }
    long behind = 0;
    List<TopicLog> topics = state.allTopics();
    for (TopicLog topic : topics) {
      long stored = lowest.computeIfAbsent(topic.id(), id -> store.lowestOffset(id, topic.start()));
      behind += Math.max(0, topic.start() - stored);
    }
    for (var entry : deleted.entrySet()) {
      long end = entry.getValue();
      long stored = lowest.computeIfAbsent(entry.getKey(), id -> store.lowestOffset(id, end));
      behind += end - stored;
    }
    pending = behind;
    for (TopicLog topic : topics) {
      if (!running || System.nanoTime() - until >= 0) {
        return;
      }
      long stored = lowest.get(topic.id());
      lowest.put(topic.id(), deleteBelow(topic.id(), stored, topic.start(), until));
    }
    for (var iterator = deleted.entrySet().iterator(); iterator.hasNext(); ) {
      if (!running || System.nanoTime() - until >= 0) {
        return;
      }
      var entry = iterator.next();
      TopicId id = entry.getKey();
      long end = entry.getValue();
      long reached = deleteBelow(id, lowest.get(id), end, until);
      if (reached >= end) {
        store.forgetDeletedTopic(id);
        iterator.remove();
        lowest.remove(id);
      } else {
        lowest.put(id, reached);
      }
    }
  }

  private void reclaimIfDue() {
    if (deletedSinceReclaim >= RECLAIM_ROWS
        && System.nanoTime() - lastReclaim >= TimeUnit.SECONDS.toNanos(RECLAIM_SECONDS)) {
      try {
        store.reclaim();
      } catch (StoreException e) {
        // a user that does not own the table may not vacuum it: autovacuum still does, later
        if (!reclaimRefused) {
          LOG.log(Level.WARNING, "Could not vacuum the message table; autovacuum will", e);
          reclaimRefused = true;
        }
      } finally {
        deletedSinceReclaim = 0;
        lastReclaim = System.nanoTime();
      }
    }
  }

  /** Moves a topic's start to what its retention keeps, if that is further than it is. */
  private void retain(Committer current, TopicLog topic, Retention retention, long now)
      throws InterruptedException {
    if (!retention.limits()) {
      return;
    }
    Range range = topic.range();
    if (range.messages() == 0) {
      return;
    }
    long start = range.start();
    if (retention.millis() > 0 && range.startTime() < now - retention.millis()) {
      long cutoff = now - retention.millis();
      start = Math.max(start, store.firstAtOrAfter(topic.id(), start, range.end(), cutoff));
    }
    if (retention.bytes() > 0 && range.bytes() > retention.bytes()) {
      long keepFrom = range.endPosition() - retention.bytes();
      start = Math.max(start, store.firstFromPosition(topic.id(), start, range.end(), keepFrom));
    }
    if (start <= range.start()) {
      return;
    }
    long position;
    long time;
    if (start >= range.end()) {
      start = range.end();
      position = range.endPosition();
      time = 0;
    } else {
      Mark mark = store.mark(topic.id(), start);
      position = mark.position();
      time = mark.appendedAt();
    }
    Command.Retain retain =
        new Command.Retain(topic, start, position, time, settings.commitDeadline());
    try {
      current
          .submit(retain)
          .get(settings.commitTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.DEBUG, "Retention of topic " + topic.name() + " not committed", e);
    }
  }

  /**
   * Deletes a topic's rows in {@code [from, until)} in bounded transactions, pausing after each as
   * long as it took, until done or the round's time is up.
   *
   * @return where it stopped: the lowest offset possibly still stored
   */
  private long deleteBelow(TopicId topic, long from, long to, long roundEnd)
      throws InterruptedException {
    long at = from;
    while (at < to && running && System.nanoTime() - roundEnd < 0) {
      long next = Math.min(to, at + settings.deleteBatch());
      long started = System.nanoTime();
      int rows = store.deleteMessages(topic, at, next);
      deletedRows.addAndGet(rows);
      deletedSinceReclaim += rows;
      pending = Math.max(0, pending - (next - at));
      at = next;
      pause(System.nanoTime() - started);
    }
    return at;
  }
}
