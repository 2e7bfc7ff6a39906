package dev.logqueue.broker.queue.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** What the queue holds, for metrics and logs: read from the committed state, never blocking. */
@ApplicationScoped
public class QueueGauges {

  @Inject QueueEngine engine;

  /** For CDI. */
  protected QueueGauges() {}

  QueueGauges(QueueEngine engine) {
    this.engine = engine;
  }

  public long topicCount() {
    return engine.committedState().map(state -> (long) state.topicCount()).orElse(0L);
  }

  /** Messages retained in all topics. */
  public long messageCount() {
    return engine.committedState().map(QueueState::messageCount).orElse(0L);
  }

  /** Recent messages held in memory, all topics' windows together. */
  public long windowMessages() {
    return engine.committedState().map(QueueState::windowMessages).orElse(0L);
  }

  /** Messages retention (or a topic's deletion) is to delete and has not yet. */
  public long retentionPending() {
    RetentionKeeper keeper = engine.retention();
    return keeper == null ? 0 : keeper.pending();
  }

  /** Rows retention (or topics' deletion) deleted since the broker started. */
  public long retentionDeleted() {
    RetentionKeeper keeper = engine.retention();
    return keeper == null ? 0 : keeper.deleted();
  }

  /** Consumes that wait for a message now. */
  public long waitingConsumes() {
    return engine.waitingConsumes();
  }

  /** History pages readers found in the cache (or read ahead for them). */
  public long historyHits() {
    HistoryCache history = engine.history();
    return history == null ? 0 : history.hits();
  }

  /** History pages readers had to read from the database themselves. */
  public long historyMisses() {
    HistoryCache history = engine.history();
    return history == null ? 0 : history.misses();
  }

  /** Whether the database answers now (a connection from the pool, validated). */
  public boolean databaseReachable() {
    return engine.isStoreReachable();
  }

  /** Bytes of older messages held in memory for consumers that read behind the windows. */
  public long historyBytes() {
    HistoryCache history = engine.history();
    return history == null ? 0 : history.bytes();
  }
}
