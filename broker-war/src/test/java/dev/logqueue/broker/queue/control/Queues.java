package dev.logqueue.broker.queue.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Queues on one store in memory, as a restarted broker would be: started, stopped, all ended. */
final class Queues implements AutoCloseable {

  final MemoryLogStore store;
  private final Map<LogQueueService, QueueEngine> engines = new IdentityHashMap<>();

  Queues(MemoryLogStore store) {
    this.store = store;
  }

  /** A queue restored from the store (asserted), with its committer running. */
  LogQueueService start(QueueSettings settings) {
    QueueEngine engine = new QueueEngine(store, settings);
    assertTrue(engine.start(), "restored");
    LogQueueService queue = new LogQueueService(engine);
    engines.put(queue, engine);
    return queue;
  }

  QueueEngine engine(LogQueueService queue) {
    return engines.get(queue);
  }

  void stop(LogQueueService queue) {
    engines.get(queue).stop();
  }

  @Override
  public void close() {
    engines.values().forEach(QueueEngine::stop);
  }

  /** The texts a consume took. */
  static CompletableFuture<List<String>> texts(CompletableFuture<Taken> taken) {
    return taken.thenApply(Taken::texts);
  }
}
