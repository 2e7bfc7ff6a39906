package dev.logqueue.broker.queue.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Restores the queue from the store when the application starts, before it serves a request; stops
 * the committer when it ends.
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class QueueStartup {

  private static final Logger LOG = System.getLogger(QueueStartup.class.getName());

  @Inject LogQueueService queue;

  @PostConstruct
  void restore() {
    long started = System.nanoTime();
    if (queue.start()) {
      LOG.log(
          Level.INFO,
          "LogQueue restored in {0} ms; serving requests",
          (System.nanoTime() - started) / 1_000_000);
    } else {
      LOG.log(
          Level.WARNING,
          "LogQueue could not read its store at start; not ready, retrying until it can");
    }
  }

  @PreDestroy
  void stop() {
    queue.stop();
  }
}
