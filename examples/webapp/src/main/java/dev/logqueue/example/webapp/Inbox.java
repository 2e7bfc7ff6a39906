package dev.logqueue.example.webapp;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This application's one consumer (injected, configured by logqueue.consumer.topics). A consumer is
 * not thread-safe and requests run in parallel: the inbox lets one request read at a time.
 */
@ApplicationScoped
public class Inbox {

  @Inject Consumer consumer;

  /** Up to {@code max} messages that are there now. */
  public synchronized List<Message> take(int max) {
    List<Message> taken = new ArrayList<>();
    while (taken.size() < max) {
      List<Message> batch = consumer.pollBatch(Duration.ZERO, Math.min(max - taken.size(), 1000));
      if (batch.isEmpty()) {
        break;
      }
      taken.addAll(batch);
    }
    return taken;
  }
}
