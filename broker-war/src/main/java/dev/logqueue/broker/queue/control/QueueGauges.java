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

  /** Messages appended to all topics since they were created. */
  public long messageCount() {
    return engine.committedState().map(QueueState::messageCount).orElse(0L);
  }

  /** Recent messages held in memory, all topics' windows together. */
  public long windowMessages() {
    return engine.committedState().map(QueueState::windowMessages).orElse(0L);
  }

  /** Bytes of older messages held in memory for consumers that read behind the windows. */
  public long historyBytes() {
    HistoryCache history = engine.history();
    return history == null ? 0 : history.bytes();
  }
}
