package dev.logqueue.example.webapp;

import dev.logqueue.sdk.Consumer;
import dev.logqueue.sdk.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      Optional<Message> message = consumer.poll(Duration.ZERO);
      if (message.isEmpty()) {
        break;
      }
      taken.add(message.get());
    }
    return taken;
  }
}
