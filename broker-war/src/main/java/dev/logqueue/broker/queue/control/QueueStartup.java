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

  @Inject QueueEngine queue;
  @Inject QueueGauges gauges;

  @PostConstruct
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // the class's does not reach here
  void restore() {
    long started = System.nanoTime();
    if (queue.start()) {
      LOG.log(
          Level.INFO,
          "Restored {0} topics, {1} messages in {2} ms",
          gauges.topicCount(),
          gauges.messageCount(),
          (System.nanoTime() - started) / 1_000_000);
    } else {
      LOG.log(
          Level.WARNING,
          "LogQueue could not read its store at start; not ready, retrying until it can");
    }
  }

  @PreDestroy
  void stop() {
    long started = System.nanoTime();
    queue.stop();
    announceStop(
        "LogQueue stopped in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms; requests not committed by then were refused (503)");
  }

  /**
   * On SIGTERM the JVM's own shutdown hook resets java.util.logging while Payara undeploys, so a
   * record logged now may reach no handler: then the console is what is left to say it on.
   */
  private static void announceStop(String message) {
    if (java.util.logging.Logger.getLogger("").getHandlers().length > 0) {
      LOG.log(Level.INFO, message);
    } else {
      System.err.println(message);
    }
  }
}
