package dev.logqueue.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logqueue.testkit.Broker;
import dev.logqueue.testkit.Database;
import dev.logqueue.testkit.Wire;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Memory holds a bounded window of each topic: a history thirty times larger than the window is
 * read whole by consumers that register late, paged back from the database, before and after a
 * restart.
 */
class HistoryIT {

  static final int WINDOW = 100;
  static final int HISTORY = 3_000;
  static final int CACHE_BYTES = 64 * 1024;

  Broker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  static void readAll(Wire wire, long consumer) {
    for (int i = 0; i < HISTORY; i++) {
      assertEquals(Optional.of(message(i)), wire.consume("history", consumer));
    }
    assertEquals(Optional.empty(), wire.consume("history", consumer));
  }

  static String message(int i) {
    return "message " + i + " " + "x".repeat(i % 50);
  }

  @Test
  void lateConsumersReadAHistoryMuchLargerThanTheWindow() {
    broker =
        Broker.on(Database.forSuite())
            .setting("LOGQUEUE_WINDOW_MESSAGES", WINDOW)
            .setting("LOGQUEUE_HISTORY_CACHE_BYTES", CACHE_BYTES)
            .setting("LOGQUEUE_HISTORY_PAGE_MESSAGES", 64)
            .start();
    Wire wire = new Wire(broker.uri());
    long producer = wire.registerProducer("history");
    for (int i = 0; i < HISTORY; i++) {
      wire.produce("history", producer, message(i));
    }
    Map<String, Double> metrics = wire.metrics();
    assertEquals(WINDOW, metrics.get("logqueue_window_messages"), "only the window is in memory");

    readAll(wire, wire.registerConsumer("history"));
    double cached = wire.metrics().get("logqueue_history_cache_bytes");
    assertTrue(cached > 0 && cached <= CACHE_BYTES, "history cache within its bound: " + cached);

    broker.stop();
    broker.start();
    wire = new Wire(broker.uri());
    assertEquals(0, wire.metrics().get("logqueue_window_messages"), "a restart loads no history");
    readAll(wire, wire.registerConsumer("history"));
  }
}
