package dev.logqueue.broker.queue.control;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a batch's commands did to explicit consumers, counted as they are applied and added to the
 * {@link QueueCounts} once the batch has committed.
 */
final class Tally {

  private final Map<ConsumerCursor, long[]> consumers = new LinkedHashMap<>();

  private static final int ACKED = 0;
  private static final int REDELIVERED = 1;
  private static final int DEAD_LETTERED = 2;

  void acked(ConsumerCursor consumer, long messages) {
    add(consumer, ACKED, messages);
  }

  void redelivered(ConsumerCursor consumer, long messages) {
    add(consumer, REDELIVERED, messages);
  }

  void deadLettered(ConsumerCursor consumer) {
    add(consumer, DEAD_LETTERED, 1);
  }

  private void add(ConsumerCursor consumer, int which, long messages) {
    if (messages > 0) {
      consumers.computeIfAbsent(consumer, c -> new long[3])[which] += messages;
    }
  }

  void publish(QueueCounts counts) {
    consumers.forEach(
        (consumer, counted) ->
            counts.consumed(
                consumer.id(), counted[ACKED], counted[REDELIVERED], counted[DEAD_LETTERED]));
  }
}
